"""Without the offline mirror, classifications and maps are fetched from GISCO and SCB.

A real HTTP server on loopback serves the recorded files: GISCO's GeoJSON as the
mirror holds them, and SCB's recorded PxWeb v2 metadata of table TAB6471.
"""

import json
from functools import partial

import pytest

from smartspec import config
from smartspec.data.classifications import nuts, regions
from smartspec.data.fetch import http, reference
from smartspec.errors import OfflineError
from tests.httpserver import Replay

SCB_META = "fixtures/pxweb/pxwebpy_scb_v2/TAB6471_metadata.json"


def _clear_caches():
    for func in (regions._index, nuts._changes, nuts._nuts2024, nuts.nuts_regions):
        func.cache_clear()


@pytest.fixture
def no_mirror(tmp_path, monkeypatch):
    empty, home = tmp_path / "no-data", tmp_path / "home"
    empty.mkdir()
    monkeypatch.setitem(config._overrides, "data_dir", empty)
    monkeypatch.setitem(config._overrides, "home", home)
    monkeypatch.setattr(reference, "TABLE_VERSIONS", (2021,))
    monkeypatch.setattr(reference, "request", partial(http.request, retries=0))
    _clear_caches()
    yield home
    _clear_caches()


def _file(path):
    payload = path.read_bytes()
    return lambda query, body: (200, payload, "application/json")


def test_regions_and_maps_come_from_gisco_and_scb(no_mirror, data_dir, monkeypatch):
    with Replay() as server:
        server.add("GET", "/gisco/NUTS_RG_20M_2024_4326.geojson", _file(data_dir / "nuts/NUTS_RG_20M_2024_4326.geojson"))
        # the mirror's recorded GISCO file for NUTS 2021 is the 1:60M one; it stands in for the 1:20M file
        server.add("GET", "/gisco/NUTS_RG_20M_2021_4326.geojson", _file(data_dir / "nuts/NUTS_RG_60M_2021_4326.geojson"))
        server.add("GET", "/scb/tables/TAB6471/metadata", _file(data_dir / SCB_META))
        monkeypatch.setenv("SMARTSPEC_GISCO_URL", f"{server.url}/gisco")
        monkeypatch.setenv("SMARTSPEC_SCB_V2_URL", f"{server.url}/scb")

        karlstad = regions.resolve_region("Karlstad")
        assert (karlstad.code, karlstad.nuts3, karlstad.lan_code) == ("1780", "SE311", "17")
        assert regions.resolve_region("17").code == "SE311"
        assert regions.resolve_region("Norra Mellansverige").code == "SE31"
        table = nuts.nuts_regions(2021)
        assert table.set_index("code").at["SE31", "name"] == "Norra Mellansverige"
        assert len(table[table.level == 2]) > 200
        assert nuts.recode_nuts(["SE31", "XX99"], 2021, 2021).tolist() == ["SE31", None]

        lan = json.loads(reference.fetch_reference("sweden/lan.geojson").read_text())
        assert len(lan["features"]) == 21
        assert {f["properties"]["lan_kod"] for f in lan["features"]} >= {"01", "17", "25"}
        fetched = sorted(p.relative_to(no_mirror / "downloads").as_posix() for p in (no_mirror / "downloads").rglob("*.*"))
        assert fetched == ["nuts/NUTS_RG_20M_2024_4326.geojson", "nuts/nuts_changes.csv", "sweden/kommun_lan_nuts3.csv",
                           "sweden/lan.geojson"]
        kommuner = (no_mirror / "downloads/sweden/kommun_lan_nuts3.csv").read_text().splitlines()
        assert len(kommuner) == 1 + 290
        assert "1780,Karlstad,SE311,,,,,,17" in kommuner and "0180,Stockholm,SE110,,,,,,01" in kommuner
        calls = len(server.log)
        regions._index.cache_clear()
        regions.resolve_region("Karlstad")  # later runs reuse the downloads
        assert len(server.log) == calls


def test_declared_areas_are_empty_without_the_mirror(no_mirror):
    from smartspec.analysis.priorities import declared_areas

    areas = declared_areas()
    assert areas.empty and "area_sv" in areas.columns


def test_offline_says_so(no_mirror, monkeypatch):
    monkeypatch.setenv("SMARTSPEC_GISCO_URL", "http://127.0.0.1:9/gisco")  # nothing listens on port 9
    with pytest.raises(OfflineError, match=r"cannot reach 127\.0\.0\.1:9.*offline"):
        nuts.nuts_regions(2024)
    assert not (no_mirror / "downloads/nuts/NUTS_RG_20M_2024_4326.geojson").exists()
