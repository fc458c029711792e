"""Suppressed cells: intervals and estimates under the published adding-up constraints.

Statistical offices suppress small or dominated cells (Eurostat's ``:``, flag
``c``), but they publish the totals above them: a region's section, the region's
total, the country's value of each activity. The suppressed cells of a
regions × activities matrix are therefore not free. They must add up to what is
left of each published total once the known cells are taken off. This module
turns those constraints into

* an **interval** for each suppressed cell (Isserman & Westervelt 2006): the cell
  lies in ``[max(lower, residual − Σ upper bounds of the other suppressed cells of
  the total), residual − Σ lower bounds of the others]`` for every total it belongs
  to, and the bounds are tightened in turn over all totals until nothing changes;
* a **point estimate** inside the intervals that meets the totals:

  - ``method="lp"`` (default; Eckert, Fort, Schott & Yang 2020): a linear programme
    that minimises the deviation from a prior subject to the adding-up constraints
    and the intervals, solved with HiGHS (:func:`scipy.optimize.linprog`) on sparse
    matrices. The prior is the national share structure (each region's residual
    shared in the country's activity mix), raked to all totals. The deviation is
    measured relative to the prior with a convex, piecewise-linear cost (slopes 1,
    2, 4, 8 beyond 10 %, 30 % and 100 %), so an adjustment is spread over the cells
    in proportion to their size instead of being piled on one cell, as a plain L1
    objective would. Published totals that contradict each other (rounding) cannot
    make the programme infeasible: each constraint has a penalised slack, as in
    Eckert et al.'s first stage, and the violation left is reported;
  - ``method="ipf"``: the raked prior alone: iterative proportional fitting of the
    suppressed cells to the residual of each family of totals in turn, clipped to
    the intervals after each step.

The matrix is ``X`` (regions × activities, NaN = suppressed). The constraints are
passed in; nothing here knows where they come from:

* ``groups`` (the section of each activity) with ``group_totals`` (regions ×
  sections, NaN where the region's section value is itself suppressed);
* ``row_totals`` (each region's total, NaN where unknown);
* ``areas`` (the country, or any larger area, of each region; a list of them for
  several levels, e.g. NUTS 1 and country) with ``col_totals`` (areas ×
  activities: the country rows of the same table) and ``col_group_totals``
  (areas × sections). ``col_exact`` says whether the regions given make up the
  whole area (the sum equals the total) or only part of it (the sum is at most
  the total, e.g. when overseas regions are left out of the matrix);
* non-negativity, and optional per-cell ``lower``/``upper`` bounds, e.g. a
  suppression threshold (Eurostat does not publish one; a caller who knows that
  suppressed cells are small can say so with ``upper``).

A cell whose interval has no finite upper end (no published total covers it) is
not estimated: it stays NaN and is not flagged.

References:
Isserman, A. M. and J. Westervelt (2006). 1.5 million missing numbers: overcoming
employment suppression in County Business Patterns data. International Regional
Science Review 29(3), 311-335. doi:10.1177/0160017606290359.
Eckert, F., T. C. Fort, P. K. Schott and N. J. Yang (2020). Imputing missing values
in the US Census Bureau's County Business Patterns. NBER Working Paper 26632.
doi:10.3386/w26632.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from smartspec.errors import InputError
from smartspec.metrics._input import _is_frame, as_matrix, pd, sp

METHODS = ("lp", "ipf")
PRIORS = ("raked", "national")

# Piecewise-linear relative deviation cost of the LP: breakpoints (as a share of
# the prior) and the slope of each piece. Convex, so the LP picks pieces in order.
_PIECES = (0.1, 0.3, 1.0, np.inf)
_SLOPES = (1.0, 2.0, 4.0, 8.0)
_PENALTY = 1e3  # cost per unit of violated published total, per unit of the smallest scale


class Suppressed(NamedTuple):
    """The result of :func:`estimate_suppressed`, in the caller's type (DataFrame or array).

    ``estimate``: ``X`` with the suppressed cells filled in (NaN where no published
    total covers the cell); ``low``/``high``: the interval of each cell (equal to
    the value for a published cell; NaN/inf where not estimable); ``estimated``:
    True for every estimated cell; ``info``: method, seconds, iterations, the
    largest violation of a published total by the estimate, counts.
    """

    estimate: object
    low: object
    high: object
    estimated: object
    info: dict


def estimate_suppressed(X, *, groups=None, group_totals=None, row_totals=None, areas=None, col_totals=None,
                        col_group_totals=None, col_exact=True, lower=None, upper=None, prior=None,
                        method: str = "lp", atol: float = 0.0, rtol: float = 0.0,
                        max_iter: int = 200) -> Suppressed:
    r"""Intervals and estimates of the suppressed (NaN) cells of ``X`` under published totals.

    ``X``: regions × activities (DataFrame or array), NaN for a suppressed cell.

    Constraints (each optional; NaN marks a total that is not published):

    * ``groups``: the section of each activity (a Series/dict indexed by the
      activity labels, or a sequence aligned with the columns; None/NaN/"" for an
      activity in no section) and ``group_totals``: regions × sections, published
      section values. With arrays, ``groups`` are integer codes ``0…G−1`` (−1 for
      none) and ``group_totals`` has G columns in code order.
    * ``row_totals``: each region's total (Series or vector).
    * ``areas``: the area (country) of each region (Series/dict region → area, or
      integer codes for arrays, −1 for none), or a list of them for several levels;
      ``col_totals``: areas × activities (a DataFrame indexed by area holding the
      areas of every level, or one array per level); ``col_group_totals``: areas ×
      sections, likewise. ``col_exact``: True if the regions of an area make up the
      whole area (their sum equals the total), False if they are only part of it
      (the sum is at most the total); a bool, or a Series/dict by area.
    * ``lower``/``upper``: bounds of the suppressed cells (scalar or regions ×
      activities), e.g. ``upper=threshold`` when cells are known to be suppressed
      because they are small. Cells are never negative.

    ``prior``: what the estimate stays close to. ``"national"``: the national
    share structure. Within each region's residual (its published section value
    minus its known divisions, or its total minus its known cells) the suppressed
    cells share in proportion to what is left of each activity in the country (the
    country's value minus its regions' known cells; where the country's value is
    suppressed too, the activity's share in all countries' published values).
    ``"raked"`` (default): that structure raked (IPF) to all published totals
    within the intervals, so the country's columns are matched as well as the
    regions' rows. Or a regions × activities matrix of the caller's own.

    ``method``: ``"lp"`` (default): the linear programme of Eckert et al. (2020),
    the point nearest the prior that meets every published total (up to
    contradictions between them); ``"ipf"``: the raked prior itself, which meets
    the totals only as far as the raking has converged (``max_iter`` sweeps).
    ``atol``/``rtol``: how far a published total may be off the sum of its
    published parts (rounding); the intervals are widened by ``atol + rtol·|total|``.

    Interval of a suppressed cell *u* in a total *c* with residual
    :math:`R_c = T_c − \sum_{known} x` (Isserman & Westervelt 2006), tightened over
    all totals until stable:

    .. math:: \max\bigl(l_u,\ R_c − \textstyle\sum_{v∈c, v≠u} h_v\bigr) \le x_u \le
              \min\bigl(h_u,\ R_c − \textstyle\sum_{v∈c, v≠u} l_v\bigr)

    LP (Eckert et al. 2020, here with a prior in place of their interval midpoint):

    .. math:: \min \sum_u \frac{\phi(x_u − p_u)}{s_u} + M \sum_c |e_c|
              \quad\text{s.t.}\quad A x + e = R,\ l \le x \le h

    with :math:`\phi` convex piecewise linear, :math:`s_u = \max(p_u, s_0)` and the
    penalised slack :math:`e` only taking up contradictions between published totals.

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities, NaN for a suppressed cell.
    groups, group_totals : optional
        Each activity's section and the regions × sections published values.
    row_totals : Series or vector, optional
        Each region's published total.
    areas : Series, dict, array or list of them, optional
        Each region's area (one level, or a list of levels).
    col_totals, col_group_totals : DataFrame or arrays, optional
        Areas × activities and areas × sections published values.
    col_exact : bool or dict, default True
        Whether an area's regions make up the whole area.
    lower, upper : float or matrix, optional
        Bounds of the suppressed cells.
    prior : {'raked', 'national'} or matrix, optional
        What the estimate stays close to (default ``'raked'``).
    method : {'lp', 'ipf'}, default 'lp'
        Linear programme or raking.
    atol, rtol : float, default 0.0
        Tolerated rounding of a published total.
    max_iter : int, default 200
        Raking sweeps.

    Returns
    -------
    Suppressed
        ``(estimate, low, high, estimated, info)`` in the caller's type.

    Raises
    ------
    ValueError
        When ``method`` or ``prior`` is unknown, or section totals come without
        ``groups``.
    InputError
        When ``groups``, ``areas`` or a total does not fit the shape of ``X``.
    RuntimeError
        When the linear programme fails.

    References
    ----------
    Isserman, A. M. & Westervelt, J. (2006). 1.5 million missing numbers:
    overcoming employment suppression in County Business Patterns data.
    International Regional Science Review 29(3), 311-335. Eckert, F., Fort, T. C.,
    Schott, P. K. & Yang, N. J. (2020). Imputing missing values in the US Census
    Bureau's County Business Patterns. NBER Working Paper 26632.

    Examples
    --------
    Region ``a`` publishes 10 in ``x`` and a total of 30; ``y`` and ``z`` are
    suppressed. The total alone gives each an interval [0, 20] and a split of the
    residual 20 in the proportion of what the rest of the country has (5 : 15):

    >>> import numpy as np
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame({"x": [10, 20], "y": [np.nan, 5], "z": [np.nan, 15]}, index=["a", "b"])
    >>> r = mt.estimate_suppressed(X, row_totals=pd.Series({"a": 30, "b": 40}))
    >>> r.estimate.loc["a"].tolist(), r.low.loc["a"].tolist(), r.high.loc["a"].tolist()
    ([10.0, 5.0, 15.0], [10.0, 0.0, 0.0], [10.0, 20.0, 20.0])
    >>> r.estimated.loc["a"].tolist()
    [False, True, True]

    The country's published columns pin them down: 12 − 5 = 7 and 28 − 15 = 13.

    >>> country = pd.DataFrame({"x": [30], "y": [12], "z": [28]}, index=["SE"])
    >>> r = mt.estimate_suppressed(X, row_totals=pd.Series({"a": 30, "b": 40}),
    ...                            areas={"a": "SE", "b": "SE"}, col_totals=country)
    >>> r.low.loc["a"].tolist(), r.high.loc["a"].tolist()
    ([10.0, 7.0, 13.0], [10.0, 7.0, 13.0])
    >>> r.info["n_estimated"], r.info["max_violation"]
    (2, 0.0)
    """
    started = time.perf_counter()
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    m = as_matrix(X, missing="ignore", allow_panel=False, allow_sparse=False)
    x = np.array(m.values, dtype=np.float64)
    R, J = x.shape
    frame = m.kind == "frame"
    unknown = np.isnan(x)
    u_idx = np.flatnonzero(unknown)
    n = u_idx.size
    known = np.where(unknown, 0.0, x)

    gcode, G, glabels = _groups(groups, m, group_totals, frame)
    if areas is None and (col_totals is not None or col_group_totals is not None):
        areas = np.zeros(R, dtype=np.int64)  # one area: all the regions given (a column-total vector)
    levels = _areas(areas, m, R, frame)
    fam = _Families(R, J, unknown, known)
    if group_totals is not None:
        if gcode is None:
            raise ValueError("group_totals needs groups")
        gt = _matrix(group_totals, m.rows if frame else None, glabels, (R, G), "group_totals")
        cid = np.where(gcode[None, :] >= 0, np.arange(R)[:, None] * G + gcode[None, :], -1)
        fam.add("region-section", cid, gt.ravel(), np.ones(R * G, bool))
    if row_totals is not None:
        rt = _vector(row_totals, m.rows if frame else None, R, "row_totals")
        fam.add("region", np.broadcast_to(np.arange(R)[:, None], (R, J)), rt, np.ones(R, bool))
    top = None
    for k, (acode, alabels) in enumerate(levels):
        A = len(alabels)
        exact = _exact(col_exact, alabels, A)
        if col_totals is not None:
            ct = _level_matrix(col_totals, k, alabels, m.cols if frame else None, (A, J), "col_totals")
            top = ct
            cid = np.where(acode[:, None] >= 0, acode[:, None] * J + np.arange(J)[None, :], -1)
            fam.add(f"area{k}-activity", cid, ct.ravel(), np.repeat(exact, J))
        if col_group_totals is not None:
            if gcode is None:
                raise ValueError("col_group_totals needs groups")
            cgt = _level_matrix(col_group_totals, k, alabels, glabels, (A, G), "col_group_totals")
            cid = np.where((acode[:, None] >= 0) & (gcode[None, :] >= 0), acode[:, None] * G + gcode[None, :], -1)
            fam.add(f"area{k}-section", cid, cgt.ravel(), np.repeat(exact, G))

    lo = np.zeros(n)
    hi = np.full(n, np.inf)
    if lower is not None:
        lo = np.maximum(lo, _cellwise(lower, m, (R, J), "lower").ravel()[u_idx])
    if upper is not None:
        hi = np.minimum(hi, _cellwise(upper, m, (R, J), "upper").ravel()[u_idx])
    cons = fam.build(n, atol, rtol)
    lo, hi, bound_iter = _bounds(cons, lo, hi, max_iter)

    ok = np.isfinite(hi)  # estimable: some published total caps the cell
    if prior is None:
        prior = "raked"
    if isinstance(prior, str):
        if prior not in PRIORS:
            raise ValueError(f"prior must be one of {PRIORS} or a regions × activities matrix, not {prior!r}")
        p = _national_prior(fam, levels, J, u_idx, lo, hi, top)
        rake = prior == "raked"
    else:
        p = _cellwise(prior, m, (R, J), "prior").ravel()[u_idx]
        p = np.where(np.isfinite(p), p, 0.0)
        rake = False
    p = np.clip(p, lo, np.where(ok, hi, np.inf))

    iters = {"ipf": 0, "lp": 0}
    est = p
    if n and ok.any():
        if rake or method == "ipf":
            est, iters["ipf"] = _ipf(fam, cons, p, lo, hi, ok, max_iter)
        if method == "lp":
            est, iters["lp"] = _lp(cons, est, lo, hi, ok)
    est = np.where(ok, est, np.nan)

    out = x.copy().ravel()
    out[u_idx] = est
    low = x.copy().ravel()
    low[u_idx] = np.where(ok, lo, np.nan)
    high = x.copy().ravel()
    high[u_idx] = hi
    flag = np.zeros(R * J, bool)
    flag[u_idx] = ok
    violation = cons.violation(np.where(ok, est, 0.0)) if n else 0.0
    info = {"method": method, "seconds": time.perf_counter() - started, "iterations": iters,
            "bound_iterations": bound_iter, "n_suppressed": int(n), "n_estimated": int(ok.sum()),
            "n_not_estimable": int(n - ok.sum()), "n_constraints": int(cons.m),
            "max_violation": violation, "families": fam.names}
    shape = (R, J)
    if frame:
        def wrap(v):
            return m.like(v.reshape(shape))

        return Suppressed(wrap(out), wrap(low), wrap(high),
                          pd.DataFrame(flag.reshape(shape), index=m.rows, columns=m.cols), info)
    return Suppressed(out.reshape(shape), low.reshape(shape), high.reshape(shape), flag.reshape(shape), info)


def area_consistency(X, areas, col_totals, *, atol: float = 0.0, rtol: float = 0.0):
    """How each area's published values relate to the sum of its regions in ``X``.

    Compared on the activities published for the area and for all of its regions:

    * ``"exact"``: the regions add up to the area's value (within ``atol + rtol·|value|``);
    * ``"part"``: they add up to less (the matrix holds only part of the area, e.g.
      overseas regions left out): pass ``col_exact=False`` for it, so the area's value
      only caps the sum;
    * ``"contradicts"``: they add up to more somewhere: leave the area's values out;
    * ``"unchecked"``: no activity is published for the area and all its regions.

    ``areas`` and ``col_totals`` as in :func:`estimate_suppressed` (one level). Returns
    a Series indexed by area for labelled input, else an array in area-code order.

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities, NaN for a suppressed cell.
    areas : Series, dict or array
        Each region's area.
    col_totals : DataFrame or ndarray
        Areas × activities published values.
    atol, rtol : float, default 0.0
        Tolerated rounding.

    Returns
    -------
    Series or ndarray
        ``"exact"``, ``"part"``, ``"contradicts"`` or ``"unchecked"`` per area.

    Raises
    ------
    InputError
        When ``areas`` or ``col_totals`` does not fit ``X``.

    References
    ----------
    Eckert, F., Fort, T. C., Schott, P. K. & Yang, N. J. (2020). Imputing missing
    values in the US Census Bureau's County Business Patterns. NBER Working
    Paper 26632 (the adding-up constraints this checks).

    Examples
    --------
    Only ``x`` is published for the area and both regions: 10 + 20.

    >>> import numpy as np
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame({"x": [10, 20], "y": [np.nan, 5]}, index=["a", "b"])
    >>> areas = {"a": "SE", "b": "SE"}
    >>> for x_total in (30, 35, 25):
    ...     country = pd.DataFrame({"x": [x_total], "y": [12]}, index=["SE"])
    ...     print(x_total, mt.area_consistency(X, areas, country)["SE"])
    30 exact
    35 part
    25 contradicts
    """
    m = as_matrix(X, missing="ignore", allow_panel=False, allow_sparse=False)
    x = np.asarray(m.values, dtype=np.float64)
    R, J = x.shape
    (code, labels), = _areas(areas, m, R, m.kind == "frame")
    A = len(labels)
    ct = _level_matrix(col_totals, 0, labels, m.cols if m.kind == "frame" else None, (A, J), "col_totals")
    inside = code >= 0
    rows = np.clip(code, 0, None)
    sums = np.zeros((A, J))
    np.add.at(sums, rows[inside], np.nan_to_num(x[inside]))
    missing = np.zeros((A, J))
    np.add.at(missing, rows[inside], np.isnan(x[inside]).astype(np.float64))
    full = (missing == 0) & np.isfinite(ct) & (np.bincount(rows[inside], minlength=A) > 0)[:, None]
    diff = np.where(full, sums - np.nan_to_num(ct), 0.0)
    tol = atol + rtol * np.abs(np.nan_to_num(ct))
    over = (diff > tol).any(axis=1)
    under = (diff < -tol).any(axis=1)
    verdict = np.where(~full.any(axis=1), "unchecked", np.where(over, "contradicts", np.where(under, "part", "exact")))
    if m.kind == "frame":
        return pd.Series(verdict, index=pd.Index(labels), name="consistency")
    return verdict


# ----------------------------------------------------------------------------------------------
# Inputs


def _labels_of(values):
    return list(pd.unique(pd.Series(list(values), dtype=object).dropna()))


def _groups(groups, m, group_totals, frame):
    """Integer section code per activity (−1 = none), the number of sections, their labels."""
    if groups is None:
        return None, 0, None
    J = m.values.shape[1]
    if frame or isinstance(groups, Mapping) or _is_series(groups):
        if isinstance(groups, Mapping):
            groups = pd.Series(groups, dtype=object)
        if _is_series(groups) and m.cols is not None:
            raw = groups.reindex(m.cols)
        else:
            raw = pd.Series(list(groups), dtype=object)
        raw = raw.where(raw.astype(str).str.len() > 0)
        if _is_frame(group_totals):
            labels = list(group_totals.columns)
        else:
            labels = _labels_of(raw)
        lookup = {lab: i for i, lab in enumerate(labels)}
        code = np.array([lookup.get(v, -1) for v in raw], dtype=np.int64)  # missing: −1
        if len(code) != J:
            raise InputError(f"groups: {len(code)} entries for {J} activities")
        return code, len(labels), labels
    code = np.asarray(groups)
    if code.shape != (J,) or not np.issubdtype(code.dtype, np.integer):
        raise InputError(f"groups: expected {J} integer section codes (−1 for none) for array input")
    G = int(code.max()) + 1 if code.size else 0
    return code.astype(np.int64), G, list(range(G))


def _is_series(obj) -> bool:
    return "pandas" in sys.modules and isinstance(obj, pd.Series)


def _areas(areas, m, R, frame):
    """A list of levels: (area code per region, −1 for none; area labels)."""
    if areas is None:
        return []
    if isinstance(areas, list) and areas and not np.isscalar(areas[0]):
        items = areas
    else:
        items = [areas]
    out = []
    for item in items:
        if isinstance(item, Mapping) or _is_series(item):
            s = pd.Series(item, dtype=object) if isinstance(item, Mapping) else item
            raw = s.reindex(m.rows) if m.rows is not None else pd.Series(list(s), dtype=object)
            labels = _labels_of(raw)
            lookup = {lab: i for i, lab in enumerate(labels)}
            code = np.array([lookup.get(v, -1) for v in raw], dtype=np.int64)  # missing: −1
        else:
            code = np.asarray(item)
            if not np.issubdtype(code.dtype, np.integer):
                labels = _labels_of(code)
                lookup = {lab: i for i, lab in enumerate(labels)}
                code = np.array([lookup.get(v, -1) for v in code], dtype=np.int64)
            else:
                labels = list(range(int(code.max()) + 1 if code.size else 0))
        if code.shape != (R,):
            raise InputError(f"areas: {code.size} entries for {R} regions")
        out.append((code, labels))
    return out


def _exact(col_exact, labels, A):
    if isinstance(col_exact, (bool, np.bool_)):
        return np.full(A, bool(col_exact))
    if isinstance(col_exact, Mapping) or _is_series(col_exact):
        s = pd.Series(col_exact) if isinstance(col_exact, Mapping) else col_exact
        return s.reindex(labels).fillna(True).astype(bool).to_numpy()
    arr = np.asarray(col_exact, dtype=bool)
    return arr if arr.shape == (A,) else np.full(A, bool(arr.all()))


def _matrix(values, rows, cols, shape, name):
    if _is_frame(values):
        frame = values
        if rows is not None:
            frame = frame.reindex(index=rows)
        if cols is not None:
            frame = frame.reindex(columns=cols)
        arr = frame.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        arr = np.asarray(values, dtype=np.float64)
    if arr.shape != shape:
        raise InputError(f"{name}: expected shape {shape}, got {arr.shape}")
    return arr


def _level_matrix(values, k, area_labels, cols, shape, name):
    if isinstance(values, (list, tuple)):
        values = values[k]
    if _is_series(values):  # one area's values, by column label
        values = values.to_frame().T if cols is None else values.reindex(cols).to_frame().T
        values.index = area_labels[:1]
    if _is_frame(values):
        return _matrix(values, area_labels, cols, shape, name)
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 1 and shape[0] == 1:
        arr = arr[None, :]
    return _matrix(arr, None, None, shape, name)


def _vector(values, rows, R, name):
    if _is_series(values):
        arr = (values.reindex(rows) if rows is not None else values).to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (R,):
        raise InputError(f"{name}: expected {R} values, got shape {arr.shape}")
    return arr


def _cellwise(values, m, shape, name):
    if np.isscalar(values):
        return np.full(shape, float(values))
    return _matrix(values, m.rows, m.cols, shape, name)


# ----------------------------------------------------------------------------------------------
# Constraints


class _Families:
    """Families of published totals. In a family each cell belongs to at most one total
    (a region's section, a region, an area's activity, an area's section)."""

    def __init__(self, R, J, unknown, known):
        self.R, self.J = R, J
        self.unknown, self.known = unknown, known
        self.u_flat = np.flatnonzero(unknown)
        self.items = []  # (name, cid per unknown cell, residual per total, exact per total)
        self.names = []

    def add(self, name, cid, totals, exact):
        cid = np.asarray(cid, dtype=np.int64)
        totals = np.asarray(totals, dtype=np.float64)
        has = np.isfinite(totals)
        cid = np.where((cid >= 0) & has[np.clip(cid, 0, None)], cid, -1)
        m = totals.size
        flat = cid.ravel()
        inside = flat >= 0
        known_sum = np.bincount(flat[inside], weights=self.known.ravel()[inside], minlength=m)
        residual = np.where(has, totals - known_sum, np.nan)
        self.items.append((name, flat[self.u_flat], residual, np.asarray(exact, bool), np.where(has, totals, 0.0)))
        self.names.append(name)

    def build(self, n, atol, rtol):
        """All totals that hold a suppressed cell, as one sparse (total × cell) incidence."""
        rows, cols, res, exact, tol, fam_of = [], [], [], [], [], []
        offset = 0
        self.maps = []  # per family: (cid per unknown → global constraint id or −1)
        for f, (_, cid_u, residual, ex, totals) in enumerate(self.items):
            members = cid_u >= 0
            used = np.unique(cid_u[members])
            gid = np.full(residual.size, -1, dtype=np.int64)
            gid[used] = offset + np.arange(used.size)
            g_u = np.where(members, gid[np.clip(cid_u, 0, None)], -1)
            self.maps.append(g_u)
            rows.append(g_u[members])
            cols.append(np.flatnonzero(members))
            res.append(residual[used])
            exact.append(ex[used])
            tol.append(atol + rtol * np.abs(totals[used]))
            fam_of.append(np.full(used.size, f))
            offset += used.size
        return _Constraints(n, offset, _cat(rows, np.int64), _cat(cols, np.int64), _cat(res), _cat(exact, bool),
                            _cat(tol), _cat(fam_of, np.int64))


def _cat(parts, dtype=np.float64):
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


class _Constraints:
    """Σ_{u∈c} x_u = R_c (exact) or ≤ R_c (part of an area), for the suppressed cells."""

    def __init__(self, n, m, rows, cols, residual, exact, tol, family):
        self.n, self.m = n, m
        self.rows, self.cols = rows, cols
        self.residual, self.exact, self.tol, self.family = residual, exact, tol, family
        order = np.argsort(cols, kind="stable")
        self._order = order
        scol = cols[order]
        self._starts = np.flatnonzero(np.r_[True, scol[1:] != scol[:-1]]) if scol.size else np.zeros(0, np.int64)
        self._targets = scol[self._starts] if scol.size else np.zeros(0, np.int64)

    def sums(self, v):
        return np.bincount(self.rows, weights=v[self.cols], minlength=self.m)

    def per_cell_min(self, values, into):
        """into[u] = min(into[u], min over the totals of u of values[entry])."""
        if values.size:
            red = np.minimum.reduceat(values[self._order], self._starts)
            into[self._targets] = np.minimum(into[self._targets], red)
        return into

    def per_cell_max(self, values, into):
        if values.size:
            red = np.maximum.reduceat(values[self._order], self._starts)
            into[self._targets] = np.maximum(into[self._targets], red)
        return into

    def violation(self, x):
        if not self.m:
            return 0.0
        s = self.sums(x)
        over = s - self.residual
        v = np.where(self.exact, np.abs(over), np.maximum(over, 0.0))
        return float(v.max())


def _bounds(cons, lo, hi, max_iter):
    """Isserman-Westervelt intervals, tightened over all totals until stable."""
    if not cons.m:
        return lo, hi, 0
    r, rows, cols = cons.residual, cons.rows, cons.cols
    up = r + cons.tol
    down = np.where(cons.exact, r - cons.tol, -np.inf)
    it = 0
    for it in range(1, max_iter + 1):
        old_lo, old_hi = lo.copy(), hi.copy()
        # upper: x_u ≤ R_c + tol − Σ_{v≠u} lo_v
        s_lo = cons.sums(lo)
        hi = cons.per_cell_min(up[rows] - s_lo[rows] + lo[cols], hi)
        hi = np.maximum(hi, 0.0)
        # lower (exact totals): x_u ≥ R_c − tol − Σ_{v≠u} hi_v, when the others are all capped
        inf = np.isinf(hi)
        fin = np.where(inf, 0.0, hi)
        s_hi = np.bincount(rows, weights=fin[cols], minlength=cons.m)
        n_inf = np.bincount(rows, weights=inf[cols].astype(np.float64), minlength=cons.m)
        others_inf = n_inf[rows] - inf[cols]
        cand = np.where(others_inf > 0, -np.inf, down[rows] - s_hi[rows] + fin[cols])
        lo = cons.per_cell_max(cand, lo)
        lo = np.minimum(lo, hi)  # contradictory totals: an empty interval collapses to its upper end
        if np.allclose(lo, old_lo, rtol=1e-9, atol=1e-9) and np.allclose(hi, old_hi, rtol=1e-9, atol=1e-9):
            break
    return lo, hi, it


# ----------------------------------------------------------------------------------------------
# Prior


def _national_prior(fam, levels, J, u_idx, lo, hi, top_totals=None):
    """The national share structure, scaled to each region's residual.

    Weight of a suppressed cell (r, j): what is left of activity j in r's area
    (the area's value minus its regions' known cells), at the first level whose
    value is published; else j's share in the published values of all areas of the
    last level (without area values: in all regions' known cells), scaled to the
    area. Then, within each region's section residual (else its total residual),
    the suppressed cells share in proportion to these weights; a cell in neither
    gets the weight scaled to the region's size (the independence model).
    """
    n = u_idx.size
    r_u, j_u = np.divmod(u_idx, J)
    w = np.full(n, np.nan)
    for name, cid_u, residual, _, _ in fam.items:
        if name.endswith("-activity") and name.startswith("area"):
            members = cid_u >= 0
            val = np.full(n, np.nan)
            val[members] = np.maximum(residual[cid_u[members]], 0.0)
            w = np.where(np.isnan(w), val, w)
    col_known = fam.known.sum(axis=0)
    if top_totals is not None and np.isfinite(top_totals).any():
        col_known = np.nansum(top_totals, axis=0)  # countries' published values: less censored than regions'
    europe = col_known / max(col_known.sum(), 1e-300)
    row_known = fam.known.sum(axis=1)
    if levels:
        acode = levels[-1][0]
        area_size = np.bincount(np.clip(acode, 0, None), weights=np.where(acode >= 0, row_known, 0.0))
        size = np.where(acode >= 0, area_size[np.clip(acode, 0, None)], row_known)
    else:
        size = np.full(fam.R, row_known.sum())
    fallback = europe[j_u] * size[r_u]
    w = np.where(np.isnan(w), fallback, w)
    w = np.where(np.isfinite(hi) & (hi <= 0), 0.0, w)
    p = w * row_known[r_u] / np.maximum(size[r_u], 1e-300)  # independence fallback, scaled to the region
    done = np.zeros(n, bool)
    for name, cid_u, residual, _, _ in fam.items:
        if not name.startswith("region"):
            continue
        members = (cid_u >= 0) & ~done
        if not members.any():
            continue
        c = cid_u[members]
        tot = np.bincount(c, weights=w[members], minlength=residual.size)
        cnt = np.bincount(c, minlength=residual.size)
        target = np.maximum(residual[c], 0.0)
        share = np.where(tot[c] > 0, w[members] / np.where(tot[c] > 0, tot[c], 1.0), 1.0 / cnt[c])
        p[members] = target * share
        done |= members
    return np.clip(p, lo, hi)


# ----------------------------------------------------------------------------------------------
# Estimators


def _ipf(fam, cons, p, lo, hi, ok, max_iter, tol=1e-7):
    """Rake the suppressed cells to the residual of each family of totals, within the intervals."""
    x = np.where(ok, p, 0.0)
    hi_ok = np.where(ok, hi, 0.0)
    lo_ok = np.where(ok, lo, 0.0)
    r = np.maximum(cons.residual, 0.0)
    scale = np.maximum(np.abs(cons.residual), 1.0)
    maps = [(g_u >= 0, g_u) for g_u in fam.maps]
    it = 0
    for it in range(1, max_iter + 1):
        for members, g_u in maps:
            if not members.any():
                continue
            c = g_u[members]
            s = np.bincount(c, weights=x[members], minlength=cons.m)
            target = np.where(cons.exact, r, np.minimum(s, r))
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(s > 0, target / s, 1.0)
            xm = x[members] * factor[c]
            empty = (s[c] <= 0) & (target[c] > 0)  # nothing to scale: share the residual equally
            if empty.any():
                cnt = np.bincount(c, minlength=cons.m)
                xm = np.where(empty, target[c] / cnt[c], xm)
            x[members] = np.clip(xm, lo_ok[members], hi_ok[members])
        s = cons.sums(x)
        gap = np.where(cons.exact, np.abs(s - r), np.maximum(s - r, 0.0)) / scale
        if gap.max(initial=0.0) < tol:
            break
    return x, it


def _lp(cons, p, lo, hi, ok):
    """min Σ φ(x − p)/s + M Σ|e|  s.t.  A x + e = R (exact), A x − e⁺ ≤ R (part), lo ≤ x ≤ hi."""
    from scipy.optimize import linprog

    n = cons.n
    active = np.flatnonzero(ok)
    na = active.size
    pos = np.full(n, -1, dtype=np.int64)
    pos[active] = np.arange(na)
    keep = ok[cons.cols]
    rows, cols = cons.rows[keep], pos[cons.cols[keep]]
    used, rows = np.unique(rows, return_inverse=True)
    mc = used.size
    res, exact = cons.residual[used], cons.exact[used]
    x0 = p[active]
    s0 = max(1.0, float(np.median(x0[x0 > 0])) * 1e-2) if (x0 > 0).any() else 1.0
    scale = np.maximum(x0, s0)
    K = len(_PIECES)
    # variables: x (na) | d+ pieces (K·na) | d− pieces (K·na) | e+ (mc) | e− (mc)
    nv = na + 2 * K * na + 2 * mc
    cost = np.zeros(nv)
    lb = np.zeros(nv)
    ub = np.full(nv, np.inf)
    lb[:na], ub[:na] = lo[active], hi[active]
    widths = np.diff((0.0,) + _PIECES)
    for k in range(K):
        for side in range(2):
            sl = slice(na + (side * K + k) * na, na + (side * K + k + 1) * na)
            cost[sl] = _SLOPES[k] / scale
            ub[sl] = widths[k] * scale
    e0 = na + 2 * K * na
    cost[e0:] = _PENALTY * _SLOPES[-1] / s0
    ub[e0 + mc:] = np.where(exact, np.inf, 0.0)  # e− only for exact totals
    # deviation link: x − Σ d+ + Σ d− = p
    eye = np.arange(na)
    link_r = np.tile(eye, 1 + 2 * K)
    link_c = np.arange(na + 2 * K * na)
    link_v = np.r_[np.ones(na), -np.ones(K * na), np.ones(K * na)]
    # totals: A x + e+ − e− (= or ≤) R
    tot_r = np.r_[rows, np.arange(mc), np.arange(mc)]
    tot_c = np.r_[cols, e0 + np.arange(mc), e0 + mc + np.arange(mc)]
    tot_v = np.r_[np.ones(rows.size), np.ones(mc), -np.ones(mc)]
    ex_idx = np.flatnonzero(exact)
    le_idx = np.flatnonzero(~exact)
    row_map_eq = np.full(mc, -1, dtype=np.int64)
    row_map_eq[ex_idx] = na + np.arange(ex_idx.size)
    row_map_le = np.full(mc, -1, dtype=np.int64)
    row_map_le[le_idx] = np.arange(le_idx.size)
    is_eq = exact[tot_r]
    # for ≤ totals the slack enters as −e+ (A x − e+ ≤ R)
    tot_v = np.where(~is_eq & (tot_c >= e0) & (tot_c < e0 + mc), -1.0, tot_v)
    A_eq = sp.csr_array((np.r_[link_v, tot_v[is_eq]], (np.r_[link_r, row_map_eq[tot_r[is_eq]]],
                                                        np.r_[link_c, tot_c[is_eq]])), shape=(na + ex_idx.size, nv))
    b_eq = np.r_[x0, res[ex_idx]]
    A_ub = b_ub = None
    if le_idx.size:
        A_ub = sp.csr_array((tot_v[~is_eq], (row_map_le[tot_r[~is_eq]], tot_c[~is_eq])), shape=(le_idx.size, nv))
        b_ub = res[le_idx]
    sol = linprog(cost, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=np.c_[lb, ub], method="highs")
    if sol.x is None:  # should not happen: the slacks make the programme feasible
        raise RuntimeError(f"linprog failed: {sol.message}")
    out = np.zeros(n)
    out[active] = np.clip(sol.x[:na], lo[active], hi[active])
    return out, int(getattr(sol, "nit", 0))
