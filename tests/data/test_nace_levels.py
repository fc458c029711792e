"""NACE Rev. 2 / SNI 2007 at every level, SNI detailed groups, and NACE Rev. 2.1 / SNI 2025."""

import numpy as np
import pandas as pd
import pytest

from smartspec import config
from smartspec.data.classifications.nace import (
    LEVELS,
    REV2,
    REV21,
    activity_level,
    activity_name,
    aggregate_activities,
    ancestor_at,
    children,
    codes_at,
    descendants_at,
    known_classes,
    nace_parent,
    nace_table,
    normalise_activity,
)
from smartspec.data.classifications.nace21 import (
    classification_version,
    link_rev2_to_rev21,
)
from smartspec.data.paths import MissingDataError
from smartspec.errors import InputError

pytestmark = pytest.mark.usefixtures("data_dir")  # names, codes and coverage come from the mirror


@pytest.mark.parametrize("version, counts", [
    (REV2, {"section": 21, "division": 88, "group": 272, "class": 615, "detailed": 821}),
    (REV21, {"section": 22, "division": 87, "group": 287, "class": 651, "detailed": 835}),
])
def test_counts_per_level(version, counts):
    for level, n in counts.items():
        assert len(codes_at(level, version)) == n, level
    assert nace_table(version)["level"].value_counts().to_dict() == counts


def test_levels_order_and_detailed_groups():
    assert LEVELS[-2:] == ("class", "detailed")
    assert codes_at("section")[:3] == ("A", "B", "C")
    assert codes_at("detailed")[:3] == ("01.110", "01.120", "01.131")
    assert activity_level("01.110") == "detailed" and nace_parent("01.110") == "01.11"
    assert ancestor_at("01.131", "section") == "A"
    assert len(known_classes()) == 615


@pytest.mark.parametrize("raw", ["01110", "01.110", "A01110", " a01110 "])
def test_normalise_detailed_group(raw):
    assert normalise_activity(raw) == "01.110"


@pytest.mark.parametrize("code, lang, name", [
    ("17.11", "en", "Manufacture of pulp"),
    ("17.11", "sv", "Massatillverkning"),
    ("03.21", "sv", "Fiskodling i salvatten"),  # SCB's spelling, kept as published
    ("C", "en", "Manufacturing"),
    ("A", "en", "Agriculture, forestry and fishing"),
    ("01.131", "sv", "Potatisodling"),
    ("01.131", "en", "Growing of vegetables and melons, roots and tubers [Potatisodling]"),
    ("01.110", "en", "Growing of cereals (except rice), leguminous crops and oil seeds"),
])
def test_names_at_every_level(code, lang, name):
    assert activity_name(code, lang) == name


def test_swedish_names_are_scbs():
    assert "oorganiska" in activity_name("20.13", "sv")  # Eurostat's Swedish says "organiska"
    table = nace_table()
    assert (table["name_sv"] != "").all()
    assert (table.loc[table["level"] != "detailed", "name_en"] != "").all()


def test_rev21_names_and_parents():
    assert activity_name("62.10", "en", version=REV21) == "Computer programming activities"
    assert activity_name("62.10", "sv", version=REV21) == "Dataprogrammering"
    assert activity_name("K", "en", version=REV21).startswith("Telecommunication, computer programming")
    assert nace_parent("62", REV21) == "K" and nace_parent("62") == "J"
    assert ancestor_at("62.10", "section", REV21) == "K"


def test_children_and_descendants():
    assert descendants_at("16", "class") == ("16.10", "16.21", "16.22", "16.23", "16.24", "16.29")
    assert children("01.13") == ("01.131", "01.132", "01.133", "01.134", "01.135")
    assert children("TOTAL") == codes_at("section")
    assert children("01.110") == ()
    assert descendants_at("16.10", "class") == ("16.10",)
    assert len(descendants_at("TOTAL", "class")) == 615
    assert descendants_at("B-E", "section") == ("B", "C", "D", "E")
    with pytest.raises(ValueError):
        descendants_at("16.10", "division")


