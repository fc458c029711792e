"""Strategy signals, the outside world, robustness: hand-worked cases."""

import numpy as np
import pandas as pd
import pytest

from smartspec import metrics as mt


def test_opportunity_scores_presets_and_mask():
    M = pd.DataFrame([[1.0, 0, 0, 0]], index=["R"], columns=list("abcd"))
    dist = pd.DataFrame([[0.0, 0.2, 0.5, 0.8]], index=["R"], columns=list("abcd"))
    pci = pd.Series({"a": 0.0, "b": -1.0, "c": 0.0, "d": 1.0})
    cog = pd.DataFrame([[0.0, 0.1, 0.1, 0.1]], index=["R"], columns=list("abcd"))
    low = mt.opportunity_scores(dist, pci, cog, M, weights="low-hanging fruit")
    assert np.isnan(low.at["R", "a"])  # present activities are not opportunities
    # z over absent b, c, d: distance −(0.2, 0.5, 0.8) → (1.2247, 0, −1.2247); pci (−1, 0, 1) → same reversed; cog constant → 0
    z = np.sqrt(1.5)
    assert low.at["R", "b"] == pytest.approx(0.60 * z - 0.15 * z)
    assert mt.opportunity_scores(dist, pci, cog, M, weights=(0, 1, 0)).at["R", "d"] == pytest.approx(z)
    assert mt.PRESETS["balanced"] == (0.50, 0.15, 0.35) and mt.PRESETS["long jump"] == (0.45, 0.20, 0.35)


def test_quadrants():
    dens = pd.DataFrame([[0.9, 0.1, 0.8, 0.2]], index=["R"], columns=list("abcd"))
    pci = pd.Series({"a": 2.0, "b": 2.0, "c": -1.0, "d": -1.0})
    q = mt.opportunity_quadrants(dens, pci)
    assert q.loc["R"].tolist() == ["high-high", "low-high", "high-low", "low-low"]


def test_strength_categories():
    lq = pd.DataFrame([[1.5, 1.5, 0.5, 0.5, np.nan]], index=["R"], columns=list("abcde"))
    growth = pd.Series({"a": 0.1, "b": -0.1, "c": 0.1, "d": -0.1, "e": 0.1})
    assert mt.strength_categories(lq, growth).loc["R"].tolist() == ["strength", "risk", "opportunity", "weak", ""]
    dens = pd.DataFrame([[0.9, 0.1, 0.9, 0.1, 0.5]], index=["R"], columns=list("abcde"))
    out = mt.strength_categories(lq, density=dens, scheme="metroverse", density_cut=0.5)
    assert out.loc["R"].tolist() == ["strength", "threat", "opportunity", "weakness", ""]


def test_cluster_strength_rule():
    # 5 regions, 1 cluster made of activities a and b, plus other activity c
    emp = pd.DataFrame({"a": [50, 10, 5, 0, 30], "b": [50, 10, 5, 0, 30], "c": [100, 200, 300, 100, 100]},
                       index=list("VWXYZ"), dtype=float)
    strong, share = mt.cluster_strength(emp, groups={"a": "K", "b": "K", "c": "other"})
    # LQ of K: V 100/200 ÷ 180/1080 = 3.0, W 0.6, X 0.19, Z 2.25 (Y has none)
    # among regions with K: 75th percentile of LQ (3.0, 0.6, 0.19, 2.25) is 2.4375 → only V;
    # V's employment 100 is above the 25th percentile (16.25)
    assert strong["K"].tolist() == [True, False, False, False, False]
    assert share["V"] == pytest.approx(100 / 200)
    est = pd.DataFrame({"a": [1, 5, 5, 0, 5], "b": [1, 5, 5, 0, 5], "c": [9, 9, 9, 9, 9]}, index=list("VWXYZ"), dtype=float)
    strong2, _ = mt.cluster_strength(emp, est, groups={"a": "K", "b": "K", "c": "other"})
    assert not strong2.at["V", "K"]  # too few establishments


def test_cluster_stars():
    emp = pd.DataFrame({"K": [100.0] + [1.0] * 19, "O": [100.0] * 20}, index=[f"R{i}" for i in range(20)])
    stars = mt.cluster_stars(emp)
    assert stars.at["R0", "K"] == 3 and stars.at["R5", "K"] == 0


def test_structural_similarity():
    feats = pd.DataFrame({"pop": [1.0, 1.1, 5.0, 1.05], "density": [10.0, 11.0, 50.0, 30.0]},
                         index=["SE31", "FI19", "DE21", "SE12"])
    peers = mt.structural_similarity(feats, "SE31", k=2)
    assert peers.index.tolist() == ["FI19", "SE12"] and peers["rank"].tolist() == [1, 2]
    foreign = mt.structural_similarity(feats, "SE31", k=2, exclude_same_country=True)
    assert "SE12" not in foreign.index
    z = (feats - feats.mean()) / feats.std(ddof=0)
    expected = np.sqrt(((z.loc["FI19"] - z.loc["SE31"]) ** 2).mean())
    assert peers.at["FI19", "distance"] == pytest.approx(expected)


def test_partner_scores_evidence():
    rca = pd.DataFrame([[2.0, 2.0, 0.1, 0.1], [2.0, 2.0, 0.1, 0.1], [2.0, 0.1, 2.0, 0.1], [0.1, 0.1, 0.1, 2.0]],
                       index=["H", "Twin", "Comp", "Far"], columns=list("abcd"))
    rel = pd.DataFrame(np.eye(4), index=list("abcd"), columns=list("abcd"))
    rel.loc["a", "c"] = rel.loc["c", "a"] = 0.9  # c is related to H's strength a
    out = mt.partner_scores(rca, rel, "H")
    assert out.at["Twin", "similarity"] == pytest.approx(1.0)
    assert out.at["Comp", "complementarity"] > 0 and out.at["Far", "complementarity"] == 0
    assert out.at["Comp", "complementary"] == "c" and out.at["Twin", "shared"] == "a, b"
    assert out.index[-1] == "Far"


def test_specialisation_stability():
    # small: 3 + 3 jobs, LQ of p 0.82 — a few jobs either way flip it; big: 600 + 10, LQ 1.6 and 0.04
    X = pd.DataFrame([[3.0, 3.0], [1000.0, 1000.0], [600.0, 10.0]], index=["small", "x", "big"], columns=["p", "q"])
    st = mt.specialisation_stability(X, draws=400, seed=1)
    assert st.at["big", "p"] == 1.0 and st.at["big", "q"] == 0.0
    assert 0.02 < st.at["small", "p"] < 0.98  # 2 jobs: a fragile call either way
    again = mt.specialisation_stability(X, draws=400, seed=1)
    pd.testing.assert_frame_equal(st, again)
    multi = mt.specialisation_stability(X, draws=200, method="multinomial", seed=2)
    assert multi.at["big", "p"] == 1.0
