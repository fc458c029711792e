"""The analysis on a region's own data: microdata generate → aggregate → data import →
analyse, at kommun and class level, an FA region summed up from kommuner, and Värmland's
own län × division evidence, checked against independent pandas computations."""

import os
from pathlib import Path

import pytest

from smartspec import data, report
from smartspec.analysis import CoverageError, analyse
from smartspec.cli import main
from smartspec.data.classifications.sweden import kommun_fa_key
from smartspec.errors import InputError
from tests.analysis.register import imported_register
from tests.browser import chromium_page
from tests.conftest import REPO


@pytest.fixture(scope="module")
def aggregate(tmp_path_factory):
    yield from imported_register(tmp_path_factory, "own_register", "lan_divisions")


@pytest.fixture(scope="module")
def karlstad(aggregate):
    return analyse("Karlstad", datasets=[aggregate[0]], draws=50)


def _independent_lq(frame, region, code, year, regions, level_len):
    rows = frame[(frame["year"] == year) & frame["region"].isin(regions)]
    cells = rows[rows["activity"].str.len() == level_len].pivot_table(index="region", columns="activity",
                                                                      values="value", aggfunc="sum").fillna(0)
    sections = rows[rows["activity"].str.len() == 1].pivot_table(index="region", columns="activity",
                                                                 values="value", aggfunc="sum").fillna(0)
    totals = sections.sum(axis=1).reindex(cells.index)
    cells, totals = cells[totals > 0], totals[totals > 0]
    return (cells.at[region, code] / totals[region]) / (cells[code].sum() / totals.sum())


def test_kommun_at_class_level(karlstad, aggregate):
    _, frame, _ = aggregate
    structure = karlstad["data"]["structure"]
    assert karlstad["region"]["tier"] == "kommun" and structure["home"] == "1780" and structure["own"]
    assert (structure["tier"], structure["level"], structure["year"]) == ("kommun", "class", 2020)
    kommuner = sorted(r for r in frame["region"].unique() if len(r) == 4 and r.isdigit())
    employing = frame[frame["region"].isin(kommuner) & (frame["year"] == 2020) & (frame["value"] > 0)]
    assert structure["n_regions"] == employing["region"].nunique() > 250
    rows = karlstad["sections"]["specialisations"]["activities"]["rows"]
    top = next(r for r in rows if r["employment"] and r["employment"] > 20)
    assert top["lq"] == pytest.approx(_independent_lq(frame, "1780", top["activity"], 2020, kommuner, 5), rel=1e-9)
    # the change is computed at division level over the series, against Sweden
    change = karlstad["sections"]["specialisations"]["change"]
    assert change["period"] == [2016, 2020] and change["level"] == "division" and change["reference"] == "SE"
    assert karlstad["sections"]["relatedness"]["level"] == "class"
    assert karlstad["sections"]["outside"]["map"] == "kommun"


def test_kommun_report_in_both_languages(karlstad, tmp_path):
    sv = report.render_html(karlstad, lang="sv")
    en = report.render_html(karlstad, lang="en")
    assert "undergrupp" in sv and "NACE class" in en and "kommun" in sv
    # SCB's Swedish names and Eurostat's English names of the same classes, applied at render time
    code = karlstad["sections"]["specialisations"]["activities"]["rows"][0]["activity"]
    assert data.classifications.activity_name(code, "sv") in sv
    assert data.classifications.activity_name(code, "en") in en


def test_fa_region_summed_from_kommuner(aggregate):
    name, frame, _ = aggregate
    result = analyse("FA Karlstad", datasets=[name], draws=20, peers=3)
    use = next(u for u in result["data"]["uses"] if u["role"] == "structure")
    assert (use["tier"], use["source_tier"], use["home"]) == ("fa", "kommun", "FA27")
    key = kommun_fa_key()
    members = set(key.loc[key["fa_code"] == "FA27", "kommun_kod"])
    rows = frame[(frame["year"] == 2020) & frame["region"].isin(members) & (frame["activity"].str.len() == 1)]
    assert result["sections"]["specialisations"]["activities"]["region_total"] == pytest.approx(rows["value"].sum())
    assert 55 <= result["data"]["structure"]["n_regions"] <= 60  # FA regions with synthetic employment


def test_varmland_own_division_evidence(aggregate, tmp_path):
    """A län × division table (here rolled up by the microdata aggregation) gives Värmland
    its own division-level evidence instead of Norra Mellansverige's."""
    _, frame, _ = aggregate
    lan = frame[(frame["region"].str.len() == 5) & (frame["activity"].str.len() <= 2)]
    path = tmp_path / "lan_divisions.csv"
    lan[["region", "activity", "year", "value"]].to_csv(path, index=False)
    name, _, _ = data.import_file(path, dataset="lan_divisions")
    result = analyse("Värmland", datasets=[name], draws=50)
    structure = result["data"]["structure"]
    assert (structure["home"], structure["own"], structure["tier"], structure["level"]) == \
        ("SE311", True, "nuts3", "division")
    assert structure["n_regions"] == 21 and not any(n["key"] == "parent_region" for n in result["notes"])
    rows = {r["activity"]: r for r in result["sections"]["specialisations"]["activities"]["rows"]}
    lan_codes = sorted(lan["region"].unique())
    assert rows["16"]["lq"] == pytest.approx(_independent_lq(lan, "SE311", "16", 2020, lan_codes, 2), rel=1e-9)
    # one dataset for the region's structure, another for the European reference
    mixed = analyse("Värmland", datasets=[f"structure={name}", "reference=sbs_r_nuts06_r2"], draws=20, peers=3)
    assert any(n["key"] == "reference" and n["dataset"] == "sbs_r_nuts06_r2" for n in mixed["notes"])
    assert mixed["data"]["structure"]["n_regions"] > 250


