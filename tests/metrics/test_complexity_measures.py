"""Fitness (with the ranking stop and log scale), GENEPY and the diagnostics of a
complexity result, on matrices worked by hand; the disconnected-matrix warning."""

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from smartspec import metrics as mt
from smartspec.errors import InputError
from smartspec.metrics.complexity import (
    ComplexityWarning,
    components,
    fitness_complexity,
    genepy,
)
from smartspec.metrics.complexity_diagnostics import (
    complexity_diagnostics,
    eigengap,
    spearman,
)

# Three regions in a chain: A and C share only q with B.
M3 = pd.DataFrame([[1, 1, 0], [1, 1, 1], [0, 1, 1]], index=list("ABC"), columns=list("pqr"), dtype=float)


def _genepy_closed_form(a, b):
    """GENEPY of the symmetric 3 × 3 proximity [[0, a, b], [a, 0, a], [b, a, 0]].

    Eigenvectors: (1, 0, −1)/√2 with λ = −b, and (x, y, x) with λ² − bλ − 2a² = 0,
    y = 2a x / λ, 2x² + y² = 1. For the matrices below |λ₋| > b, so the two eigenvalues
    of largest modulus are λ± = (b ± √(b² + 8a²))/2."""
    out = []
    for lam in ((b + math.sqrt(b * b + 8 * a * a)) / 2, (b - math.sqrt(b * b + 8 * a * a)) / 2):
        y_over_x = 2 * a / lam
        x2 = 1 / (2 + y_over_x ** 2)
        out.append((lam, x2, x2 * y_over_x ** 2))  # λ, X²(end nodes), X²(middle node)
    (l1, e1, m1), (l2, e2, m2) = out
    assert abs(l2) > b
    end = (l1 * e1 + l2 * e2) ** 2 + 2 * (l1 ** 2 * e1 + l2 ** 2 * e2)
    mid = (l1 * m1 + l2 * m2) ** 2 + 2 * (l1 ** 2 * m1 + l2 ** 2 * m2)
    return [end, mid, end]


def test_genepy_worked_by_hand():
    # k_r = (2, 3, 2); k_p = Σ_r M_rp / k_r = (1/2 + 1/3, 1/2 + 1/3 + 1/2, 1/3 + 1/2) = (5/6, 4/3, 5/6)
    # W = M / (k_r k_p) = [[3/5, 3/8, 0], [2/5, 1/4, 2/5], [0, 3/8, 3/5]]
    # N = W Wᵀ, diagonal 0: N_AB = N_BC = 6/25 + 3/32 = 267/800, N_AC = 9/64
    # G = Wᵀ W, diagonal 0: G_pq = G_qr = 9/40 + 1/10 = 13/40, G_pr = 4/25
    regions, activities = genepy(M3)
    np.testing.assert_allclose(regions.to_numpy(), _genepy_closed_form(267 / 800, 9 / 64), rtol=1e-12)
    np.testing.assert_allclose(activities.to_numpy(), _genepy_closed_form(13 / 40, 4 / 25), rtol=1e-12)
    assert regions["B"] > regions["A"] == pytest.approx(regions["C"])  # the diversified middle region
    assert list(regions.index) == list("ABC") and regions.name == "genepy"


# GENEPY of this matrix from a line-by-line Python transcription of the authors' MATLAB
# function genepy_index.m (C. Sciarra, v1.0, June 2020: eig, sort by |λ| descending,
# E1 = |first eigenvector|, GENEPY = ((E.^2)*λ).^2 + 2*(E.^2)*(λ.^2)), run once.
REF_M = np.array([[1, 1, 1, 1, 0, 1], [1, 0, 1, 0, 0, 0], [1, 1, 0, 1, 1, 0], [0, 1, 0, 0, 1, 0],
                  [1, 1, 1, 1, 1, 1], [0, 0, 1, 0, 0, 1], [1, 0, 0, 0, 0, 0]], dtype=float)
REF_COUNTRIES = [0.20884632203660153, 0.04035352146831567, 0.2602784187681667, 0.1375097280469526,
                 0.22237780949752184, 0.10658224330018017, 0.01648595415522831]
REF_PRODUCTS = [0.044037357474373665, 0.29575006485126176, 0.07980354432952262, 0.1610938830699487,
                0.2568827874914106, 0.09465135897239929]


def test_genepy_matches_the_authors_function():
    regions, activities = genepy(REF_M)
    np.testing.assert_allclose(regions, REF_COUNTRIES, rtol=1e-10)
    np.testing.assert_allclose(activities, REF_PRODUCTS, rtol=1e-10)


