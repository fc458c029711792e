"""Every analysis result matches the documented JSON Schema (``analysis-2.0.schema.json``),
and the schema catches the mistakes it is there to catch."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from jsonschema import Draft202012Validator

from smartspec.analysis import SCHEMA_VERSION, analyse
from smartspec.analysis.schema import SCHEMA_FILE, schema, validate
from smartspec.errors import SmartspecError

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysis-schema.md"


@pytest.fixture(scope="module")
def se31():
    return analyse("SE31", draws=50)


@pytest.fixture(scope="module")
def varmland():
    return analyse("Värmland", draws=50, lang="sv")


@pytest.fixture(scope="module")
def de21():
    return analyse("DE21", draws=50, peers=5)


@pytest.fixture(scope="module")
def pl31():
    return analyse("PL31", draws=50)


RESULTS = ["se31", "varmland", "de21", "pl31"]


@pytest.mark.parametrize("name", RESULTS)
def test_result_is_valid(name, request):
    """The dict as returned (plain Python values, no numpy scalars, no NaN) and as written to JSON."""
    result = request.getfixturevalue(name)
    validate(result)
    validate(json.loads(json.dumps(result, allow_nan=False)))


def test_results_cover_both_branches(se31, varmland, de21, pl31):
    """The four results exercise the optional parts: a series or none, declared priorities or none,
    the region's own structure or its parent's."""
    assert se31["sections"]["portfolio"]["available"] and not de21["sections"]["portfolio"]["available"]
    assert varmland["sections"]["priorities"]["available"] and not pl31["sections"]["priorities"]["available"]
    assert varmland["data"]["structure"]["own"] is False and se31["data"]["structure"]["own"] is True
    assert varmland["region"]["tier"] == "nuts3" and se31["region"]["tier"] == "nuts2"
    assert len(de21["sections"]["outside"]["peers"]) == 5


def test_schema_is_valid_and_versioned():
    doc = schema()
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["properties"]["schema_version"] == {"const": SCHEMA_VERSION}
    assert SCHEMA_FILE == f"analysis-{SCHEMA_VERSION}.schema.json"


def test_doc_names_every_key():
    """docs/analysis-schema.md names every top-level key, section and section key."""
    text = DOC.read_text(encoding="utf-8")
    props = schema()["properties"]
    names = list(props) + list(props["sections"]["properties"])
    for section in props["sections"]["properties"].values():
        names += list(section["properties"])
    missing = sorted({n for n in names if f"`{n}`" not in text})
    assert not missing, f"{DOC.name} does not name {missing}"


# Negative cases: a JSON copy of a valid result with one mistake ----------------------------------

@pytest.fixture
def good(se31):
    return json.loads(json.dumps(se31))


def invalid(result, *paths):
    with pytest.raises(SmartspecError) as info:
        validate(result)
    message = str(info.value)
    for path in paths:
        assert path in message, message
    return message


def test_lq_as_string_is_caught(good):
    good["sections"]["specialisations"]["activities"]["rows"][0]["lq"] = "1.2"
    message = invalid(good, "$.sections.specialisations.activities.rows[0].lq")
    assert "'1.2' is not of type 'number', 'null'" in message


def test_missing_section_is_caught(good):
    del good["sections"]["profile"]
    invalid(good, "$.sections: 'profile' is a required property")


def test_unknown_tier_is_caught(good):
    good["region"]["tier"] = "lan"
    invalid(good, "$.region.tier: 'lan' is not one of")


def test_name_on_activity_row_is_caught(good):
    rows = good["sections"]["specialisations"]["activities"]["rows"]
    rows[1]["name"] = "Manufacture of paper and paper products"
    good["sections"]["relatedness"]["opportunities"][0]["reasons"][0]["name"] = "Forestry"
    invalid(good, "$.sections.specialisations.activities.rows[1].name: not allowed",
            "$.sections.relatedness.opportunities[0].reasons[0].name: not allowed")


def test_name_as_activity_code_is_caught(good):
    good["sections"]["portfolio"]["rows"][0]["activity"] = "Agriculture, forestry and fishing"
    invalid(good, "$.sections.portfolio.rows[0].activity")


def test_region_rows_may_carry_names(good):
    assert all("name" in p for p in good["sections"]["outside"]["peers"])
    validate(good)


def test_not_plain_json_is_caught(good):
    rows = good["sections"]["specialisations"]["activities"]["rows"]
    rows[0]["lq"] = float("nan")
    rows[1]["lq"] = np.float64(1.5)
    good["data"]["structure"]["year"] = np.int64(2014)
    good["parameters"]["fragile_band"] = (0.1, 0.9)
    invalid(good, "$.sections.specialisations.activities.rows[0].lq: nan is not a finite number",
            "$.sections.specialisations.activities.rows[1].lq: np.float64(1.5) is a numpy.float64",
            "$.data.structure.year: np.int64(2014) is a numpy.int64",
            "$.parameters.fragile_band: (0.1, 0.9) is a tuple")


def test_float_year_is_not_an_integer(good):
    good["sections"]["specialisations"]["change"]["period"][0] = 2000.0
    invalid(good, "$.sections.specialisations.change.period[0]: 2000.0 is not of type 'integer'")


def test_suppressed_cell_is_null_not_zero(good):
    rows = good["sections"]["specialisations"]["activities"]["rows"]
    i = next(i for i, r in enumerate(rows) if r["suppressed"])
    rows[i]["employment"] = 0.0
    invalid(good, f"$.sections.specialisations.activities.rows[{i}].employment")


@pytest.mark.parametrize("path, value, expected", [
    (("sections", "priorities", "areas", 0, "verdict"), "great", "is not one of"),
    (("sections", "portfolio", "rows", 0, "category"), "rising", "is not one of"),
    (("data", "structure", "total_source"), "total", "is not one of"),
    (("data", "uses", 0, "level"), "sector", "is not one of"),
    (("data", "structure", "extra"), 1, "Additional properties are not allowed ('extra' was unexpected)"),
    (("sections", "relatedness", "eci"), None, "None is not of type 'number'"),
    (("sections", "profile", "structure", 0, "share"), 12.0, "greater than the maximum of 1"),
    (("sections", "outside", "available"), False, "$.sections.outside.map: 'nuts2' is not of type 'null'"),
    (("schema_version",), "1.0", "$.schema_version: '2.0' was expected"),
])
def test_other_mistakes_are_caught(good, path, value, expected):
    target = good
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    message = invalid(good, expected)
    where = "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path[:-1])
    assert re.search(re.escape(where) + r"[.\[:]", message), message


def test_message_lists_first_problems_only(good):
    for row in good["sections"]["specialisations"]["activities"]["rows"]:
        row["lq"] = "x"
    message = invalid(good, "rows[0].lq", "(and maybe more)")
    assert len(message.splitlines()) == 11