def test_aggregate_detailed_groups_to_classes():
    frame = pd.DataFrame({"region": "R1", "activity": ["01.131", "01.132", "01.110"], "year": 2020,
                          "measure": "EMP", "unit": "PER", "value": [1.0, 2.0, 5.0], "flag": ""})
    out = aggregate_activities(frame, "class").set_index("activity")["value"]
    assert out.to_dict() == {"01.11": 5.0, "01.13": 3.0}


def test_without_the_mirror_falls_back_to_packaged_table(tmp_path, monkeypatch):
    monkeypatch.setitem(config._overrides, "data_dir", tmp_path)
    monkeypatch.setitem(config._overrides, "home", tmp_path / "home")
    assert activity_name("C", "en") == "Manufacturing" and activity_name("62", "sv").startswith("Dataprogrammering")
    assert len(codes_at("division")) == 88 and nace_parent("62") == "J"
    assert known_classes() == frozenset()
    with pytest.raises(MissingDataError):
        codes_at("class")


def test_classification_version():
    assert classification_version(["62.01", "01.11", "C"]) == REV2
    assert classification_version(["62.10", "01.11"]) == REV21
    assert classification_version(["V"]) == REV21
    assert classification_version(["A", "K", "S", "01.11"]) == REV2  # nothing decides
    assert classification_version(codes_at("class")) == REV2
    assert classification_version(codes_at("class", REV21)) == REV21


def test_mixed_versions_are_an_error():
    with pytest.raises(InputError, match="mixes classification versions") as err:
        classification_version(["62.01", "45", "01.11", "62.10"])
    message = str(err.value)
    assert "62.01" in message and "45" in message and "62.10" in message and "01.11" not in message


def _tidy(activities, values, region="R1"):
    return pd.DataFrame({"region": region, "activity": activities, "year": 2020, "measure": "EMP",
                         "unit": "PER", "value": values, "flag": ["e"] + [""] * (len(activities) - 1)})


def test_link_carries_sums_and_flags():
    frame = pd.concat([
        _tidy(["62.01", "62.02", "62.03", "35.11", "35.12"], [10.0, 3.0, 4.0, 8.0, 2.0]),
        _tidy(["62.01", "62.02", "62.03"], [1.0, np.nan, 4.0], region="R2"),
        _tidy(["62.02"], [5.0], region="R3"),
    ], ignore_index=True)
    out = link_rev2_to_rev21(frame).set_index(["region", "activity"])
    assert list(out.columns) == ["year", "measure", "unit", "value", "flag"]
    # one-to-one: carried with its flag
    assert out.loc[("R1", "62.10"), "value"] == 10.0 and out.loc[("R1", "62.10"), "flag"] == "e"
    # 62.02 and 62.03 go whole into 62.20: summed
    assert out.loc[("R1", "62.20"), "value"] == 7.0 and out.loc[("R1", "62.20"), "flag"] == ""
    # 35.11 is split into 35.11 and 35.12: not apportioned
    for code in ("35.11", "35.12"):
        assert np.isnan(out.loc[("R1", code), "value"]) and out.loc[("R1", code), "flag"] == "split"
    # 35.12 (transmission) becomes 35.13 whole
    assert out.loc[("R1", "35.13"), "value"] == 2.0
    # a missing part, or a source not in the frame, leaves the sum missing
    assert np.isnan(out.loc[("R2", "62.20"), "value"]) and out.loc[("R2", "62.20"), "flag"] == "c"
    assert np.isnan(out.loc[("R3", "62.20"), "value"]) and out.loc[("R3", "62.20"), "flag"] == "c"


def test_link_at_division_level_and_bad_input():
    out = link_rev2_to_rev21(_tidy(["01", "03"], [5.0, 1.0])).set_index("activity")
    assert np.isnan(out.loc["01", "value"]) and out.loc["01", "flag"] == "split"  # 03 is split over 01 and 03
    with pytest.raises(InputError, match="one level"):
        link_rev2_to_rev21(_tidy(["62", "62.01"], [1.0, 2.0]))
    with pytest.raises(InputError, match="not NACE Rev. 2 class codes"):
        link_rev2_to_rev21(_tidy(["62.10"], [1.0]))
