"""The regional analysis: its numbers against the raw files and independent computations,
the choice of data, and its errors."""

import csv

import numpy as np
import pytest

from smartspec import data
from smartspec import metrics as mt
from smartspec.analysis import CoverageError, analyse
from smartspec.analysis.complexity import choose_measure
from smartspec.analysis.evidence import uses_of
from smartspec.analysis.loader import build_context, reference_gdp_per_head
from smartspec.data.classifications.nace import sections_of
from smartspec.errors import UnknownCodeError


@pytest.fixture(scope="module")
def se31():
    return analyse("SE31", draws=200)


@pytest.fixture(scope="module")
def varmland():
    return analyse("Värmland", lang="sv", draws=200)


def _sbs_raw(data_dir):
    with open(data_dir / "eurostat/sbs_r_nuts06_r2_2014.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["geo_level"] == "nuts2"]
    return rows


def test_schema_and_data_choice(se31):
    assert se31["schema"] == "smartspec-analysis" and se31["schema_version"] == "2.0"
    assert set(se31["sections"]) == {"profile", "specialisations", "portfolio", "relatedness", "outside", "priorities",
                                     "maps"}
    assert se31["region"] == {"code": "SE31", "name": "Norra Mellansverige", "tier": "nuts2", "level": 2,
                              "country": "SE"}
    uses = {u["role"]: u for u in se31["data"]["uses"]}
    # the finest level covering SE31 is SBS's divisions; the longest series is the A10 table (2000–2018)
    assert (uses["structure"]["dataset"], uses["structure"]["level"], uses["structure"]["tier"]) == \
        ("sbs_r_nuts06_r2", "division", "nuts2")
    assert (uses["series"]["dataset"], uses["series"]["level"]) == ("nama_10r_3empers", "A10")
    assert uses["structure"]["reason"]["alternatives"] == ["nama_10r_3empers"]
    assert all("CC BY 4.0" in d["licence"] for d in se31["datasets"])


def test_totals_are_the_publishers(se31, data_dir):
    """SBS publishes section totals: the region's total is their sum, not the sum of the
    divisions it does not suppress; the report states how much suppression hides."""
    rows = _sbs_raw(data_dir)
    value = {(r["geo"], r["nace_r2"]): float(r["obs_value"]) for r in rows if r["obs_value"]}
    sections = {r["nace_r2"] for r in rows if r["nace_level"] == "section"}
    divisions = {r["nace_r2"] for r in rows if r["nace_level"] == "division"}
    # division 95 (section S) is published without its section: it counts on its own
    unpublished = {d for d in divisions if sections_of(d)[0] not in sections}
    assert unpublished == {"95"}
    total = sum(value.get(("SE31", s), 0.0) for s in sections | unpublished)
    known = sum(value.get(("SE31", d), 0.0) for d in divisions)
    structure = se31["data"]["structure"]
    assert structure["total_source"] == "sections"
    assert se31["sections"]["specialisations"]["activities"]["region_total"] == pytest.approx(total)
    assert structure["hidden_share"] == pytest.approx(1 - known / total)
    assert 0.005 < structure["hidden_share"] < 0.1


def test_division_lq_against_raw_file(se31):
    """LQ = (x_r,p / T_r) / (Σ_r x_r,p / Σ_r T_r), T_r the publisher's total, computed here
    from the store independently of the analysis code."""
    m = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division")
    sec = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="section")
    m = m[~m.index.str.endswith("ZZ")]
    m = m.loc[m.fillna(0).sum(axis=1) > 0]
    sec = sec.reindex(m.index)
    parts = m.sum(axis=1)
    totals = (sec.sum(axis=1) + m[["95"]].sum(axis=1)).where(sec.notna().all(axis=1), parts)  # 95: section S unpublished
    rows = {r["activity"]: r for r in se31["sections"]["specialisations"]["activities"]["rows"]}
    # divisions published for every region: the reference sum needs no estimate
    complete = [c for c in m.columns if m[c].notna().all()]
    assert complete == ["43", "45", "46", "47", "68", "71"]
    for code in complete:
        expected = (m.at["SE31", code] / totals["SE31"]) / (m[code].sum() / totals.sum())
        assert rows[code]["lq"] == pytest.approx(expected, rel=1e-12)
        assert rows[code]["employment"] == m.at["SE31", code]
        assert "name" not in rows[code]  # codes, not names: names are applied when rendering
    # elsewhere the reference sum counts other regions' suppressed cells at their estimates
    filled = build_context("SE31", datasets=uses_of(se31)).structure.reference()
    for code in ("16", "17", "24", "10"):
        expected = (m.at["SE31", code] / totals["SE31"]) / (filled[code].sum() / totals.sum())
        assert rows[code]["lq"] == pytest.approx(expected, rel=1e-12)
    suppressed = [r for r in rows.values() if r["suppressed"]]
    assert suppressed and all(r["employment"] is None and r["lq"] is None for r in suppressed)
    assert rows["17"]["specialised"] and rows["17"]["fragile"] is False  # paper: thousands of jobs, LQ ≫ 1


