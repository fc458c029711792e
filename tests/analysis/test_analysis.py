"""The regional analysis: its numbers against the engine and the raw files, and its errors."""

import csv

import pytest

from smartspec import data
from smartspec import metrics as mt
from smartspec.analysis import CoverageError, analyse
from smartspec.errors import UnknownCodeError


@pytest.fixture(scope="module")
def se31():
    return analyse("SE31", draws=200)


@pytest.fixture(scope="module")
def varmland():
    return analyse("Värmland", lang="sv", draws=200)


def test_schema_and_sections(se31):
    assert se31["schema"] == "smartspec-analysis" and se31["schema_version"] == "1.0"
    assert set(se31["sections"]) == {"profile", "specialisations", "portfolio", "relatedness", "outside", "priorities"}
    assert se31["region"] == {"code": "SE31", "name": "Norra Mellansverige", "level": 2, "country": "SE",
                              "division_region": "SE31", "a10_region": "SE31"}
    assert {d["dataset"] for d in se31["datasets"]} == {"sbs_r_nuts06_r2", "nama_10r_3empers", "nama_10r_3gdp",
                                                       "nuts2_indicators"}
    assert all("CC BY 4.0" in d["licence"] for d in se31["datasets"])


def test_division_lq_matches_engine(se31):
    m = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division")
    m = m[~m.index.str.endswith("ZZ")]
    m = m.loc[m.fillna(0).sum(axis=1) > 0]
    lq = mt.location_quotient(m, missing="ignore")
    rows = {r["activity"]: r for r in se31["sections"]["specialisations"]["divisions"]["rows"]}
    for code in ("16", "17", "24", "10"):
        assert rows[code]["lq"] == pytest.approx(lq.at["SE31", code], rel=1e-12)
        assert rows[code]["employment"] == m.at["SE31", code]
    # suppressed cells are reported as such, never as zero employment
    suppressed = [r for r in rows.values() if r["suppressed"]]
    assert suppressed and all(r["employment"] is None and r["lq"] is None for r in suppressed)
    assert rows["17"]["specialised"] and rows["17"]["fragile"] is False  # paper: thousands of jobs, LQ ≫ 1


def test_eci_and_opportunities_match_engine(se31):
    rel = se31["sections"]["relatedness"]
    m = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division")
    m = m[~m.index.str.endswith("ZZ")]
    m = m.loc[m.fillna(0).sum(axis=1) > 0].fillna(0.0)
    M = mt.location_quotient(m, threshold=1)
    eci, pci = mt.eci_pci(M)
    assert rel["eci"] == pytest.approx(eci["SE31"], abs=1e-9)
    assert rel["eci_rank"] == int((eci > eci["SE31"]).sum()) + 1
    dens = mt.relatedness_density(M, mt.proximity(M))
    for o in rel["opportunities"]:
        assert o["density"] == pytest.approx(dens.at["SE31", o["activity"]], abs=1e-12)
        assert o["pci"] == pytest.approx(pci[o["activity"]], abs=1e-9)
        assert M.at["SE31", o["activity"]] == 0  # opportunities are activities not yet specialised
        assert all(M.at["SE31", q["activity"]] == 1 for q in o["reasons"])
    scores = [o["score"] for o in rel["opportunities"]]
    assert scores == sorted(scores, reverse=True)