def _genepy_dense(M):
    shares = M / M.sum(axis=1, keepdims=True)
    W = shares / shares.sum(axis=0)
    res = []
    for P in (W @ W.T, W.T @ W):
        np.fill_diagonal(P, 0)
        vals, vecs = np.linalg.eigh(P)
        top = np.argsort(-np.abs(vals))[:2]
        X2 = vecs[:, top] ** 2
        res.append((X2 @ vals[top]) ** 2 + 2 * X2 @ vals[top] ** 2)
    return res


def test_genepy_large_side_uses_two_eigenpairs_only():
    rng = np.random.default_rng(4)
    M = (rng.random((30, 450)) < 0.3).astype(float)  # 450 activities: the eigsh path
    regions, activities = genepy(M)
    ref_r, ref_a = _genepy_dense(M)
    np.testing.assert_allclose(regions, ref_r, rtol=1e-9)
    np.testing.assert_allclose(activities, ref_a, rtol=1e-9)


def test_genepy_empty_rows_and_columns_are_nan_and_permutations_permute():
    M = M3.copy()
    M["s"] = 0.0
    M.loc["D"] = 0.0
    regions, activities = genepy(M)
    assert np.isnan(regions["D"]) and np.isnan(activities["s"])
    np.testing.assert_allclose(regions.drop("D"), genepy(M3)[0])
    rng = np.random.default_rng(2)
    X = (rng.random((9, 7)) < 0.5).astype(float)
    X = X[X.sum(axis=1) > 0][:, X.sum(axis=0) > 0]
    rows, cols = rng.permutation(X.shape[0]), rng.permutation(X.shape[1])
    a, b = genepy(X), genepy(X[rows][:, cols])
    np.testing.assert_allclose(b[0], a[0][rows], rtol=1e-9)
    np.testing.assert_allclose(b[1], a[1][cols], rtol=1e-9)
    with pytest.raises(InputError):
        genepy(np.array([[1.0, 0.0], [0.0, 1.0]]))


NESTED = pd.DataFrame([[1, 0, 0], [1, 1, 0], [1, 1, 1]], index=list("ABC"), columns=list("pqr"), dtype=float)


def test_fitness_one_step_by_hand():
    # from F = Q = 1: F̃ = (1, 2, 3) → mean 2 → (1/2, 1, 3/2); Q̃ = 1/(Σ_r M_rp / 1) = (1/3, 1/2, 1) → mean 11/18
    f, q = fitness_complexity(NESTED, iterations=1)
    np.testing.assert_allclose(f, [0.5, 1.0, 1.5])
    np.testing.assert_allclose(q, [6 / 11, 9 / 11, 18 / 11])


def test_fitness_flowing_to_zero_stops_on_stable_ranking():
    # A perfectly nested (triangular) matrix: the fitness of A and B and the complexity of p
    # and q flow to zero like a power of the iteration (Pugliese et al. 2016), so the values
    # never converge; the ranking does, and is the reading (Mariani et al. 2015).
    f100, _ = fitness_complexity(NESTED, iterations=100, log=True)
    f1000, q1000 = fitness_complexity(NESTED, iterations=1000, log=True)
    assert f1000["A"] < f100["A"] - 4  # still falling: log F_A ≈ −2 log n
    assert f1000["C"] > f1000["B"] > f1000["A"] and q1000["r"] > q1000["q"] > q1000["p"]
    assert np.isfinite(f1000).all() and np.isfinite(q1000).all()
    fs, qs = fitness_complexity(NESTED, iterations=100_000, stable=20, log=True)
    assert fs["A"] > f100["A"]  # stopped early, once the ranking had held for 20 iterations
    assert list(fs.sort_values().index) == list("ABC") and list(qs.sort_values().index) == list("pqr")
    assert fs.name == "log_fitness" and qs.name == "log_complexity"


def test_fitness_log_of_an_empty_region_is_nan():
    M = NESTED.copy()
    M.loc["D"] = 0.0
    f, _ = fitness_complexity(M, iterations=50)
    assert f["D"] == 0.0
    lf, _ = fitness_complexity(M, iterations=50, log=True)
    assert np.isnan(lf["D"]) and np.isfinite(lf.drop("D")).all()
    np.testing.assert_allclose(lf.drop("D"), np.log(f.drop("D")))


def test_fitness_defaults_unchanged_on_a_converging_matrix():
    f, q = fitness_complexity(M3, iterations=5000, tol=1e-15)
    fs, qs = fitness_complexity(M3, iterations=5000, tol=1e-15, stable=50)
    assert f.mean() == pytest.approx(1.0) and q.mean() == pytest.approx(1.0)
    assert f["B"] > f["A"] == pytest.approx(f["C"])
    assert list(fs.rank()) == list(f.rank()) and list(qs.rank()) == list(q.rank())


