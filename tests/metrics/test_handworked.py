"""Every method on small matrices worked by hand (the numbers in comments are the hand work)."""

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from smartspec import metrics as mt
from smartspec.data.classifications.nace import ancestor_at, normalise_activity
from smartspec.errors import InputError

# Three regions × three activities. Totals: rows A 40, B 40, C 20; columns p 30, q 30, r 40; all 100.
X = pd.DataFrame([[10, 0, 30], [20, 20, 0], [0, 10, 10]], index=list("ABC"), columns=list("pqr"), dtype=float)
M = pd.DataFrame([[0, 0, 1], [1, 1, 0], [0, 1, 1]], index=list("ABC"), columns=list("pqr"), dtype=float)
S5 = math.sqrt(5)


def test_location_quotient():
    lq = mt.location_quotient(X)
    expected = [[(10 / 40) / 0.3, 0, (30 / 40) / 0.4], [(20 / 40) / 0.3, (20 / 40) / 0.3, 0],
                [0, (10 / 20) / 0.3, (10 / 20) / 0.4]]
    np.testing.assert_allclose(lq.to_numpy(), expected)
    pd.testing.assert_frame_equal(mt.location_quotient(X, threshold=1), M)
    # LQ exactly 1 counts as specialised (>=)
    assert mt.location_quotient(pd.DataFrame([[1.0, 1.0], [1.0, 1.0]]), threshold=1).to_numpy().sum() == 4


def test_location_quotient_references():
    # against supplied totals (e.g. the national total)
    lq = mt.location_quotient(X, totals=pd.Series({"p": 50.0, "q": 25.0, "r": 25.0}))
    assert lq.at["A", "r"] == pytest.approx((30 / 40) / 0.25)
    # against a peer group: regions B and C only (totals p 20, q 30, r 10 of 60)
    peer = mt.location_quotient(X, reference=["B", "C"])
    assert peer.at["A", "p"] == pytest.approx((10 / 40) / (20 / 60))


def test_location_quotient_input_types_agree():
    dense = mt.location_quotient(X.to_numpy())
    sparse = mt.location_quotient(sp.csr_array(X.to_numpy()))
    assert sp.issparse(sparse)
    np.testing.assert_allclose(sparse.toarray(), dense)
    np.testing.assert_allclose(mt.location_quotient(sp.csr_array(X.to_numpy()), threshold=1).toarray(), M.to_numpy())


def test_missing_cells_are_explicit():
    Xn = X.copy()
    Xn.iloc[0, 1] = np.nan
    with pytest.raises(InputError, match="1 missing \\(NaN\\) cells, first region 'A', activity 'q'"):
        mt.location_quotient(Xn)
    kept = mt.location_quotient(Xn, missing="ignore")
    assert np.isnan(kept.at["A", "q"]) and kept.at["A", "r"] == pytest.approx(1.875)
    assert mt.location_quotient(Xn, missing="zero").at["A", "q"] == 0


def test_zero_rows_and_columns_give_zero():
    Z = X.copy()
    Z["s"] = 0.0
    Z.loc["D"] = 0.0
    lq = mt.location_quotient(Z)
    assert (lq.loc["D"] == 0).all() and (lq["s"] == 0).all() and not lq.isna().any().any()


def test_rpop():
    pop = pd.Series({"A": 100.0, "B": 300.0, "C": 600.0})
    out = mt.rpop(X, pop)
    # RPOP_Ap = (10/100) / (30/1000)
    assert out.at["A", "p"] == pytest.approx((10 / 100) / (30 / 1000))


