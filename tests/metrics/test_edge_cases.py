"""Edge cases and REAT conventions (issue 13, part 5): weights, negative references,
nullable integers, degenerate inputs, unlabelled relatedness, and the REAT variants.

Hand work is in the comments; REAT outputs are those printed in REAT's own examples
(Wieland, REAT: Regional Economic Analysis Toolbox, examples from Farhauer & Kröll 2013
and Dörsam 2004)."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from smartspec import metrics as mt
from smartspec.errors import InputError

# Three regions × two activities. Rows: A 40, B 40, C 20.
X = pd.DataFrame([[10.0, 30.0], [20.0, 20.0], [0.0, 20.0]], index=list("ABC"), columns=list("pq"))


# 1. Hoover weights ---------------------------------------------------------------------------

def test_hoover_weights_are_normalised_to_shares():
    pop = pd.Series({"A": 100.0, "B": 300.0, "C": 600.0})  # shares 0.1, 0.3, 0.6
    h = mt.hoover_index(X, weights=pop)
    # p: region shares of p 10/30, 20/30, 0 against 0.1, 0.3, 0.6:
    # ½ (|1/3 − 0.1| + |2/3 − 0.3| + |0 − 0.6|) = ½ (0.2333 + 0.3667 + 0.6) = 0.6
    assert h["p"] == pytest.approx(0.6)
    pd.testing.assert_series_equal(h, mt.hoover_index(X, weights=pop / pop.sum()))
    assert (h <= 1).all()


def test_hoover_weights_aligned_by_label():
    pop = pd.Series({"C": 600.0, "A": 100.0, "B": 300.0})
    assert mt.hoover_index(X, weights=pop)["p"] == pytest.approx(0.6)


@pytest.mark.parametrize("weights, word", [([100.0, -1.0, 5.0], "negative"), ([100.0, np.nan, 5.0], "missing"),
                                           ([0.0, 0.0, 0.0], "zero"), ([1.0, np.inf, 1.0], "infinite")])
def test_hoover_rejects_bad_weights(weights, word):
    with pytest.raises(InputError, match=f"weights: .*{word}"):
        mt.hoover_index(X, weights=weights)


def test_hoover_bad_weight_is_named():
    with pytest.raises(InputError, match="region 'B'"):
        mt.hoover_index(X, weights=pd.Series({"A": 1.0, "B": -2.0, "C": 1.0}))


# 2. Negative reference totals ----------------------------------------------------------------

def test_negative_totals_are_refused():
    with pytest.raises(InputError, match="totals: .*negative.*activity 'q'.*non-negative"):
        mt.location_quotient(X, totals=pd.Series({"p": 50.0, "q": -25.0}))
    with pytest.raises(InputError, match="negative"):
        mt.location_quotient(X.to_numpy(), totals=[50.0, -25.0])
    with pytest.raises(InputError, match="negative"):
        mt.location_quotient(sp.csr_array(X.to_numpy()), totals=[50.0, -25.0])
    with pytest.raises(InputError, match="negative"):
        mt.location_quotient(np.stack([X.to_numpy()] * 2), totals=[[50.0, 25.0], [50.0, -25.0]])


def test_missing_totals_are_refused():
    with pytest.raises(InputError, match="totals: .*missing"):
        mt.location_quotient(X, totals=pd.Series({"p": 50.0, "q": np.nan}))
    with pytest.raises(InputError, match="totals: .*missing"):
        mt.location_quotient(X, totals=pd.Series({"p": 50, "q": None}, dtype="Int64"))


def test_valid_totals_still_work():
    # LQ_Ap = (10/40) / (50/75)
    assert mt.location_quotient(X, totals=pd.Series({"p": 50.0, "q": 25.0})).at["A", "p"] == pytest.approx(0.375)


def test_negative_counts_in_x_still_refused():
    with pytest.raises(InputError, match="must not be negative"):
        mt.location_quotient(X.assign(p=[10.0, -1.0, 0.0]), reference=["A", "B"])


# 3. Nullable integers -------------------------------------------------------------------------

def _nullable():
    return pd.DataFrame({"p": pd.array([10, None, 0], dtype="Int64"), "q": pd.array([30, 20, 20], dtype="Int64")},
                        index=list("ABC"))


def test_nullable_na_gets_the_missing_message():
    with pytest.raises(InputError) as got:
        mt.location_quotient(_nullable())
    with pytest.raises(InputError) as want:
        mt.location_quotient(_nullable().astype(float))
    assert str(got.value) == str(want.value)
    assert "missing (NaN) cells, first region 'B', activity 'p'" in str(got.value)


def test_nullable_na_follows_the_missing_policy():
    floats = _nullable().astype(float)
    for policy in ("ignore", "zero"):
        pd.testing.assert_frame_equal(mt.location_quotient(_nullable(), missing=policy),
                                      mt.location_quotient(floats, missing=policy))
    assert np.isnan(mt.location_quotient(_nullable(), missing="ignore").at["B", "p"])


def test_nullable_na_in_a_panel_and_an_object_array():
    panel = pd.concat({2020: _nullable(), 2021: _nullable().fillna(5)})
    with pytest.raises(InputError, match="missing \\(NaN\\) cells, first year 2020, region 'B'"):
        mt.location_quotient(panel)
    with pytest.raises(InputError, match="missing \\(NaN\\) cells"):
        mt.location_quotient(np.array([[1, pd.NA], [2, 3]], dtype=object))


def test_non_numbers_still_named():
    with pytest.raises(InputError, match="all values must be numbers"):
        mt.location_quotient(pd.DataFrame({"p": ["x", "1"], "q": [1.0, 2.0]}))


# 4. Normalised Herfindahl with one activity ---------------------------------------------------

def test_normalised_herfindahl_one_activity_is_one_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = mt.herfindahl(pd.DataFrame({"p": [5.0, 7.0]}, index=["A", "B"]), normalised=True)
    # HHI = 1 (all in one activity); HHI* = (1 − 1/1)/(1 − 1/1) = 0/0, defined as 1
    assert list(h) == [1.0, 1.0]


def test_normalised_herfindahl_of_an_empty_region_is_nan():
    Z = X.copy()
    Z.loc["C"] = 0.0
    h = mt.herfindahl(Z, normalised=True)
    # A: shares 0.25, 0.75: HHI = 0.625, HHI* = (0.625 − 0.5)/0.5 = 0.25
    assert h["A"] == pytest.approx(0.25) and np.isnan(h["C"])
    assert mt.herfindahl(Z)["C"] == 0.0  # plain HHI keeps 0/0 := 0


# 5. Krugman index of an empty region ----------------------------------------------------------

def test_krugman_of_an_empty_region_is_nan():
    Z = X.copy()
    Z.loc["C"] = 0.0
    for reference in ("total", "rest", "others_mean"):
        k = mt.krugman_index(Z, reference=reference)
        assert np.isnan(k["C"]), reference
        assert np.isfinite(k[["A", "B"]]).all(), reference
    # total: reference shares 30/80, 50/80; A: |0.25 − 0.375| + |0.75 − 0.625| = 0.25
    assert mt.krugman_index(Z)["A"] == pytest.approx(0.25)


def test_krugman_with_an_empty_reference_is_nan():
    lone = pd.DataFrame([[10.0, 30.0], [0.0, 0.0]], index=["A", "B"], columns=list("pq"))
    assert np.isnan(mt.krugman_index(lone, reference="rest")["A"])
    assert np.isnan(mt.krugman_index(lone, reference="others_mean")["A"])
    assert mt.krugman_index(lone)["A"] == pytest.approx(0.0)


def test_krugman_empty_region_in_a_panel():
    panel = np.stack([X.to_numpy(), np.vstack([X.to_numpy()[:2], [[0.0, 0.0]]])])
    k = mt.krugman_index(panel)
    assert np.isfinite(k[0]).all() and np.isnan(k[1, 2]) and np.isfinite(k[1, :2]).all()


# 6. Unlabelled relatedness ---------------------------------------------------------------------

M = pd.DataFrame([[0, 0, 1], [1, 1, 0], [0, 1, 1]], index=list("ABC"), columns=list("pqr"), dtype=float)
PHI = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]])


def test_unlabelled_relatedness_of_the_wrong_size():
    with pytest.raises(InputError, match="relatedness is 2×2 but there are 3 activities"):
        mt.relatedness_density(M.to_numpy(), PHI[:2, :2])
    with pytest.raises(InputError, match="relatedness is 2×2 but there are 3 activities"):
        mt.relatedness_density(M, PHI[:2, :2])


def test_unlabelled_relatedness_with_labelled_m_warns_and_uses_position():
    with pytest.warns(UserWarning, match="no labels.*by position"):
        dens = mt.relatedness_density(M, PHI)
    labelled = pd.DataFrame(PHI, index=M.columns, columns=M.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        by_label = mt.relatedness_density(M, labelled)
        plain = mt.relatedness_density(M.to_numpy(), PHI)  # both unlabelled: by position, silently
    pd.testing.assert_frame_equal(dens, by_label)
    np.testing.assert_allclose(plain, by_label.to_numpy())
    # A has r only: ω_Ap = (0·1 + 0·0.5 + 1·0)/1.5 = 0, ω_Aq = 0.5/2 = 0.25, ω_Ar = 1/1.5
    np.testing.assert_allclose(dens.loc["A"], [0.0, 0.25, 1 / 1.5])


def test_labelled_relatedness_is_aligned_by_label():
    shuffled = pd.DataFrame(PHI, index=M.columns, columns=M.columns).loc[["r", "p", "q"], ["q", "r", "p"]]
    pd.testing.assert_frame_equal(mt.relatedness_density(M, shuffled),
                                  mt.relatedness_density(M, pd.DataFrame(PHI, index=M.columns, columns=M.columns)))


def test_panel_of_relatedness_is_aligned_by_label():
    years = [2020, 2021]
    Mp = pd.concat({y: M for y in years})
    phi = pd.DataFrame(PHI, index=M.columns, columns=M.columns)
    straight = pd.concat({y: phi for y in years})
    shuffled = pd.concat({y: phi.loc[["r", "p", "q"], ["q", "r", "p"]] for y in years})
    pd.testing.assert_frame_equal(mt.relatedness_density(Mp, shuffled), mt.relatedness_density(Mp, straight))


# 7. REAT variants ------------------------------------------------------------------------------

def test_locational_gini_unweighted_by_hand():
    # one activity all in region 1 (10 % of employment): LQs (10, 0).
    # weighted (Krugman): 1 − 0.1 = 0.9; unweighted Gini of (0, 10), n = 2:
    # Σ (2k − n − 1) LQ_(k) / (n Σ LQ) = (−1·0 + 1·10)/(2·10) = 0.5
    Y = np.array([[10.0, 0.0], [0.0, 90.0]])
    assert mt.locational_gini(Y)[0] == pytest.approx(0.9)
    assert mt.locational_gini(Y, weighted=False)[0] == pytest.approx(0.5)
    # an empty region has no LQ and is left out: still 0.5
    assert mt.locational_gini(np.vstack([Y, [0.0, 0.0]]), weighted=False)[0] == pytest.approx(0.5)
    # activity q of X: LQs A (30/40)/(70/100) = 15/14, B (20/40)/0.7 = 5/7, C (20/20)/0.7 = 10/7
    # sorted 5/7, 15/14, 10/7 (Σ = 45/14): (−2·5/7 + 0 + 2·10/7) / (3 · 45/14) = (10/7)/(135/14) = 4/27
    assert mt.locational_gini(X, weighted=False)["q"] == pytest.approx(4 / 27)


def test_locational_gini_unweighted_matches_reat_gini_conc():
    # REAT gini.conc(E_ij, E_j), Farhauer/Kröll (2013): industry employment in five regions and the
    # regions' total employment; REAT prints 0.4068966. As a matrix: columns industry, rest of employment.
    e_ij = np.array([500, 500, 1000, 7000, 1000.0])
    e_j = np.array([20000, 15000, 20000, 40000, 5000.0])
    Y = np.column_stack([e_ij, e_j - e_ij])
    # LQs 0.25, 1/3, 0.5, 1.75, 2 (Σ 29/6): (−4·0.25 − 2/3 + 0 + 2·1.75 + 4·2) / (5 · 29/6) = 0.4068966
    assert mt.locational_gini(Y, weighted=False)[0] == pytest.approx(0.4068966, abs=1e-7)
    assert mt.locational_gini(Y)[0] == pytest.approx(0.3725)  # smartspec's weighted default differs


def test_locational_gini_unweighted_panel_and_missing():
    panel = np.stack([X.to_numpy(), X.to_numpy()])
    np.testing.assert_allclose(mt.locational_gini(panel, weighted=False)[1, 1], 4 / 27)
    Z = X.copy()
    Z.loc["B", "p"] = np.nan
    g = mt.locational_gini(Z, weighted=False, missing="ignore")
    assert np.isnan(g["p"])


def test_krugman_others_mean_by_hand():
    Y = pd.DataFrame([[30.0, 10.0], [20.0, 20.0], [10.0, 90.0]], index=list("ABC"), columns=list("pq"))
    # shares A (0.75, 0.25), B (0.5, 0.5), C (0.1, 0.9)
    # others_mean for A: mean of B and C = (0.3, 0.7): |0.75 − 0.3| + |0.25 − 0.7| = 0.9
    assert mt.krugman_index(Y, reference="others_mean")["A"] == pytest.approx(0.9)
    # rest for A: B + C = (30, 110)/140: 2 · |0.75 − 3/14| = 15/14
    assert mt.krugman_index(Y, reference="rest")["A"] == pytest.approx(15 / 14)
    # total: (60, 120)/180 = (1/3, 2/3): 2 · |0.75 − 1/3| = 5/6
    assert mt.krugman_index(Y)["A"] == pytest.approx(5 / 6)
    # an empty region is left out of the others' mean
    Z = pd.concat([Y, pd.DataFrame([[0.0, 0.0]], index=["D"], columns=list("pq"))])
    assert mt.krugman_index(Z, reference="others_mean")["A"] == pytest.approx(0.9)


def test_krugman_others_mean_matches_reat_krugman_spec2():
    # REAT krugman.spec2(Sweden, countries), Farhauer/Kröll (2013): prints 0.1595
    Y = np.array([[45000, 15000, 32000, 10000, 30000],   # Sweden
                  [35000, 12000, 30000, 8000, 22000],    # Norway
                  [40000, 10000, 25000, 9000, 18000],    # Denmark
                  [30000, 11000, 18000, 3000, 13000],    # Finland
                  [40000, 6000, 11000, 2000, 12000]], dtype=float)  # Iceland
    assert mt.krugman_index(Y, reference="others_mean")[0] == pytest.approx(0.1595, abs=5e-5)
    with pytest.raises(ValueError, match="others_mean"):
        mt.krugman_index(Y, reference="mean")


def test_krugman_rest_matches_reat_krugman_spec_for_two_regions():
    # REAT krugman.spec(E_ij, E_il) prints 2 (no industry in common)
    Y = np.array([[20, 10, 70, 0, 0], [0, 0, 0, 60, 40]], dtype=float)
    assert mt.krugman_index(Y, reference="rest")[0] == pytest.approx(2.0)


def test_gini_of_lq_matches_reat_gini_spec():
    # REAT gini.spec(E_ij, E_i) — Gini of a region's LQs over industries — prints 0.6222222;
    # smartspec: gini(location_quotient(region, totals=national))
    region = np.array([[700, 600, 500, 10000, 40000.0]])
    national = np.array([30000, 15000, 10000, 60000, 50000.0])
    assert mt.gini(mt.location_quotient(region, totals=national))[0] == pytest.approx(0.6222222, abs=1e-7)


def test_herfindahl_matches_reat_herf():
    sales = np.array([[20, 50, 20, 10.0]])  # REAT herf(sales) 0.34; herf(sales, coefnorm=TRUE) 0.12
    # 0.2² + 0.5² + 0.2² + 0.1² = 0.34; (0.34 − 0.25)/(1 − 0.25) = 0.12
    assert mt.herfindahl(sales)[0] == pytest.approx(0.34)
    assert mt.herfindahl(sales, normalised=True)[0] == pytest.approx(0.12)
