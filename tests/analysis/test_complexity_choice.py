"""The rule that picks a complexity measure (smartspec.analysis.complexity), on the
mirror's SBS matrix (where the eigenvector ECI reads something else than complexity)
and on country trade data (where the classical ECI is kept)."""

import json
import time
from functools import lru_cache

import numpy as np
import pandas as pd

from smartspec import data
from smartspec import metrics as mt
from smartspec.analysis.complexity import PREFERENCE, choose_measure
from smartspec.data.classifications.nuts import recode_nuts
from smartspec.data.paths import require_data_file


@lru_cache(maxsize=1)
def sbs_matrix() -> pd.DataFrame:
    """NUTS 2 × NACE division, persons employed, 2014; the …ZZ rows and regions without
    employment dropped, suppressed cells as 0 (as the analysis does); binary M = LQ ≥ 1."""
    X = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division")
    X = X[~X.index.str.endswith("ZZ")]
    X = X.loc[X.fillna(0).sum(axis=1) > 0].fillna(0.0)
    return mt.location_quotient(X, threshold=1)


@lru_cache(maxsize=1)
def nuts2_gdp_per_head() -> pd.Series:
    """GDP (million EUR) / population of nuts2_indicators, 2014 or the nearest year
    (2015, 2013, 2016, …), recoded from NUTS 2016 to the SBS file's NUTS 2013 codes."""
    f = data.load("nuts2_indicators", measures=["region_gdp", "region_population"])
    w = f.pivot_table(index=["region", "year"], columns="measure", values="value").dropna().reset_index()
    w["distance"] = (w["year"] - 2014).abs() * 2 + (w["year"] < 2014)
    w = w.sort_values(["region", "distance"]).drop_duplicates("region").set_index("region")
    g = w["region_gdp"] * 1e6 / w["region_population"]
    codes13 = recode_nuts(g.index, 2016, 2013)
    g.index = [c13 if isinstance(c13, str) else c16 for c16, c13 in zip(g.index, codes13)]
    return g[~g.index.duplicated()]


@lru_cache(maxsize=1)
def world_trade():
    """SITC 4-digit exports 1998–2000 of the economies with a GDP-per-head record (the
    file's other rows are small territories), binary M = RCA ≥ 1; and GDP per head."""
    trade = pd.read_csv(require_data_file("fixtures/world_trade/world_trade_avg_1998_to_2000.csv.gz"),
                        dtype={"product": str})
    gdp = pd.read_csv(require_data_file("fixtures/world_trade/world_gdp_avg_1998_to_2000.csv"))
    gdp = gdp.set_index("country")["value"].astype(float)
    X = trade.pivot_table(index="country", columns="product", values="value", aggfunc="sum", fill_value=0)
    X = X.loc[X.index.isin(gdp.index)]
    M = mt.location_quotient(X, threshold=1)
    return M.loc[:, M.sum(axis=0) > 0], gdp


@lru_cache(maxsize=1)
def sbs_choice():
    return choose_measure(sbs_matrix(), gdp_per_head=nuts2_gdp_per_head())


# Capital-city regions: the NUTS 2 region holding the national capital, in the 23 countries
# with several NUTS 2 regions in the matrix (UKI3 Inner London – West for London).
CAPITALS = ["AT13", "BE10", "BG41", "CZ01", "DE30", "DK01", "EL30", "ES30", "FI1B", "FR10", "HR04", "HU10",
            "IE02", "ITI4", "NL32", "NO01", "PL12", "PT17", "RO32", "SE11", "SI04", "SK01", "UKI3"]
METROS = ["SE11", "UKI3", "FR10", "DE30"]  # Stockholm, Inner London – West, Île-de-France, Berlin


def _rank(values: pd.Series) -> pd.Series:
    return values.rank(ascending=False, method="min")


def test_sbs_eigenvector_eci_fails_the_diagnostics():
    """The eigenvector ECI on SBS orders manufacturing against service regions: negatively
    related to income, weakly to diversity; Stockholm near the bottom (Mealy et al. 2019)."""
    M = sbs_matrix()
    assert M.shape == (282, 68)
    res = sbs_choice()
    d = res["diagnostics"]["eci"]
    assert d["gdp_per_head"]["rho"] < -0.4 and d["gdp_per_head"]["n"] >= 270  # measured −0.51, n = 276
    assert d["diversity"]["rho"] < 0.3  # measured 0.20
    assert d["activity_income"]["rho"] < -0.5  # PCI falls with the income of its holders (−0.86)
    assert d["spectrum"]["eigengap"] > 0.3  # a well-determined partition (0.49): stable, but not complexity
    eci, _ = mt.eci_pci(M)
    assert _rank(eci)["SE11"] >= 270  # 274th of 282
    assert _rank(eci[eci.index.str.startswith("SE")])["SE11"] == 8  # last of Sweden's 8
    assert res["measure"] != "eci"


