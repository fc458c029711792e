"""Conclusions a coordinator can trust, checked against published facts on the mirror's real data.

Sources for the facts asserted here:
* complexity rises with income, and metropolitan regions are among the most complex:
  Hidalgo & Hausmann (2009), PNAS 106(26); on employment data, Fritz & Manduca (2021), Regional
  Studies 55(7) ("The economic complexity of US metropolitan areas");
* Stockholm is Sweden's most knowledge-intensive and highest-income region (Eurostat nama_10r_2gdp:
  SE11 has Sweden's highest GDP per head), Inner London its most in the UK;
* Upper Norrland holds most of Sweden's mining (SBS 2014 section B: 6,924 of 10,846 persons);
* Åland (FI20) is a small autonomous island region of 30,000 people (Statistics Finland), no peer of a
  capital city.
"""

import numpy as np
import pandas as pd
import pytest

from smartspec import report
from smartspec.analysis import analyse
from smartspec.analysis.sections import rounding_unit, series_breaks
from smartspec.analysis.space import complexity_reading

CAPITALS = ["AT13", "BE10", "CZ01", "DE30", "DK01", "EL30", "ES30", "FI1B", "FR10", "HU10", "IE02", "ITI4",
            "NL32", "PL12", "PT17", "RO32", "SE11", "SI04", "SK01", "UKI3", "BG41", "HR04", "LT00"]


@pytest.fixture(scope="module")
def se31():
    return analyse("SE31", draws=100)


def test_complexity_measure_means_complexity_on_sbs(se31):
    cx = se31["sections"]["relatedness"]["complexity"]
    assert cx["measure"] == "genepy" and cx["activity_validated"] is True
    assert cx["checked_against"] == ["diversity", "gdp_per_head"] and cx["excluded_sections"] == ["B"]
    chosen = cx["candidates"]["genepy"]
    assert chosen["rho_gdp"] > 0.1 and chosen["p_gdp"] < 0.05 and chosen["n_gdp"] >= 270  # rises with income
    # the eigenvector ECI is reported for transparency and fails: it falls with income on these data
    assert cx["candidates"]["eci"]["rho_gdp"] < -0.3
    # metropolitan regions lead: Inner London West first, Stockholm top of Sweden
    assert "UKI3" in chosen["top_regions"]
    stockholm = analyse("SE11", draws=20, peers=3)["sections"]["relatedness"]["complexity"]
    assert stockholm["rank_country"] == 1 and stockholm["rank"] <= 15
    # the most complex activities are knowledge services, not apparel or coal as under the ECI
    assert set(chosen["top_activities"]) & {"59", "62", "70", "61", "72", "73"}
    assert set(cx["candidates"]["eci"]["top_activities"]) & {"14", "15", "05"}


def test_capitals_are_among_the_most_complex(se31):
    result = analyse("DE30", draws=20, peers=3)
    from smartspec.analysis.evidence import uses_of
    from smartspec.analysis.loader import build_context, reference_gdp_per_head
    from smartspec.analysis.space import space_matrices

    table = build_context("DE30", datasets=uses_of(result)).structure
    reading = space_matrices(table, 1.0)["complexity"]
    ranks = reading["region_values"].rank(ascending=False)
    present = [c for c in CAPITALS if c in ranks.index]
    assert len(present) >= 20
    assert ranks[present].median() <= len(ranks) / 5  # in the top quintile as a group
    assert reference_gdp_per_head(table) is not None


def test_no_measure_means_complexity_leaves_the_scores():
    """When every measure falls with income, none is read as complexity: the activity values are
    left out, so the opportunity scores rest on relatedness alone."""
    rng = np.random.default_rng(1)
    M = pd.DataFrame((rng.random((60, 30)) < np.linspace(0.1, 0.8, 60)[:, None]).astype(float),
                     index=[f"R{i:02d}" for i in range(60)], columns=[f"{c:02d}" for c in (10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 41, 42, 43, 45, 46, 47, 49)])
    gdp = pd.Series(1.0 / (1.0 + M.sum(axis=1)), index=M.index)  # income falls with diversity
    reading = complexity_reading(M, gdp)
    assert reading["measure"] is None
    assert reading["region_values"].isna().all() and reading["activity_values"].isna().all()


