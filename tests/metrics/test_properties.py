"""Property tests (hypothesis): invariants every implementation must keep."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smartspec import metrics as mt

counts = st.integers(min_value=2, max_value=12).flatmap(
    lambda r: st.integers(min_value=2, max_value=12).flatmap(
        lambda a: arrays(np.float64, (r, a), elements=st.integers(0, 1000).map(float))))


def _nonempty(x):
    return x[(x.sum(axis=1) > 0)][:, x.sum(axis=0) > 0]


@settings(max_examples=60, deadline=None)
@given(counts)
def test_weighted_mean_lq_is_one(x):
    x = _nonempty(x)
    if x.size == 0:
        return
    lq = mt.location_quotient(x)
    w = x.sum(axis=1) / x.sum()
    np.testing.assert_allclose(w @ lq, 1.0, atol=1e-9)  # per activity, weighted by region size
    share = x.sum(axis=0) / x.sum()
    np.testing.assert_allclose(lq @ share, 1.0, atol=1e-9)  # per region, weighted by activity size


@settings(max_examples=60, deadline=None)
@given(counts, st.floats(0.1, 10))
def test_rca_invariant_to_scale_and_row_scaling_with_fixed_totals(x, k):
    x = _nonempty(x)
    if x.size == 0:
        return
    np.testing.assert_allclose(mt.location_quotient(x * k), mt.location_quotient(x), rtol=1e-9)
    totals = x.sum(axis=0)
    scaled = x.copy()
    scaled[0] *= k
    np.testing.assert_allclose(mt.location_quotient(scaled, totals=totals), mt.location_quotient(x, totals=totals), rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(counts)
def test_density_in_unit_interval(x):
    m = mt.location_quotient(x, threshold=1)
    d = mt.relatedness_density(m, mt.proximity(m))
    assert np.all(d >= -1e-12) and np.all(d <= 1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(counts, st.randoms(use_true_random=False))
def test_permutations_permute_results(x, rnd):
    x = _nonempty(x)
    if x.shape[0] < 3 or x.shape[1] < 3:
        return
    rows = list(range(x.shape[0]))
    cols = list(range(x.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    a = mt.complexity_suite(x)
    b = mt.complexity_suite(x[rows][:, cols])
    for key in ("rca", "density"):
        np.testing.assert_allclose(b[key], a[key][rows][:, cols], atol=1e-9, err_msg=key)
    np.testing.assert_allclose(b["proximity"], a["proximity"][cols][:, cols], atol=1e-12)
    if _eigengap(a["M"]) > 1e-3:  # PCI is unique (up to the sign rule) only when λ2 is simple
        sign = 1.0
        if _symmetric(a):  # every sign statistic vanishes: both signs describe the same ranking
            sign = np.sign(np.dot(b["eci"], a["eci"][rows])) or 1.0
        np.testing.assert_allclose(b["eci"], sign * a["eci"][rows], atol=1e-6)
        np.testing.assert_allclose(b["pci"], sign * a["pci"][cols], atol=1e-6)
        if sign > 0:
            np.testing.assert_allclose(b["cog"], a["cog"][rows][:, cols], atol=1e-6)


def _symmetric(s):
    e, p = np.nan_to_num(s["eci"]), np.nan_to_num(s["pci"])
    d, u = s["diversity"], s["ubiquity"]
    stats = (np.dot(d - d.mean(), e - e.mean()), np.dot(u - u.mean(), p - p.mean()), np.sum((e - e.mean()) ** 3))
    return all(abs(v) < 1e-9 for v in stats)


def _eigengap(m):
    d, u = m.sum(axis=1), m.sum(axis=0)
    m = m[d > 0][:, u > 0]
    if min(m.shape) < 3:
        return 0.0
    mpp = (m / u[u > 0]).T @ (m / d[d > 0][:, None])
    vals = np.sort(np.linalg.eigvals(mpp).real)[::-1]
    return vals[1] - vals[2]