def test_eci_and_opportunities_match_engine(se31):
    """The network is built on the published cells and the suppressed cells' estimates: the
    engine run on that matrix gives the report's numbers."""
    rel = se31["sections"]["relatedness"]
    table = build_context("SE31", datasets=uses_of(se31)).structure
    raw = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division")
    m = table.filled()
    published = table.matrix.notna()
    assert m.where(published).equals(raw.reindex_like(m).where(published))  # published cells as published
    est = table.estimates
    hidden = ~published & est.estimate.notna()
    h = hidden.to_numpy()
    assert (m.to_numpy()[h] >= est.low.to_numpy()[h] - 1e-6).all() and (m.to_numpy()[h] <= est.high.to_numpy()[h] + 1e-6).all()
    assert rel["suppressed_cells_estimated"] == int(hidden.sum().sum()) > 2000
    M = mt.location_quotient(m, threshold=1)
    eci, pci = mt.eci_pci(M)
    assert rel["eci"] == pytest.approx(eci["SE31"], abs=1e-9)
    assert rel["eci_rank"] == int((eci > eci["SE31"]).sum()) + 1
    dens = mt.relatedness_density(M, mt.proximity(M))
    # complexity in the scores is the measure that passed the diagnostics, without mining (section B)
    keep = [a for a in M.columns if not a.startswith(("05", "06", "07", "08", "09")) and M[a].any()]
    chosen = choose_measure(M[keep], gdp_per_head=reference_gdp_per_head(table))
    assert rel["complexity"]["measure"] == chosen["measure"] == "genepy" and chosen["activity_validated"]
    for o in rel["opportunities"]:
        assert o["density"] == pytest.approx(dens.at["SE31", o["activity"]], abs=1e-12)
        assert o["pci"] == pytest.approx(chosen["activity_values"][o["activity"]], abs=1e-9)
        assert not o["activity"].startswith(("05", "06", "07", "08", "09"))  # deposits are no opportunity
        assert M.at["SE31", o["activity"]] == 0  # opportunities are activities not yet specialised
        assert all(M.at["SE31", q["activity"]] == 1 for q in o["reasons"])
    scores = [o["score"] for o in rel["opportunities"]]
    assert scores == sorted(scores, reverse=True)


