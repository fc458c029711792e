"""Maps of the region's strengths and declared areas across its kommuner (``sections.maps``):
a generated kommun dataset imported like a ``smartspec microdata aggregate``, the LQ checked
against an independent pandas computation, the schema, and the report in headless Chromium."""

import json
import os
from pathlib import Path

import pytest

from smartspec import data, report
from smartspec.analysis import analyse
from smartspec.analysis.schema import validate
from smartspec.data.classifications.regions import regions_within
from tests.analysis.register import imported_register
from tests.browser import chromium_page

DATASET = "maps_register"


def test_mirror_only_analysis_has_no_maps():
    """The mirror's tables have no kommun rows (runs first: before the module imports one)."""
    assert not data.Store().find(DATASET)
    result = analyse("SE31", draws=20, peers=3)
    assert result["sections"]["maps"] == {"available": False, "reason": "no_kommun_data"}
    validate(result)
    assert 'id="chart-kommun_maps"' not in report.render_html(result, lang="sv")


def test_not_swedish():
    result = analyse("DE21", draws=10, peers=3)
    assert result["sections"]["maps"] == {"available": False, "reason": "not_swedish"}


@pytest.fixture(scope="module")
def aggregate(tmp_path_factory):
    for dataset, frame, _ in imported_register(tmp_path_factory, DATASET):
        yield dataset, frame


@pytest.fixture(scope="module")
def varmland(aggregate):
    return analyse("Värmland", datasets=[aggregate[0]], draws=50, lang="sv")


def test_maps_cover_varmlands_kommuner(varmland):
    maps = varmland["sections"]["maps"]
    assert maps["available"] and maps["dataset"] == DATASET and maps["tier"] == "kommun"
    assert (maps["year"], maps["level"], maps["lan"]) == (2020, "class", ["SE311"])
    assert maps["kommuner"] == regions_within("SE311", "kommun") and len(maps["kommuner"]) == 16
    kinds = [layer["kind"] for layer in maps["layers"]]
    strengths = [layer["key"] for layer in maps["layers"] if layer["kind"] == "strength"]
    assert kinds == sorted(kinds, key=["strength", "area"].index) and len(strengths) == 6
    rows = varmland["sections"]["specialisations"]["activities"]["rows"]
    specialised = sorted((r for r in rows if r["specialised"] and r["employment"] is not None),
                         key=lambda r: -r["employment"])
    assert {r["employment"] for r in specialised[:6]} == {r["employment"] for r in rows if r["activity"] in strengths}
    areas = [a["area_sv"] for a in varmland["sections"]["priorities"]["areas"] if a["nace_suggested"]]
    assert [layer["key"] for layer in maps["layers"] if layer["kind"] == "area"] == areas
    for layer in maps["layers"]:
        assert [v["region"] for v in layer["values"]] == maps["kommuner"]
    assert DATASET in {d["dataset"] for d in varmland["datasets"] if "maps" in d["used_for"]}


def _independent(frame, codes, region, year=2020):
    """Employment and LQ against all Swedish kommuner from the aggregate's class and section rows."""
    rows = frame[(frame["year"] == year) & frame["region"].str.fullmatch(r"\d{4}")]
    classes = rows[(rows["activity"].str.len() == 5) & rows["activity"].str[:2].isin(codes)]
    sections = rows[rows["activity"].str.len() == 1]
    emp = classes.loc[classes["region"] == region, "value"].sum()
    total = sections.loc[sections["region"] == region, "value"].sum()
    return emp, (emp / total) / (classes["value"].sum() / sections["value"].sum())


def test_karlstad_lq_matches_pandas(varmland, aggregate):
    _, frame = aggregate
    areas = {a["area_sv"]: a for a in varmland["sections"]["priorities"]["areas"]}
    layers = [layer for layer in varmland["sections"]["maps"]["layers"] if layer["kind"] == "area"
              and all(len(c) == 2 for c in areas[layer["key"]]["nace_suggested"])]
    karlstad = {layer["key"]: next(v for v in layer["values"] if v["region"] == "1780") for layer in layers}
    key = max(karlstad, key=lambda k: karlstad[k]["employment"] or 0)
    assert karlstad[key]["employment"] > 0
    emp, lq = _independent(frame, areas[key]["nace_suggested"], "1780")
    assert karlstad[key]["employment"] == pytest.approx(emp)
    assert karlstad[key]["lq"] == pytest.approx(lq, rel=1e-9)
    strength = next(layer for layer in varmland["sections"]["maps"]["layers"] if layer["kind"] == "strength")
    code = strength["key"]
    rows = frame[(frame["year"] == 2020) & (frame["activity"] == code) & (frame["region"] == "1780")]
    assert next(v for v in strength["values"] if v["region"] == "1780")["employment"] == rows["value"].sum()


def test_json_validates(varmland):
    validate(varmland)
    back = json.loads(json.dumps(varmland, allow_nan=False))
    validate(back)
    assert back["sections"]["maps"] == varmland["sections"]["maps"]


def test_fa_region_maps_its_own_kommuner(aggregate):
    """FA Karlstad crosses a län border (Åmål lies in Västra Götaland)."""
    result = analyse("FA Karlstad", datasets=[aggregate[0]], draws=10, peers=3)
    maps = result["sections"]["maps"]
    assert maps["kommuner"] == regions_within("FA27", "kommun") and "1492" in maps["kommuner"]
    assert maps["lan"] == ["SE232", "SE311"]
    validate(result)


def test_chart_and_tables(varmland):
    specs = report.chart_specs(varmland, lang="en")
    spec = specs["kommun_maps"]
    layers = varmland["sections"]["maps"]["layers"]
    assert len(spec["concat"]) == len(layers) and len(spec["datasets"]["kommuner"]) == 16
    colour = spec["concat"][0]["layer"][1]["encoding"]["color"]
    assert colour["field"] == "lq" and colour["scale"]["domainMid"] == 1
    assert "<svg" in report._svg(spec)  # the static (PDF) rendering
    rows = report.tables(varmland)["kommun_maps"]
    assert len(rows) == 16 * len(layers) and {r["kommun"] for r in rows} >= {"Karlstad", "Torsby"}


def test_report_renders_the_maps_in_chromium(varmland, tmp_path):
    html = report.render_html(varmland, lang="sv")
    assert 'id="chart-kommun_maps"' in html and "Styrkor och uttalade områden i kommunerna" in html
    path = tmp_path / "varmland-maps-sv.html"
    path.write_text(html, encoding="utf-8")
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        errors, requests = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector("#chart-kommun_maps svg", timeout=30000)
        shapes = page.locator("#chart-kommun_maps svg path").count()
        titles = page.locator("#chart-kommun_maps svg text").all_text_contents()
        if os.environ.get("SMARTSPEC_SCREENSHOTS"):
            shots = Path(os.environ["SMARTSPEC_SCREENSHOTS"])
            shots.mkdir(parents=True, exist_ok=True)
            page.locator("#chart-kommun_maps").screenshot(path=str(shots / "report-varmland-kommun-maps-sv.png"))
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == []
    assert shapes >= 16 * len(varmland["sections"]["maps"]["layers"])
    assert "Skoglig bioekonomi" in titles and "styrka" in titles
