"""SCB TAB4723 (ongoing employments by region and bransch, monthly) → annual figures.

The answers in tests/fixtures/scb/ are laid out as SCB's and hold synthetic numbers
(see their README). They are served over loopback HTTP as the API would answer.
"""

import json

import numpy as np
import pandas as pd
import pytest

from smartspec.cli import main
from smartspec.data.readers.periods import annualise, parse_period
from smartspec.data.readers.scb import read_jsonstat2
from smartspec.data.store import Store
from smartspec.errors import InputError
from tests.conftest import FIXTURES
from tests.data.pxweb import cells, cut, serve_v2
from tests.httpserver import Replay

SCB = FIXTURES / "scb"
V1_PATH = "AM/AM0211/AM0211A/TAB4723"  # placeholder: TAB4723's v1 path is not known (see the README)
NUTS3 = {"00": "SE", "17": "SE311", "20": "SE312", "21": "SE313"}
# The tests' own statement of the groups' SNI codes, to check the mechanism; not SCB's definition.
GROUPS = {"01": "A-F", "03": "G-U"}


def _load(name):
    return json.loads((SCB / name).read_text(encoding="utf-8"))


def _cells(answer):
    """{(region, bransch, month): (value, status)} read from a json-stat2 answer by hand."""
    return cells(answer, "Region", "Bransch", "Tid")


def _serve_v2(srv, data_dir):
    serve_v2(srv, data_dir, "TAB4723", (SCB / "TAB4723_metadata.json").read_bytes(), _load("TAB4723_data.json"))


def _serve_v1(srv):
    metadata = (SCB / "TAB4723_v1_metadata.json").read_bytes()
    answer = _load("TAB4723_v1_data.json")

    def data(query, body):
        assert body["response"] == {"format": "json-stat2"}
        selection = {q["code"]: q["selection"]["values"] for q in body["query"]}
        return 200, json.dumps(cut(answer, selection)).encode(), "application/json"

    srv.add("GET", f"/sv/ssd/{V1_PATH}", lambda q, b: (200, metadata, "application/json"))
    srv.add("POST", f"/sv/ssd/{V1_PATH}", data)


def _select(bransch):
    months = [f"2023M{m:02d}" for m in range(1, 13)] + ["2024M01", "2024M02", "2024M03"]
    return ["--select", "Region=00,17,20,21", "--select", f"Bransch={bransch}",
            "--select", "ContentsCode=00000710", "--select", "Tid=" + ",".join(months)]


def _expected_2023(answer):
    """Hand-computed annual 2023 values: the mean of the 12 months, or None if one is suppressed."""
    cells = _cells(answer)
    out = {}
    for region, bransch in {(r, b) for r, b, _ in cells}:
        months = [cells[(region, bransch, f"2023M{m:02d}")] for m in range(1, 13)]
        values = [v for v, _ in months]
        out[(region, bransch)] = None if None in values else sum(values) / 12
    return out


def _check_annual(stored, answer, bransch_codes):
    expected = _expected_2023(answer)
    assert set(stored["year"]) == {2023}  # 2024 has 3 of 12 months: left out, never a "year"
    assert set(stored["measure"]) == {"employments"} and set(stored["unit"]) == {"number"}
    assert len(stored) == 4 * len(bransch_codes)
    for code in bransch_codes:
        activity = GROUPS.get(code, "TOTAL")
        for region, nuts in NUTS3.items():
            row = stored[(stored["region"] == nuts) & (stored["activity"] == activity)].iloc[0]
            want = expected[(region, code)]
            if want is None:
                assert np.isnan(row["value"]) and row["flag"] == ".."
            else:
                assert row["value"] == pytest.approx(want, rel=1e-12) and row["flag"] == ""


def test_fetch_tab4723_v2_annual_mean(data_dir, capsys):
    with Replay() as srv:
        _serve_v2(srv, data_dir)
        argv = ["data", "fetch", "scb", "TAB4723", *_select("samtliga,01,03"), "--activity", "01=A-F",
                "--activity", "03=G-U", "--annual", "mean", "--dataset", "scb_employment_v2", "--base-url", srv.url]
        assert main(argv) == 0
    out = capsys.readouterr()
    assert "stored as version 1" in out.out and "2024: only 3 of 12 months" in out.err
    store = Store()
    stored = store.query("scb_employment_v2", store.find("scb_employment_v2"))
    _check_annual(stored, _load("TAB4723_data.json"), ["samtliga", "01", "03"])
    # Gävleborg's produktionsnäringarna has 2023M07 suppressed: its 2023 stays missing.
    gavle = stored[(stored["region"] == "SE313") & (stored["activity"] == "A-F")]
    assert gavle["value"].isna().all() and (gavle["flag"] == "..").all()


def test_fetch_tab4723_v1_annual_mean(capsys):
    with Replay() as srv:
        _serve_v1(srv)
        argv = ["data", "fetch", "scb", V1_PATH, "--api", "1", *_select("samtliga,03"), "--activity", "03=G-U",
                "--annual", "mean", "--dataset", "scb_employment_v1", "--base-url", srv.url]
        assert main(argv) == 0
    store = Store()
    stored = store.query("scb_employment_v1", store.find("scb_employment_v1"))
    _check_annual(stored, _load("TAB4723_v1_data.json"), ["samtliga", "03"])


