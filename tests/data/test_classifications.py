import numpy as np
import pandas as pd
import pytest

from smartspec.data.classifications import (
    Region,
    activity_level,
    activity_name,
    aggregate_activities,
    nace_parent,
    normalise_activity,
    nuts_level,
    nuts_regions,
    recode_nuts,
    resolve_region,
    sections_of,
)
from smartspec.data.classifications.nace import ancestor_at, divisions_of, nace_table
from smartspec.errors import AmbiguousNameError, UnknownCodeError


@pytest.mark.parametrize("raw, canonical", [
    ("C10", "10"), ("10", "10"), ("G451", "45.1"), ("451", "45.1"), ("45.1", "45.1"), ("4511", "45.11"),
    ("45.11", "45.11"), ("c", "C"), ("B-E", "B-E"), ("M_N", "M-N"), ("TOTAL", "TOTAL"), ("10-12", "10-12"),
])
def test_normalise_activity(raw, canonical):
    assert normalise_activity(raw) == canonical


@pytest.mark.parametrize("bad", ["04", "Z", "1", "100000", "X10", ""])
def test_unknown_activity_codes_are_errors(bad):
    with pytest.raises(UnknownCodeError, match="unknown NACE Rev. 2 code"):
        normalise_activity(bad)


def test_hierarchy():
    assert [activity_level(c) for c in ("TOTAL", "G-I", "C", "10", "10.1", "10.11")] == \
        ["total", "aggregate", "section", "division", "group", "class"]
    assert nace_parent("10.11") == "10.1" and nace_parent("10.1") == "10" and nace_parent("10") == "C"
    assert nace_parent("C") == "TOTAL"
    assert ancestor_at("45.11", "section") == "G"
    assert sections_of("G-I") == ("G", "H", "I")
    assert sections_of("B-E") == ("B", "C", "D", "E")
    assert divisions_of("10-12") == ("10", "11", "12")
    assert divisions_of("B") == ("05", "06", "07", "08", "09")
    table = nace_table()
    top = table[table.level.isin(["section", "division"])]
    assert (top.level == "section").sum() == 21 and (top.level == "division").sum() == 88
    assert (top.name_sv != "").all() and (top.name_en != "").all()


def test_names_in_both_languages(data_dir):
    assert activity_name("C", "sv") == "Tillverkning"
    assert activity_name("C", "en") == "Manufacturing"
    assert activity_name("62", "sv") == "Dataprogrammering, datakonsultverksamhet o.d."
    assert activity_name("O-Q", "en").startswith("Public administration")
    # class names come from the data directory's NACE Rev. 2 / SNI 2007 table
    assert activity_name("01.11", "en") == "Growing of cereals (except rice), leguminous crops and oil seeds"
    assert activity_name("01.11", "sv") == "Odling av spannmål (utom ris), baljväxter och oljeväxter"


def test_aggregate_up_the_hierarchy_propagates_suppression():
    frame = pd.DataFrame({
        "region": ["R1"] * 4 + ["R2"] * 4,
        "activity": ["10", "11", "45.1", "45.2"] * 2,
        "year": 2014, "measure": "EMP", "unit": "PER",
        "value": [100, 50, 7, 3, 20, np.nan, 1, 2], "flag": ["", "", "", "", "", "c", "", ""],
    })
    out = aggregate_activities(frame, "section").set_index(["region", "activity"])
    assert out.loc[("R1", "C"), "value"] == 150 and out.loc[("R1", "G"), "value"] == 10
    assert np.isnan(out.loc[("R2", "C"), "value"]) and out.loc[("R2", "C"), "flag"] == "c"
    skip = aggregate_activities(frame, "section", missing="skip").set_index(["region", "activity"])
    assert skip.loc[("R2", "C"), "value"] == 20 and skip.loc[("R2", "C"), "flag"] == "partial"
    div = aggregate_activities(frame, "division").set_index(["region", "activity"])
    assert div.loc[("R1", "45"), "value"] == 10


def test_nuts_versions_and_levels():
    assert nuts_level("SE") == 0 and nuts_level("SE311") == 3 and nuts_level("EU27_2020") is None
    for version in (2010, 2013, 2016, 2021, 2024):
        table = nuts_regions(version)
        se2 = table[(table.country == "SE") & (table.level == 2) & ~table.code.str.endswith("Z")]
        assert sorted(se2.code) == ["SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33"], version
    assert nuts_regions(2024).set_index("code").at["SE311", "name"] == "Värmlands län"


def test_recode_between_versions():
    mapped = recode_nuts(["SE06", "SE061", "SE01"], 2003, 2021)
    assert mapped["SE06"] == "SE31" and mapped["SE061"] == "SE311" and mapped["SE01"] == "SE11"
    # a code with no 1:1 successor maps to missing rather than to a guess
    split = recode_nuts(["UKI1"], 2010, 2021)
    assert split.isna().all()
    with pytest.raises(UnknownCodeError):
        recode_nuts(["SE31"], 2013, 2024)


@pytest.mark.parametrize("query, code, kind", [
    ("SE31", "SE31", "nuts"), ("se31", "SE31", "nuts"), ("Norra Mellansverige", "SE31", "nuts"),
    ("North Middle Sweden", "SE31", "nuts"), ("Värmland", "SE311", "nuts"), ("Värmlands län", "SE311", "nuts"),
    ("Varmland", "SE311", "nuts"), ("17", "SE311", "nuts"), ("Karlstad", "1780", "kommun"),
    ("1780", "1780", "kommun"), ("Region Jämtland Härjedalen", "SE322", "nuts"),
    ("Jämtland Härjedalen", "SE322", "nuts"), ("Västra Götaland", "SE232", "nuts"), ("Oberbayern", "DE21", "nuts"),
])
def test_resolve_region(query, code, kind):
    region = resolve_region(query)
    assert isinstance(region, Region) and region.code == code and region.kind == kind


def test_kommun_knows_its_lan_and_parents():
    karlstad = resolve_region("Karlstad")
    assert karlstad.lan_code == "17" and karlstad.nuts3 == "SE311"
    assert karlstad.parents == ["SE311", "SE31", "SE3", "SE"]
    assert resolve_region("SE311").parents == ["SE31", "SE3", "SE"]


def test_ambiguous_name_lists_candidates():
    with pytest.raises(AmbiguousNameError) as err:
        resolve_region("Stockholm")
    message = str(err.value)
    for candidate in ("0180 Stockholm (kommun)", "SE11 Stockholm (NUTS 2)", "SE110 Stockholms län (NUTS 3)"):
        assert candidate in message


def test_unknown_region():
    with pytest.raises(UnknownCodeError, match="unknown region 'Atlantis'"):
        resolve_region("Atlantis")