# Two blocks of regions with no activity in common.
BLOCKS = pd.DataFrame([[1, 1, 0, 0, 0], [1, 0, 0, 0, 0], [0, 1, 0, 0, 0],
                       [0, 0, 1, 1, 0], [0, 0, 0, 1, 1], [0, 0, 1, 0, 1]],
                      index=list("ABCDEF"), columns=list("pqrst"), dtype=float)


def test_components_of_the_bipartite_graph():
    assert list(components(BLOCKS)) == [0, 0, 0, 1, 1, 1]
    assert list(components(M3)) == [0, 0, 0]
    with_empty = BLOCKS.copy()
    with_empty.loc["G"] = 0.0
    assert components(with_empty)[-1] == -1


def test_eci_on_a_disconnected_matrix_warns():
    with pytest.warns(ComplexityWarning, match="2 groups that share no activity"):
        mt.eci_pci(BLOCKS)
    with pytest.warns(ComplexityWarning):
        mt.complexity_suite(np.array([[5, 5, 0, 0], [5, 0, 0, 0], [0, 0, 5, 5], [0, 0, 0, 5.0]]))
    big = np.kron(np.eye(2), (np.random.default_rng(0).random((40, 70)) < 0.4)).astype(float)
    with pytest.warns(ComplexityWarning):  # the Lanczos path (more than 60 activities)
        mt.eci_pci(big)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ComplexityWarning)
        mt.eci_pci(M3)  # connected: no warning


def test_spearman_matches_scipy_with_ties():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 5, 40).astype(float)
    y = x + rng.normal(0, 2, 40)
    y[3] = np.nan
    got = spearman(x, y)
    ok = ~np.isnan(y)
    assert got["rho"] == pytest.approx(stats.spearmanr(x[ok], y[ok])[0], abs=1e-12)
    assert got["n"] == 39 and 0 < got["p"] < 0.5
    assert spearman(x, -y)["p"] > 0.5  # one-sided: ρ > 0
    assert spearman([1, 1, 1, 1, 1], [1, 2, 3, 4, 5])["rho"] is None


def test_eigengap_worked_by_hand():
    # M̃ of test_handworked's M has eigenvalues 1, (3 ± √5)/8
    M = pd.DataFrame([[0, 0, 1], [1, 1, 0], [0, 1, 1]], index=list("ABC"), columns=list("pqr"), dtype=float)
    g = eigengap(M)
    s5 = math.sqrt(5)
    np.testing.assert_allclose(g["eigenvalues"], [1, (3 + s5) / 8, (3 - s5) / 8], atol=1e-12)
    assert g["eigengap"] == pytest.approx(2 * s5 / (3 + s5))
    assert "rotate" in g["meaning"]


def test_diagnostics_json_safe_with_ends_and_income():
    rng = np.random.default_rng(5)
    X = pd.DataFrame(rng.poisson(3, (40, 12)) * (rng.random((40, 12)) < 0.6),
                     index=[f"R{i:02d}" for i in range(40)], columns=[f"a{j}" for j in range(12)])
    M = mt.location_quotient(X, threshold=1)
    eci, pci = mt.eci_pci(M)
    gdp = pd.Series(np.exp(eci.to_numpy() + rng.normal(0, 0.1, 40)), index=M.index).drop("R00")
    d = complexity_diagnostics(M, eci, pci, gdp_per_head=gdp, method="eci")
    json.dumps(d)
    assert d["n_regions"] == 40 and d["n_activities"] == 12 and d["components"] == 1
    assert d["gdp_per_head"]["n"] == 39 and d["gdp_per_head"]["rho"] > 0.9
    assert d["activity_income"]["rho"] > 0.5  # PCI rises with the income of the regions holding it
    assert d["top_regions"] == list(eci.sort_values(ascending=False).index[:5])
    assert d["bottom_regions"] == list(eci.sort_values().index[:5])
    assert d["top_activities"] == list(pci.sort_values(ascending=False).index[:5])
    assert 0 < d["spectrum"]["eigengap"] <= 1
    plain = complexity_diagnostics(M.to_numpy(), eci.to_numpy(), method="fitness")
    json.dumps(plain)
    assert plain["spectrum"] is None and plain["gdp_per_head"] is None and plain["top_activities"] == []
    assert plain["top_regions"] == [int(i) for i in np.argsort(-eci.to_numpy(), kind="stable")[:5]]