def test_concentration_indices():
    assert mt.krugman_index(X)["A"] == pytest.approx(0.05 + 0.30 + 0.35)
    assert mt.krugman_index(X, reference="rest")["A"] == pytest.approx(abs(0.25 - 20 / 60) + abs(0 - 30 / 60) + abs(0.75 - 10 / 60))
    assert mt.herfindahl(X)["A"] == pytest.approx(0.625)
    assert mt.herfindahl(X, normalised=True)["A"] == pytest.approx((0.625 - 1 / 3) / (2 / 3))
    assert mt.shannon_entropy(X)["A"] == pytest.approx(-(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75)))
    # Hoover of p: region shares of p (1/3, 2/3, 0) against total shares (0.4, 0.4, 0.2)
    assert mt.hoover_index(X)["p"] == pytest.approx(0.5 * (1 / 15 + 4 / 15 + 0.2))
    assert mt.hoover_index(X, weights="uniform")["p"] == pytest.approx(0.5 * (0 + 1 / 3 + 1 / 3))
    assert mt.gini(np.array([[1.0, 2.0, 3.0, 4.0]]))[0] == pytest.approx(0.25)
    # all of an activity in a region with 10 % of total employment: locational Gini 0.9
    assert mt.locational_gini(np.array([[10.0, 0.0], [0.0, 90.0]]))[0] == pytest.approx(0.9)
    # an activity spread like total employment: 0
    assert mt.locational_gini(np.array([[10.0, 20.0], [30.0, 60.0]]))[0] == pytest.approx(0.0)


def test_related_and_unrelated_variety():
    x = pd.DataFrame([[10.0, 30.0, 60.0]], columns=["10", "11", "62"])  # C, C, J
    v = mt.variety(x, {"10": "C", "11": "C", "62": "J"}).iloc[0]
    # the same groups as a list, or as a function (a division's NACE section, from the caller's classification)
    pd.testing.assert_series_equal(mt.variety(x, ["C", "C", "J"]).iloc[0], v)
    pd.testing.assert_series_equal(mt.variety(x, lambda d: ancestor_at(normalise_activity(d), "section")).iloc[0], v)
    with pytest.raises(InputError, match="no group for columns"):
        mt.variety(x, {"10": "C"})
    uv = 0.4 * math.log2(1 / 0.4) + 0.6 * math.log2(1 / 0.6)
    rv = 0.4 * -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))
    assert v["unrelated_variety"] == pytest.approx(uv) and v["related_variety"] == pytest.approx(rv)
    assert v["entropy"] == pytest.approx(uv + rv)


def test_growth():
    g = mt.growth(X, X * 1.21, kind="cagr", years=2)
    assert g.at["A", "p"] == pytest.approx(0.1)
    assert np.isnan(g.at["A", "q"])  # from zero: no growth rate (an entry)
    assert mt.growth(X, X * 2, kind="log").at["B", "q"] == pytest.approx(math.log(2))


def test_shift_share_classic_and_esteban_marquillas():
    e0 = pd.DataFrame([[100.0, 50.0], [50.0, 100.0]], index=["R1", "R2"], columns=["a", "b"])
    e1 = pd.DataFrame([[110.0, 45.0], [70.0, 110.0]], index=["R1", "R2"], columns=["a", "b"])
    ss = mt.shift_share(e0, e1, method="esteban-marquillas").set_index(["region", "activity"])
    r1a = ss.loc[("R1", "a")]
    g, ga = 335 / 300 - 1, 180 / 150 - 1
    assert r1a.national_share == pytest.approx(100 * g)
    assert r1a.industry_mix == pytest.approx(100 * (ga - g))
    assert r1a.competitive == pytest.approx(10 - 100 * ga)
    assert r1a.homothetic_competitive == pytest.approx(75 * (0.1 - 0.2))
    assert r1a.allocation == pytest.approx(25 * (0.1 - 0.2))
    total = ss[["national_share", "industry_mix", "competitive"]].sum(axis=1)
    np.testing.assert_allclose(total, ss.change)
    np.testing.assert_allclose(ss.homothetic_competitive + ss.allocation, ss.competitive)