def test_dataset_that_does_not_cover_the_region(aggregate):
    with pytest.raises(CoverageError, match="no dataset covers DE21 .*own_register"):
        analyse("DE21", datasets=[aggregate[0]])


def test_nace_rev21_data_are_recognised_and_never_mixed(tmp_path):
    """Data from 2025 are coded in NACE Rev. 2.1 / SNI 2025: recognised from codes that exist only
    there (62.10, 68.12), summed into Rev. 2.1's sections (62 is in K, telecommunication and
    programming, not J), and refused as a partner of a NACE Rev. 2 table."""
    lan = ["SE110", "SE121", "SE122", "SE123", "SE124", "SE125", "SE211", "SE212", "SE213", "SE214", "SE221",
           "SE224", "SE231", "SE232", "SE311", "SE312", "SE313", "SE321", "SE322", "SE331", "SE332"]
    classes = {"62.10": 300, "62.20": 120, "68.12": 80, "10.11": 60, "16.11": 90}
    rows = [(r, c, 2025, v * (3 if r == "SE311" and c == "16.11" else 1) + 7 * i)
            for i, r in enumerate(lan) for c, v in classes.items()]
    path = tmp_path / "sni2025.csv"
    path.write_text("region,activity,year,value\n" + "".join(f"{r},{a},{y},{v}\n" for r, a, y, v in rows))
    name, _, _ = data.import_file(path, dataset="sni2025_lan")
    try:
        result = analyse("Värmland", datasets=[name], draws=20, peers=3)
        assert result["data"]["structure"]["classification"] == "NACE Rev. 2.1"
        profile = {r["activity"]: r["employment"] for r in result["sections"]["profile"]["structure"]}
        own = {c: v for r, c, _, v in rows if r == "SE311"}
        assert profile["K"] == own["62.10"] + own["62.20"] and profile["M"] == own["68.12"]  # Rev. 2.1 sections
        assert "Dataprogrammering" in report.render_html(result, lang="sv")  # SCB's SNI 2025 title of 62.10
        with pytest.raises(CoverageError, match="sni2025_lan.*NACE Rev. 2.1.*cannot be compared|NACE Rev. 2 and"):
            analyse("Värmland", datasets=[f"structure={name}", "reference=sbs_r_nuts06_r2"])
    finally:
        data.Store().remove(name)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_kommun_report_in_chromium(karlstad, tmp_path, lang):
    """The kommun-level report renders offline in headless Chromium, desktop and phone widths,
    with the kommun map; screenshots are kept for a person to look at."""
    path = tmp_path / f"karlstad-{lang}.html"
    report.write({**karlstad, "lang": lang}, path)
    shots = Path(os.environ.get("SMARTSPEC_SCREENSHOTS", REPO / "out" / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        with chromium_page(viewport={"width": width, "height": 900}) as page:
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            page.wait_for_selector("#chart-map svg", timeout=20000)
            page.screenshot(path=str(shots / f"report-karlstad-kommun-{lang}-{width}.png"), full_page=True)
            assert errors == []
            heading = page.locator("#specialisations h2").inner_text()
        assert heading == ("2. Specialiseringar" if lang == "sv" else "2. Specialisations")


def test_a_series_across_the_classification_change(tmp_path):
    """Employment by län × class for 2023-2024 in SNI 2007 and 2025 in SNI 2025, linked into one
    series: 62.01 becomes 62.10 and carries its history; 35.11 is split between versions, so its
    targets are flagged 'split', never apportioned; the change section runs on the linked series."""
    lan = ["SE110", "SE311", "SE312", "SE313", "SE232"]
    old = [(r, c, y, v + 10 * i + (y - 2023) * 5) for i, r in enumerate(lan) for y in (2023, 2024)
           for c, v in (("62.01", 300), ("10.11", 80), ("16.10", 120), ("35.11", 40))]
    new = [(r, c, 2025, v + 10 * i + 15) for i, r in enumerate(lan)
           for c, v in (("62.10", 300), ("10.11", 80), ("16.11", 70), ("16.12", 50), ("35.11", 30), ("35.12", 10))]
    names = []
    for name, rows in (("sni2007_lan", old), ("sni2025_lan2", new)):
        path = tmp_path / f"{name}.csv"
        path.write_text("region,activity,year,value\n" + "".join(f"{r},{a},{y},{v}\n" for r, a, y, v in rows))
        names.append(data.import_file(path, dataset=name)[0])
    try:
        assert main(["data", "link", *names, "--dataset", "linked_lan"]) == 0
        linked = data.load("linked_lan")
        it = linked[(linked["region"] == "SE311") & (linked["activity"] == "62.10")].set_index("year")["value"]
        assert it.to_dict() == {2023: 310.0, 2024: 315.0, 2025: 325.0}  # 62.01 → 62.10, whole
        split = linked[(linked["activity"].isin(["35.11", "35.12"])) & (linked["year"] < 2025)]
        assert split["value"].isna().all() and set(split["flag"]) == {"split"}
        result = analyse("Värmland", datasets=["linked_lan"], draws=20, peers=3)
        change = result["sections"]["specialisations"]["change"]
        assert change["period"] == [2023, 2025] and change["level"] == "division"
        # 16.10 and 35.11 are split between the versions: their divisions have no linked history, left out
        assert {r["activity"] for r in change["rows"]} == {"10", "62"}
        with pytest.raises(InputError, match="expected sni2025_lan2 in NACE Rev. 2 .*found"):
            data.link_series(names[1], names[0], dataset="backwards")
    finally:
        for name in (*names, "linked_lan"):
            if data.Store().find(name):
                data.Store().remove(name)
