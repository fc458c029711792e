"""SCB employment by län × SNI 2007 (BAS, TAB3785) fetched over loopback HTTP and analysed.

TAB3785 has no SNI divisions: its SNI 2007 variable holds sections and SCB's groups of
adjacent sections (``B+C``, ``D+E``, ``M+N``, ``R+S+T+U``), ``US`` (uppgift saknas) and the
total ``A-U+US``. The answers in tests/fixtures/scb/ are laid out as SCB's and hold
synthetic numbers (see TAB3785_README.md).
"""

import json

import numpy as np
import pytest

from smartspec.analysis import analyse
from smartspec.cli import main
from smartspec.data.readers.scb import LAN_NUTS3
from smartspec.data.store import Store
from tests.conftest import FIXTURES
from tests.data.pxweb import cells, serve_v2
from tests.httpserver import Replay

SCB = FIXTURES / "scb"
LAN = ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22",
       "23", "24", "25"]
GROUPS = ["A", "B+C", "D+E", "F", "G", "H", "I", "J", "K", "L", "M+N", "O", "P", "Q", "R+S+T+U"]
SECTIONS = [g for g in GROUPS if "+" not in g]  # the sections TAB3785 publishes on their own


def _answer() -> dict:
    return json.loads((SCB / "TAB3785_data.json").read_text(encoding="utf-8"))


def _cells(answer) -> dict:
    """{(region, SNI code, year): (value, status)} read from the json-stat2 answer by hand."""
    assert [answer["size"][answer["id"].index(d)] for d in ("Kon", "Fodelseregion", "ContentsCode")] == [1, 1, 1]
    return cells(answer, "Region", "SNI2007", "Tid")


def _serve(srv, data_dir):
    serve_v2(srv, data_dir, "TAB3785", (SCB / "TAB3785_metadata.json").read_bytes(), _answer())


def _fetch(data_dir, dataset: str, sni: list[str]) -> int:
    with Replay() as srv:
        _serve(srv, data_dir)
        return main(["data", "fetch", "scb", "TAB3785", "--select", "Region=" + ",".join(["00", *LAN]),
                     "--select", "Kon=1+2", "--select", "SNI2007=" + ",".join(sni), "--select", "Fodelseregion=tot",
                     "--select", "ContentsCode=000005FG", "--select", "Tid=2023,2024", "--dataset", dataset,
                     "--base-url", srv.url])


def test_fetch_tab3785_sections_groups_and_total(data_dir, capsys):
    """SCB's ``B+C`` becomes the NACE range ``B-C``, ``A-U+US`` (Total) becomes TOTAL; ``..`` stays missing."""
    name = "scb_bas_groups"
    assert _fetch(data_dir, name, ["A-U+US", *GROUPS]) == 0
    assert "stored as version 1" in capsys.readouterr().out
    store = Store()
    try:
        stored = store.query(name, store.find(name))
        nace = {g: f"{g[0]}-{g[-1]}" if "+" in g else g for g in GROUPS}
        assert set(stored["activity"]) == {*nace.values(), "TOTAL"}
        assert {"B-C", "D-E", "M-N", "R-U"} <= set(stored["activity"])
        assert set(stored["region"]) == {"SE", *(LAN_NUTS3[lan] for lan in LAN)}
        assert set(stored["year"]) == {2023, 2024}
        assert set(stored["measure"]) == {"1+2,tot,employed_workplace"} and set(stored["unit"]) == {"number"}
        cells = _cells(_answer())
        for (region, code, year), (value, status) in cells.items():
            row = stored[(stored["region"] == ("SE" if region == "00" else LAN_NUTS3[region]))
                         & (stored["activity"] == ("TOTAL" if code == "A-U+US" else nace.get(code)))
                         & (stored["year"] == int(year))]
            if code == "US":
                assert row.empty
                continue
            assert len(row) == 1
            if status == "..":
                assert value is None and np.isnan(row["value"].iloc[0]) and row["flag"].iloc[0] == ".."
            else:
                assert row["value"].iloc[0] == value and row["flag"].iloc[0] == ""
    finally:
        store.remove(name)


def test_fetch_refuses_uppgift_saknas(data_dir, capsys):
    """``US`` (uppgift saknas) is no activity: an error naming it, nothing stored."""
    assert _fetch(data_dir, "scb_bas_us", ["A-U+US", "F", "US"]) == 2
    err = capsys.readouterr().err
    assert "SNI2007 'US' (uppgift saknas)" in err
    assert Store().find("scb_bas_us") is None


def test_analyse_varmland_on_tab3785(data_dir):
    """Värmland's own län row at the table's finest complete level, LQ against the table's total."""
    name = "scb_bas_sections"
    assert _fetch(data_dir, name, ["A-U+US", *SECTIONS]) == 0
    try:
        result = analyse("Värmland", datasets=[name], draws=20)
        structure = result["data"]["structure"]
        assert structure["dataset"] == name and structure["year"] == 2024
        assert structure["home"] == "SE311" and structure["own"] is True and structure["tier"] == "nuts3"
        assert structure["level"] == "section" and structure["n_regions"] == 21
        assert structure["total_source"] == "TOTAL" and structure["n_activities"] == len(SECTIONS)

        # LQ = (x_rp / T_r) / (Σ_r x_rp / Σ_r T_r), T_r the table's own total (A-U+US), the 21 län.
        cells = _cells(_answer())
        x = {lan: cells[(lan, "F", "2024")][0] for lan in LAN}
        total = {lan: cells[(lan, "A-U+US", "2024")][0] for lan in LAN}
        expected = (x["17"] / total["17"]) / (sum(x.values()) / sum(total.values()))
        rows = {r["activity"]: r for r in result["sections"]["specialisations"]["activities"]["rows"]}
        assert rows["F"]["lq"] == pytest.approx(expected, rel=1e-12)
        assert rows["F"]["employment"] == x["17"]
        assert result["sections"]["specialisations"]["activities"]["region_total"] == total["17"]
    finally:
        Store().remove(name)


def test_analyse_varmland_on_the_grouped_sections(data_dir):
    """With SCB's groups of sections as published (B+C, D+E, M+N, R+S+T+U), the section level is
    complete: Värmland keeps its manufacturing (in B-C), and an area in division 17 (paper) is
    counted in its group B-C, flagged as coarser than the area."""
    name = "scb_bas_all_groups"
    assert _fetch(data_dir, name, ["A-U+US", *GROUPS]) == 0
    try:
        result = analyse("Värmland", datasets=[name], draws=20)
        structure = result["data"]["structure"]
        assert (structure["level"], structure["home"], structure["own"]) == ("section", "SE311", True)
        rows = {r["activity"]: r for r in result["sections"]["specialisations"]["activities"]["rows"]}
        cells = _cells(_answer())
        x = {lan: cells[(lan, "B+C", "2024")][0] for lan in LAN}
        total = {lan: cells[(lan, "A-U+US", "2024")][0] for lan in LAN}
        expected = (x["17"] / total["17"]) / (sum(x.values()) / sum(total.values()))
        assert rows["B-C"]["lq"] == pytest.approx(expected, rel=1e-12)
        forest = next(a for a in result["sections"]["priorities"]["areas"] if a["area_sv"] == "Skoglig bioekonomi")
        assert "B-C" in forest["evidence"]["activities"] and "17" in forest["evidence"]["coarser"]
    finally:
        Store().remove(name)