def test_dynamic_shift_share_sums_yearly_steps():
    panel = np.array([[[100.0, 50.0], [50.0, 100.0]], [[105.0, 48.0], [60.0, 104.0]], [[110.0, 45.0], [70.0, 110.0]]])
    dyn = mt.dynamic_shift_share(panel)
    step1 = mt.shift_share(panel[0], panel[1])
    step2 = mt.shift_share(panel[1], panel[2])
    for key in ("national_share", "industry_mix", "competitive"):
        np.testing.assert_allclose(dyn[key], step1[key] + step2[key])
    np.testing.assert_allclose(dyn["change"], panel[2] - panel[0])


def test_entries_and_exits_with_band():
    rca = np.array([[[0.4, 1.2, 0.9]], [[1.1, 0.3, 1.0]]])  # 2 years × 1 region × 3 activities
    entries, exits = mt.entries_exits(rca)
    np.testing.assert_array_equal(entries[0, 0], [1, 0, 1])
    np.testing.assert_array_equal(exits[0, 0], [0, 1, 0])
    entries, _ = mt.entries_exits(rca, lower=0.5)  # only from below 0.5
    np.testing.assert_array_equal(entries[0, 0], [1, 0, 0])


def test_cooccurrence_and_proximity():
    c = mt.co_occurrence(M)
    np.testing.assert_array_equal(c.to_numpy(), [[1, 1, 0], [1, 2, 1], [0, 1, 2]])
    phi = mt.proximity(M)
    np.testing.assert_allclose(phi.to_numpy(), [[1, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 1]])
    assert mt.proximity(M, diagonal=0).to_numpy().trace() == 0
    asym = mt.proximity(M, asymmetric=True, diagonal=None)
    assert asym.at["p", "q"] == 1.0 and asym.at["q", "p"] == 0.5  # P(q|p) = 1/1, P(p|q) = 1/2


def test_cooccurrence_normalisations_econgeo():
    # C without diagonal: s = (1, 2, 1), T = 4
    c = np.array([[1.0, 1, 0], [1, 2, 1], [0, 1, 2]])
    assoc = mt.normalise_cooccurrence(c, "association")
    assert assoc[0, 1] == pytest.approx(1 * 4 / (1 * 2))
    assert mt.normalise_cooccurrence(c, "cosine")[0, 1] == pytest.approx(1 / math.sqrt(2))
    assert mt.normalise_cooccurrence(c, "jaccard")[0, 1] == pytest.approx(1 / (1 + 2 - 1))
    expected = ((1 / 4) * (2 / (4 - 1)) + (2 / 4) * (1 / (4 - 2))) * (4 / 2)
    assert mt.normalise_cooccurrence(c, "prob")[0, 1] == pytest.approx(1 / expected)
    assert np.diag(mt.normalise_cooccurrence(c, "prob")).sum() == 0


def test_relatedness_density():
    dens = mt.relatedness_density(M, mt.proximity(M))
    np.testing.assert_allclose(dens.to_numpy(), [[0, 0.25, 2 / 3], [1, 0.75, 1 / 3], [1 / 3, 0.75, 1]])
    np.testing.assert_allclose(mt.distance(M, mt.proximity(M)).to_numpy(), 1 - dens.to_numpy())
    loo = mt.relatedness_density(M, mt.proximity(M), exclude_self=True)
    assert loo.at["A", "r"] == 0 and loo.at["B", "p"] == 1.0  # p's only neighbour q is present
    with pytest.raises(InputError, match="must be binary"):
        mt.relatedness_density(X, mt.proximity(M))


def test_skill_relatedness():
    flows = pd.DataFrame([[0, 30, 10], [20, 0, 0], [10, 0, 30]], index=list("abc"), columns=list("abc"), dtype=float)
    sr = mt.skill_relatedness(flows, transform=False)
    # kept diagonal: total 100; a→b: 30 / (40 * 30 / 100) = 2.5
    assert sr.at["a", "b"] == pytest.approx(30 / (40 * 30 / 100))
    assert mt.skill_relatedness(flows).at["a", "b"] == pytest.approx((2.5 - 1) / (2.5 + 1))
    excl = mt.skill_relatedness(flows, exclude_diagonal=True, transform=False)
    # without within-industry moves: total 70, a out 40, b in 30
    assert excl.at["a", "b"] == pytest.approx(30 / (40 * 30 / 70))
    long = flows.stack().rename("n").reset_index()
    long.columns = ["source", "target", "n"]
    pd.testing.assert_frame_equal(mt.skill_relatedness(long), mt.skill_relatedness(flows), check_names=False)