def test_small_counts_are_no_strength(se31):
    """An LQ resting on a few dozen persons is no strength: its interval reaches below 1 and the
    stability, drawn in workplaces, is below the certain."""
    rows = se31["sections"]["specialisations"]["activities"]["rows"]
    small = [r for r in rows if r["employment"] and r["employment"] < 100 and r["specialised"]]
    large = [r for r in rows if r["employment"] and r["employment"] > 5000 and r["lq"] and r["lq"] > 1.3]
    assert large and all(r["significant"] for r in large)
    for r in small:
        assert r["significant"] is False
    rule = se31["sections"]["specialisations"]["activities"]["strength_rule"]
    assert rule["min_employment"] == 100 and rule["unit_source"] == "default"
    se33 = analyse("SE33", draws=200, peers=3)["sections"]["specialisations"]["activities"]["rows"]
    tiny = next(r for r in se33 if r["activity"] == "39")  # 51 persons in waste remediation, LQ ≈ 1.9
    assert tiny["specialised"] and not tiny["significant"] and tiny["lq_low"] < 1 and tiny["stability"] < 0.99


def test_peers_are_comparable_places():
    aland = analyse("FI20", draws=20, peers=6)["sections"]["outside"]
    assert not set(p["region"] for p in aland["peers"]) & set(CAPITALS)
    assert {v["name"] for v in aland["variables"]} >= {"log_density", "city_share", "log_employment"}
    london = analyse("UKI3", draws=20, peers=6)["sections"]["outside"]
    assert len(set(p["region"] for p in london["peers"]) & set(CAPITALS + ["UKI4", "DE60"])) >= 4


def test_series_breaks_and_rounding(se31):
    own = pd.DataFrame({"16": [100.0, 110, 900, 905], "17": [50.0, 52, 55, 57]}, index=[2000, 2001, 2002, 2003])
    assert series_breaks(own) == {"16": [2002]}
    assert rounding_unit(pd.DataFrame({"a": [1000.0, 23000.0]})) == 1000.0
    change = se31["sections"]["specialisations"]["change"]
    assert change["rounding"] == 1000.0  # Eurostat's regional accounts: whole thousands
    for row in change["rows"]:
        assert row["growth_low"] <= row["growth"] <= row["growth_high"]
        assert row["competitive_uncertainty"] == 1000.0


def test_missing_is_not_none():
    """Västerbotten has a regional innovation strategy 2022-2030 with nine strength areas
    (regionvasterbotten.se) but no rows in the compiled list: the report says so."""
    result = analyse("Västerbotten", draws=20, peers=3)
    assert result["sections"]["priorities"]["not_listed"] == ["SE331"]
    html = report.render_html(result, lang="en")
    assert "are not in the compiled list" in html


def test_coarse_data_said_next_to_the_numbers():
    result = analyse("Värmland", draws=20, peers=3)
    html = report.render_html(result, lang="sv")
    assert html.count("Siffror för SE31, den region som SE311 ligger i") == 3  # sections 2, 4 and 5


def test_data_show_gives_estimates_with_their_intervals(capsys):
    """`smartspec data show … --estimates`: suppressed cells stay missing with their flag, and get
    the estimate and interval the analysis uses beside them."""
    import io

    from smartspec.cli import main

    assert main(["data", "show", "sbs_r_nuts06_r2", "--region", "SE33", "--activity", "05", "--activity", "06",
                 "--activity", "07", "--activity", "08", "--activity", "09", "--activity", "B", "--estimates",
                 "--format", "csv"]) == 0
    shown = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"activity": str}).set_index("activity")
    hidden = shown.loc[["07", "08", "09"]]
    assert hidden["value"].isna().all() and (hidden["flag"] == "c_or_na").all()
    assert ((hidden["estimate_low"] <= hidden["estimate"]) & (hidden["estimate"] <= hidden["estimate_high"])).all()
    published = shown.loc["B", "value"] - shown.loc[["05", "06"], "value"].sum()
    assert hidden["estimate"].sum() == pytest.approx(published, abs=5)  # section B pins their sum
    assert shown.loc[["05", "06", "B"], "estimate"].isna().all()  # published cells are not estimated


@pytest.mark.parametrize("region, division, fact", [
    ("SE23", "29", "Volvo Cars and the Volvo Group build cars and trucks in and around Gothenburg"),
    ("SE23", "50", "Gothenburg has the Nordic countries' largest port (Port of Gothenburg)"),
    ("DE21", "29", "BMW's headquarters and main plant are in Munich"),
    ("DE21", "72", "Munich hosts the Max Planck Society and Fraunhofer headquarters and many institutes"),
    ("ES30", "51", "Iberia is based at Madrid-Barajas, Spain's largest airport"),
    ("ITC4", "13", "the Como silk district and Lombardy's textile districts"),
    ("SE33", "24", "SSAB's steelworks in Luleå"),
    ("SE33", "17", "the Munksund and Piteå kraftliner mills"),
])
def test_published_strengths_are_found(region, division, fact):
    """Read as an economic geographer: well-known specialisations come out as significant
    strengths (LQ interval above 1, at least 100 persons)."""
    rows = analyse(region, draws=20, peers=3)["sections"]["specialisations"]["activities"]["rows"]
    row = next(r for r in rows if r["activity"] == division)
    assert row["significant"] is True, fact