def test_a10_change_against_raw_file(se31, data_dir):
    with open(data_dir / "eurostat/nama_10r_3empers_SE.csv") as fh:
        raw = {(r["geo"], r["nace_r2"], int(r["time_period"])): float(r["obs_value"]) for r in csv.DictReader(fh)}
    a10 = se31["sections"]["specialisations"]["a10"]
    y0, y1 = a10["period"]
    assert (y0, y1) == (2000, 2017)
    groups = ["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]
    for row in a10["rows"]:
        c = row["activity"]
        e0, e1 = raw[("SE31", c, y0)], raw[("SE31", c, y1)]
        n0, n1 = raw[("SE", c, y0)], raw[("SE", c, y1)]
        assert row["employment"] == e1 and row["growth"] == pytest.approx(e1 / e0 - 1)
        lq = (e1 / sum(raw[("SE31", g, y1)] for g in groups)) / (n1 / sum(raw[("SE", g, y1)] for g in groups))
        assert row["lq"] == pytest.approx(lq)
        parts = row["national_share"] + row["industry_mix"] + row["competitive"]
        assert parts == pytest.approx(e1 - e0)
        assert row["industry_mix"] == pytest.approx(e0 * ((n1 / n0 - 1) - (sum(raw[("SE", g, y1)] for g in groups)
                                                                             / sum(raw[("SE", g, y0)] for g in groups) - 1)))
    total = a10["totals"]
    assert total["national_share"] + total["industry_mix"] + total["competitive"] == pytest.approx(total["change"])


def test_portfolio_rules(se31):
    for row in se31["sections"]["portfolio"]["rows"]:
        if row["lq"] >= 1:
            assert row["category"] == ("established" if row["lq_change"] >= 0 else "declining")
        elif row["lq_change"] > 0:
            assert row["category"] == "emerging"
        else:
            assert row["category"] in ("potential", "other")


def test_nuts3_uses_its_nuts2_parent_and_lan_peers(varmland):
    assert varmland["region"]["code"] == "SE311" and varmland["region"]["division_region"] == "SE31"
    assert any(n["key"] == "parent_region" for n in varmland["notes"])
    peers = varmland["sections"]["outside"]["peers"]
    assert len(peers) == 10 and all(p["region"].startswith("SE") and len(p["region"]) == 5 for p in peers)
    assert varmland["sections"]["outside"]["map"] == "lan"
    areas = varmland["sections"]["priorities"]["areas"]
    names = {a["area_sv"] for a in areas}
    assert "Skoglig bioekonomi" in names and "Dataspel och spelifiering" in names
    forest = next(a for a in areas if a["area_sv"] == "Skoglig bioekonomi")
    assert forest["nace_suggested"] == ["02", "16", "17"] and forest["verdict"] == "strength"
    similar = varmland["sections"]["priorities"]["similar_elsewhere"]
    assert any(m["area_sv"] == "Trä och skog" for m in similar)


def test_gdp_per_head_from_regional_accounts(varmland, data_dir):
    gdp = {r["year"]: r for r in varmland["sections"]["profile"]["gdp_per_head"]}
    with open(data_dir / "eurostat/nama_10r_3gdp_SE.csv") as fh:
        raw = {(r["geo"], int(r["time_period"])): float(r["obs_value"]) for r in csv.DictReader(fh) if r["unit"] == "EUR_HAB"}
    assert gdp[2020]["region"] == raw[("SE311", 2020)] and gdp[2020]["comparison"] == raw[("SE", 2020)]


def test_non_swedish_region():
    result = analyse("DE21", draws=100, peers=5)
    s = result["sections"]
    assert s["specialisations"]["a10"] is None and s["portfolio"]["available"] is False
    assert s["priorities"]["available"] is False and s["relatedness"]["available"]
    assert len(s["outside"]["peers"]) == 5 and len(s["outside"]["partners"]) == 5
    assert s["profile"]["structure_source"]["dataset"] == "sbs_r_nuts06_r2"


def test_compare_with_adds_chosen_peer():
    result = analyse("SE31", compare_with=["DE21"], peers=3, draws=50)
    peers = {p["region"]: p for p in result["sections"]["outside"]["peers"]}
    assert peers["DE21"]["chosen"] and len(peers) == 4


def test_errors_are_clear():
    with pytest.raises(UnknownCodeError, match="unknown region 'Atlantis'"):
        analyse("Atlantis")
    with pytest.raises(CoverageError, match="no dataset among nama_10r_3empers covers DE21"):
        analyse("DE21", datasets=["nama_10r_3empers"])
    with pytest.raises(CoverageError, match="is a kommun"):
        analyse("Karlstad")
    with pytest.raises(CoverageError, match="not \\['eurostat_xyz'\\]"):
        analyse("SE31", datasets=["eurostat_xyz"])