def test_align_relatedness_from_classes_to_divisions():
    r = pd.DataFrame([[1.0, 0.5, 0.2], [0.5, 1.0, 0.4], [0.2, 0.4, 1.0]], index=["1011", "1012", "2011"],
                     columns=["1011", "1012", "2011"])
    out = mt.align_relatedness(r, ["10", "20"], mapping=lambda c: ancestor_at(normalise_activity(c), "division"))
    assert out.at["10", "20"] == pytest.approx((0.2 + 0.4) / 2) and out.at["10", "10"] == 1.0


def _closed_form():
    """PCI and ECI of M worked by hand: M̃_pp has eigenvalues 1, (3 ± √5)/8."""
    lam = (3 + S5) / 8
    kp = np.array([1.0, 2 * lam - 1, -0.25 * (2 * lam - 1) / (0.75 - lam)])
    kc = np.array([kp[2], (kp[0] + kp[1]) / 2, (kp[1] + kp[2]) / 2])
    mu, sd = kc.mean(), kc.std()
    return (kc - mu) / sd, (kp - mu) / sd


def test_eci_pci_closed_form():
    eci, pci = mt.eci_pci(M)
    e, p = _closed_form()
    np.testing.assert_allclose(eci.to_numpy(), e, atol=1e-12)
    np.testing.assert_allclose(pci.to_numpy(), p, atol=1e-12)
    assert eci["A"] == pytest.approx(-S5 / 2)  # −1.1180…


def test_eci_pci_drops_empty_rows_with_nan():
    Mz = M.copy()
    Mz.loc["D"] = 0.0
    eci, _ = mt.eci_pci(Mz)
    assert np.isnan(eci["D"]) and not eci.drop("D").isna().any()


def test_reflections_and_fitness():
    kc, kp = mt.method_of_reflections(M, iterations=200)
    e, p = _closed_form()
    # the reflections converge to the same ranking as the eigenvector
    assert list(np.argsort(kc.to_numpy())) == list(np.argsort(e))
    f, q = mt.fitness_complexity(M)
    assert f["B"] > f["C"] > f["A"] and f.mean() == pytest.approx(1.0)


def test_complexity_outlook_by_loops():
    phi = mt.proximity(M).to_numpy()
    _, pci = mt.eci_pci(M)
    coi, cog = mt.complexity_outlook(M, phi, pci)
    m, k = M.to_numpy(), pci.to_numpy()
    dens = mt.relatedness_density(M, phi).to_numpy()
    for r in range(3):
        assert coi.iloc[r] == pytest.approx(sum(dens[r, p] * (1 - m[r, p]) * k[p] for p in range(3)))
        for p in range(3):
            want = (1 - m[r, p]) * sum((1 - m[r, q]) * phi[q, p] / phi[q].sum() * k[q] for q in range(3))
            assert cog.iloc[r, p] == pytest.approx(want)


def test_subnational_eci():
    pci = pd.Series({"p": 2.0, "q": 1.0, "r": -1.0})
    assert mt.subnational_eci(M, pci).to_dict() == {"A": -1.0, "B": 1.5, "C": 0.0}


def test_panel_equals_year_by_year():
    rng = np.random.default_rng(1)
    panel = rng.poisson(3, size=(3, 12, 9)).astype(float)
    suite = mt.complexity_suite(panel)
    for t in range(3):
        one = mt.complexity_suite(panel[t])
        for key in ("rca", "density", "eci", "pci", "coi", "cog"):
            np.testing.assert_allclose(suite[key][t], one[key], atol=1e-12, err_msg=key)