def test_change_against_raw_file(se31, data_dir):
    with open(data_dir / "eurostat/nama_10r_3empers_SE.csv") as fh:
        raw = {(r["geo"], r["nace_r2"], int(r["time_period"])): float(r["obs_value"]) for r in csv.DictReader(fh)}
    change = se31["sections"]["specialisations"]["change"]
    y0, y1 = change["period"]
    assert (y0, y1) == (2000, 2017) and change["level"] == "A10" and change["reference"] == "SE"
    groups = ["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]
    for row in change["rows"]:
        c = row["activity"]
        e0, e1 = raw[("SE31", c, y0)], raw[("SE31", c, y1)]
        n1 = raw[("SE", c, y1)]
        assert row["employment"] == e1 and row["growth"] == pytest.approx(e1 / e0 - 1)
        lq = (e1 / sum(raw[("SE31", g, y1)] for g in groups)) / (n1 / sum(raw[("SE", g, y1)] for g in groups))
        assert row["lq"] == pytest.approx(lq)
        assert row["national_share"] + row["industry_mix"] + row["competitive"] == pytest.approx(e1 - e0)
    total = change["totals"]
    assert total["national_share"] + total["industry_mix"] + total["competitive"] == pytest.approx(total["change"])


def test_portfolio_rules(se31):
    for row in se31["sections"]["portfolio"]["rows"]:
        if row["lq"] >= 1:
            assert row["category"] == ("established" if row["lq_change"] >= 0 else "declining")
        elif row["lq_change"] > 0:
            assert row["category"] == "emerging"
        else:
            assert row["category"] in ("potential", "other")


def test_nuts3_without_own_divisions_uses_its_nuts2_parent(varmland):
    """With only the mirror, Värmland's own data are A10 (regional accounts); division-level
    evidence comes from Norra Mellansverige, and the report says so."""
    structure = varmland["data"]["structure"]
    assert varmland["region"]["code"] == "SE311" and structure["home"] == "SE31" and not structure["own"]
    assert any(n["key"] == "parent_region" for n in varmland["notes"])
    assert varmland["data"]["series"]["home"] == "SE311"
    areas = varmland["sections"]["priorities"]["areas"]
    names = {a["area_sv"] for a in areas}
    assert "Skoglig bioekonomi" in names and "Dataspel och spelifiering" in names
    forest = next(a for a in areas if a["area_sv"] == "Skoglig bioekonomi")
    assert forest["nace_suggested"] == ["02", "16", "17"] and forest["verdict"] == "strength"
    # division 02 (forestry) is outside SBS's business economy: only 16 and 17 are counted
    assert forest["evidence"]["activities"] == ["16", "17"]
    similar = varmland["sections"]["priorities"]["similar_elsewhere"]
    assert any(m["area_sv"] == "Trä och skog" for m in similar)


def test_gdp_per_head_from_regional_accounts(varmland, data_dir):
    gdp = {r["year"]: r for r in varmland["sections"]["profile"]["gdp_per_head"]}
    with open(data_dir / "eurostat/nama_10r_3gdp_SE.csv") as fh:
        raw = {(r["geo"], int(r["time_period"])): float(r["obs_value"]) for r in csv.DictReader(fh) if r["unit"] == "EUR_HAB"}
    assert gdp[2020]["region"] == raw[("SE311", 2020)] and gdp[2020]["comparison"] == raw[("SE", 2020)]


def test_suppressed_mining_is_estimated_from_section_b():
    """Norrbotten's declared mining area: divisions 07-09 are suppressed for Upper Norrland in SBS,
    but SBS's own section B (6,924 persons, 64 % of Sweden's; 05 and 06 published as 0) fixes
    their sum. The area is a strength resting on estimates — never 'weak' with LQ 0 — and it
    says so (basis, interval)."""
    result = analyse("Norrbotten", draws=50, peers=3)
    mining = [a for a in result["sections"]["priorities"]["areas"] if a["nace_suggested"] == ["07", "08", "09"]]
    assert mining
    for area in mining:
        ev = area["evidence"]
        assert area["verdict"] == "strength" and ev["basis"] == "estimated"
        assert ev["lq"] is None and ev["employment"] is None  # nothing measured is claimed
        assert set(ev["suppressed"]) == {"07", "08", "09"}
        assert ev["employment_estimate"] == pytest.approx(6924, abs=5)  # section B minus the published 05, 06
        assert ev["employment_low"] == pytest.approx(ev["employment_high"], abs=10)  # the sum is pinned
        assert ev["lq_estimate"] > 10


def test_non_swedish_region():
    result = analyse("DE21", draws=100, peers=5)
    s = result["sections"]
    assert s["specialisations"]["change"] is None and s["portfolio"]["available"] is False
    assert s["priorities"]["available"] is False and s["relatedness"]["available"]
    assert len(s["outside"]["peers"]) == 5 and len(s["outside"]["partners"]) == 5
    assert s["profile"]["structure_source"]["dataset"] == "sbs_r_nuts06_r2"


def test_region_in_another_nuts_version():
    """PL31 exists in the SBS table (NUTS 2013) but the indicator panel is NUTS 2016 (PL81):
    the analysis runs, GDP per head is read under the recoded code and the report says so."""
    result = analyse("PL31", draws=50, peers=3)
    assert result["sections"]["relatedness"]["available"]
    assert any(n["key"] == "recoded" and n["code"] == "PL81" for n in result["notes"])
    assert result["sections"]["profile"]["gdp_per_head"]


def test_compare_with_adds_chosen_peer():
    result = analyse("SE31", compare_with=["DE21"], peers=3, draws=50)
    peers = {p["region"]: p for p in result["sections"]["outside"]["peers"]}
    assert peers["DE21"]["chosen"] and len(peers) == 4


def test_errors_are_clear():
    with pytest.raises(UnknownCodeError, match="unknown region 'Atlantis'"):
        analyse("Atlantis")
    with pytest.raises(CoverageError, match="no dataset covers DE21 .* among nama_10r_3empers"):
        analyse("DE21", datasets=["nama_10r_3empers"])
    with pytest.raises(CoverageError, match="no dataset 'eurostat_xyz'"):
        analyse("SE31", datasets=["eurostat_xyz"])
    with pytest.raises(CoverageError, match="nama_10r_3gdp holds no region × activity counts"):
        analyse("SE31", datasets=["nama_10r_3gdp"])
    with pytest.raises(CoverageError, match="unknown dataset role 'europe'"):
        analyse("SE31", datasets=["europe=sbs_r_nuts06_r2"])
    with pytest.raises(CoverageError, match=r"no version '9' of 'sbs_r_nuts06_r2': stored versions are \[1\]"):
        analyse("SE31", datasets=["structure=sbs_r_nuts06_r2@9"])


def test_a_result_can_be_reproduced_on_its_dataset_versions(se31):
    """Evidence recomputed for a stored result reads the dataset versions the result was made from."""
    from smartspec.analysis.evidence import for_result

    assert uses_of(se31) == ["structure=sbs_r_nuts06_r2@1", "series=nama_10r_3empers@1"]
    ev = for_result(se31, [("17", 1.0)])
    row = next(r for r in se31["sections"]["specialisations"]["activities"]["rows"] if r["activity"] == "17")
    assert ev["lq"] == pytest.approx(row["lq"], rel=1e-12) and ev["verdict"] == "strength"


def test_missing_cells_are_never_zero_in_the_matrix(se31):
    rows = se31["sections"]["specialisations"]["activities"]["rows"]
    assert se31["data"]["structure"]["suppressed_cells"] == sum(r["suppressed"] for r in rows)
    assert not any(r["employment"] == 0 and r["suppressed"] for r in rows)
    assert np.isfinite([r["lq"] for r in rows if not r["suppressed"]]).all()


def test_country_against_the_other_countries():
    """A country is compared with the other countries of the table; with no EU aggregate by
    activity in the series, change is left out and the report says why."""
    result = analyse("Sweden", draws=20, peers=3)
    structure = result["data"]["structure"]
    assert (result["region"]["tier"], structure["tier"], structure["home"]) == ("country", "country", "SE")
    assert structure["n_regions"] == 29 and structure["total_source"] == "sections"
    assert result["sections"]["specialisations"]["change"] is None
    assert any(n["key"] == "no_reference_series" for n in result["notes"])