def test_fetch_refuses_scb_group_and_stores_nothing(data_dir, capsys):
    """``05`` övriga is SCB's own group, not SNI division 05: an error naming it, nothing stored."""
    with Replay() as srv:
        _serve_v2(srv, data_dir)
        argv = ["data", "fetch", "scb", "TAB4723", *_select("samtliga,05"), "--annual", "mean",
                "--dataset", "scb_employment_bad", "--base-url", srv.url]
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Bransch '05' (övriga) is one of SCB's own industry groups" in err
    assert Store().find("scb_employment_bad") is None


def test_monthly_fetch_keeps_months_without_annual(data_dir):
    with Replay() as srv:
        _serve_v2(srv, data_dir)
        argv = ["data", "fetch", "scb", "TAB4723", *_select("samtliga"), "--dataset", "scb_employment_monthly",
                "--base-url", srv.url]
        assert main(argv) == 0
    store = Store()
    stored = store.query("scb_employment_monthly", store.find("scb_employment_monthly"))
    assert len(stored) == 4 * 15 and stored["measure"].str.startswith("employments,period=").all()


def _sni_answer(codes: dict[str, str]) -> dict:
    """The recorded answer with its Bransch turned into an SNI 2007 variable holding ``codes``."""
    answer = cut(_load("TAB4723_data.json"), {"Bransch": ["01", "03", "05", "samtliga"][: len(codes)]})
    dim = answer["dimension"].pop("Bransch")
    dim["label"] = "näringsgren (SNI 2007)"
    dim["category"] = {"index": {c: i for i, c in enumerate(codes)}, "label": codes}
    answer["dimension"]["SNI2007"] = dim
    answer["id"] = ["SNI2007" if d == "Bransch" else d for d in answer["id"]]
    return answer


def test_sni_variable_letters_divisions_ranges_and_total():
    frame = read_jsonstat2(_sni_answer({"C": "tillverkning", "10": "livsmedelsindustri",
                                        "10-12": "livsmedels-, dryckes- och tobaksvaruindustri",
                                        "A-S": "samtliga näringsgrenar"}))
    assert set(frame["activity"]) == {"C", "10", "10-12", "TOTAL"}


def test_sni_variable_unknown_code_names_it():
    with pytest.raises(InputError, match=r"column 'SNI2007'.*'ZZ' \(okänd\)"):
        read_jsonstat2(_sni_answer({"C": "tillverkning", "ZZ": "okänd"}))


def test_group_codes_must_not_collide():
    with pytest.raises(InputError, match="'01' and 'samtliga' both become TOTAL"):
        read_jsonstat2(cut(_load("TAB4723_data.json"), {"Bransch": ["01", "samtliga"]}),
                       activity_map={"01": "TOTAL"})


def _monthly(values, months, flags=None, measure="employments"):
    return pd.DataFrame({"region": "SE311", "activity": "TOTAL", "year": [int(m[:4]) for m in months],
                         "measure": [f"{measure},period={m}" for m in months], "unit": "number",
                         "value": values, "flag": flags or [""] * len(months)})


def test_annualise_rule():
    months = [f"2023M{m:02d}" for m in range(1, 13)] + ["2024M01", "2024M02"]
    values = [float(v) for v in range(100, 114)]
    messages = []
    out = annualise(_monthly(values, months), "mean", progress=messages.append)
    assert out[["year", "measure", "value", "flag"]].values.tolist() == [[2023, "employments", 105.5, ""]]
    assert messages == ["2024: only 2 of 12 months in the table; the year is left out of the annual figures"]
    assert annualise(_monthly(values, months), "sum")["value"].tolist() == [sum(values[:12])]
    # A suppressed month: the year stays, missing, with the month's flag; never a mean of 11, never 0.
    gap = values[:12]
    gap[4] = np.nan
    out = annualise(_monthly(gap, months[:12], flags=[""] * 4 + [".."] + [""] * 7), "sum")
    assert np.isnan(out["value"].iloc[0]) and out["flag"].iloc[0] == ".."
    # Quarters, a provisional flag carried over, and annual rows kept as they are.
    quarters = _monthly([1.0, 2.0, 3.0, 6.0], ["2022K1", "2022K2", "2022K3", "2022K4"], flags=["", "", "", "p"])
    annual = _monthly([7.0], ["2021"]).assign(measure="employments")
    out = annualise(pd.concat([annual, quarters]), "mean").sort_values("year")
    assert out[["year", "value", "flag"]].values.tolist() == [[2021, 7.0, ""], [2022, 3.0, "p"]]


def test_annualise_refuses_what_it_cannot_do():
    months = [f"2023M{m:02d}" for m in range(1, 13)]
    with pytest.raises(InputError, match="sum of percentages"):
        annualise(_monthly([1.0] * 12, months).assign(unit="percent"), "sum")
    with pytest.raises(InputError, match="unknown annual rule 'median'"):
        annualise(_monthly([1.0] * 12, months), "median")
    with pytest.raises(InputError, match="'2023M13' is neither a month"):
        parse_period("2023M13")
    with pytest.raises(InputError, match="'2023M01' appears twice"):
        annualise(_monthly([1.0, 2.0], ["2023M01", "2023M01"]), "mean")