def test_sbs_chosen_measure_follows_the_stylised_facts():
    """Complexity rises with income (Hidalgo & Hausmann 2009) and large metropolitan regions
    are among the most complex (Fritz & Manduca 2021, US metropolitan areas)."""
    res = sbs_choice()
    assert res["measure"] == "genepy"
    assert res["checked_against"] == ["diversity", "gdp_per_head"]
    d = res["diagnostics"][res["measure"]]
    assert d["gdp_per_head"]["rho"] > 0 and d["gdp_per_head"]["p"] < 0.05  # measured 0.15, p = 0.007
    assert d["diversity"]["rho"] >= 0.3  # 0.50
    values = res["region_values"]
    rank = _rank(values)
    quintile = 0.2 * values.notna().sum()  # 56.4 of 282
    assert all(rank[r] <= quintile for r in METROS), rank[METROS].to_dict()  # 39, 26, 46, 42
    assert rank[CAPITALS].median() <= quintile  # 46
    assert _rank(values[values.index.str.startswith("SE")])["SE11"] == 1
    # its activity values do not track income on this matrix (mining divisions rank highest), and say so
    assert res["activity_validated"] is False and "activity values" in res["reason"]
    assert "eci fails" in res["reason"] and "fitness fails" in res["reason"]


def test_sbs_without_income_reads_diversity_only():
    res = choose_measure(sbs_matrix())
    assert res["checked_against"] == ["diversity"] and res["activity_validated"] is None
    assert res["measure"] == "fitness"  # ECI fails on diversity (ρ = 0.20); fitness passes on it alone
    assert "diversity only" in res["reason"]
    few = nuts2_gdp_per_head().loc[["SE11", "SE12", "SE21"]]  # fewer than 30 regions with GDP: not used
    assert choose_measure(sbs_matrix(), gdp_per_head=few)["checked_against"] == ["diversity"]


def test_world_trade_keeps_the_classical_eci():
    M, gdp = world_trade()
    res = choose_measure(M, gdp_per_head=gdp)
    assert res["measure"] == "eci" and res["activity_validated"] is True
    d = res["diagnostics"]["eci"]
    assert d["gdp_per_head"]["n"] == 185
    assert d["gdp_per_head"]["rho"] > 0.45  # measured Spearman 0.49
    assert d["diversity"]["rho"] > 0.5  # 0.63
    assert d["activity_income"]["rho"] > 0.8  # PCI and the income of the exporters: 0.87
    rank = _rank(res["region_values"])
    # the most complex economies: Japan, Germany, Sweden (Felipe et al. 2012, Hidalgo-Hausmann
    # measures); Switzerland with them in the Atlas. Measured: 1, 3, 5, 7 of 185
    assert all(rank[c] <= 10 for c in ("jpn", "deu", "swe", "che")), rank[["jpn", "deu", "swe", "che"]].to_dict()
    assert rank["nga"] > 0.9 * len(rank) and rank["png"] > 0.9 * len(rank)  # among the least complex
    np.testing.assert_allclose(res["region_values"], mt.eci_pci(M)[0])


def test_none_when_no_measure_passes_and_on_disconnected_matrices():
    rng = np.random.default_rng(7)
    # a nested matrix whose "GDP per head" falls with diversity: every measure fails on income
    fill = rng.random(60)
    M = pd.DataFrame((rng.random((60, 25)) < fill[:, None]).astype(float), index=[f"R{i}" for i in range(60)])
    M = M.loc[M.sum(axis=1) > 0, M.sum(axis=0) > 0]
    gdp = 1.0 / (1.0 + M.sum(axis=1))
    res = choose_measure(M, gdp_per_head=gdp)
    assert res["measure"] is None and res["region_values"].isna().all() and res["activity_values"].isna().all()
    assert res["reason"].startswith("no measure passes") and set(res["diagnostics"]) == set(PREFERENCE)
    json.dumps(res["diagnostics"])
    blocks = np.kron(np.eye(2), np.ones((3, 3)) - np.eye(3))
    out = choose_measure(blocks)
    assert out["measure"] is None and "2 groups" in out["reason"]


def test_arrays_and_speed():
    rng = np.random.default_rng(0)
    X = rng.poisson(2, size=(290, 615)) * (rng.random((290, 615)) < 0.4)
    M = mt.location_quotient(X, threshold=1)
    choose_measure(M)
    start = time.perf_counter()
    res = choose_measure(M)
    assert time.perf_counter() - start < 1.0  # measured 0.1–0.4 s on two cores
    assert list(res["region_values"].index[:3]) == [0, 1, 2] and res["diagnostics"]
    start = time.perf_counter()
    choose_measure(sbs_matrix(), gdp_per_head=nuts2_gdp_per_head())
    assert time.perf_counter() - start < 1.0
