"""Specialisation and concentration: location quotients, RPOP, Hoover, Krugman,
Herfindahl, entropy, Gini, locational Gini, related and unrelated variety.

Conventions (all functions):
* ``X`` is regions × activities (rows × columns) of counts such as employment,
  or a years × regions × activities panel (computed for all years at once).
* Regions or activities whose total is zero give 0, not NaN (``0/0 := 0``),
  except where an index is undefined for them and says so (the Krugman index
  and the normalised Herfindahl of an empty region are NaN).
* Missing cells follow the ``missing`` policy of :func:`smartspec.metrics._input.as_matrix`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from smartspec.errors import InputError
from smartspec.metrics._input import (
    as_matrix,
    as_vector,
    pd,
    reciprocal,
    safe_divide,
    sp,
)


def _sum(values, axis):
    return np.nansum(values, axis=axis, keepdims=True)


def _plainsum(values, axis):
    return np.sum(values, axis=axis, keepdims=True)


def location_quotient(X, *, reference=None, totals=None, threshold=None, missing="raise"):
    r"""Location quotient, i.e. Balassa's revealed comparative advantage (RCA).

    .. math:: LQ_{rp} = \frac{X_{rp} / \sum_{p'} X_{rp'}}{T_p / \sum_{p'} T_{p'}}

    where the reference totals :math:`T_p` are, by default, the column sums of ``X``
    (the regions given form the reference, e.g. a country's regions). Alternatives:

    * ``reference``: a boolean mask or list of row labels; their column sums form
      :math:`T` (a peer group, as Metroverse benchmarks against peers);
    * ``totals``: the activity totals :math:`T_p` themselves (e.g. the national or
      European total), a vector aligned with the columns.

    With ``threshold`` the result is binary: 1 where :math:`LQ \ge` threshold, else 0
    (the ``>=`` convention of every anchor library). Missing cells stay missing.

    LQ is defined on non-negative counts: ``totals`` with a negative, missing or
    infinite value raise :class:`~smartspec.errors.InputError` (a negative
    reference would give negative quotients).

    Parameters
    ----------
    X : DataFrame, ndarray or scipy.sparse matrix
        Regions × activities counts (e.g. persons employed), or a years × regions ×
        activities panel (3-D array, or a frame indexed by (year, region)).
    reference : sequence of labels or boolean mask, optional
        Rows whose column sums form the reference totals (a peer group).
    totals : vector, optional
        The activity totals :math:`T_p` (aligned with the columns; a Series by label).
        Give either ``reference`` or ``totals``, not both.
    threshold : float, optional
        Turn the result into a binary presence matrix, 1 where LQ ≥ ``threshold``.
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` computes
        totals from the known cells and keeps NaN where the input is NaN; ``'zero'``
        treats them as zero, as an explicit choice.

    Returns
    -------
    DataFrame, ndarray or sparse matrix
        The location quotients (or 0/1 presence), of the input's kind and labels.

    Raises
    ------
    InputError
        When ``X`` holds negative or infinite counts, or missing cells with
        ``missing='raise'``.
        Also when ``totals`` has a negative, missing or infinite value.
    ValueError
        When both ``reference`` and ``totals`` are given, or ``reference`` names
        regions not in ``X``.

    References
    ----------
    Balassa, B. (1965). Trade liberalisation and revealed comparative
    advantage. The Manchester School 33(2), 99-123.

    Examples
    --------
    Each region and each activity has 40 of the 120 persons, so a cell's LQ is
    :math:`(X_{rp}/40)/(40/120) = 3X_{rp}/40`: 20 gives 1.5 and 10 gives 0.75.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame([[20, 10, 10], [10, 10, 20], [10, 20, 10]],
    ...                  index=pd.Index(["a", "b", "c"], name="region"),
    ...                  columns=pd.Index(["x", "y", "z"], name="activity"))
    >>> mt.location_quotient(X)
    activity     x     y     z
    region
    a         1.50  0.75  0.75
    b         0.75  0.75  1.50
    c         0.75  1.50  0.75
    >>> mt.location_quotient(X, threshold=1)
    activity    x    y    z
    region
    a         1.0  0.0  0.0
    b         0.0  0.0  1.0
    c         0.0  1.0  0.0

    A suppressed cell stays missing with ``missing='ignore'``; the totals come
    from the known cells:

    >>> mt.location_quotient(X.astype(float).mask(X == 20, None).iloc[:, :2], missing="ignore").round(3)
    activity    x    y
    region
    a         NaN  2.0
    b         1.0  1.0
    c         2.0  NaN

    Against given activity totals, e.g. the country's:

    >>> mt.location_quotient(X, totals=[100, 100, 200])
    activity    x    y    z
    region
    a         2.0  1.0  0.5
    b         1.0  1.0  1.0
    c         1.0  2.0  0.5
    """
    m = as_matrix(X, missing=missing)
    if reference is not None and totals is not None:
        raise ValueError("give either reference (rows) or totals, not both")
    if m.is_sparse:
        return m.like(_lq_sparse(m, reference, totals, threshold))
    x = m.values
    has_nan = bool(np.isnan(x.sum()))  # one pass; nansum only when needed
    add = _sum if has_nan else _plainsum
    if totals is not None:
        ref = _reference_totals(totals, m)
        ref = np.broadcast_to(ref, x.shape[:-2] + (1, x.shape[-1])) if ref.ndim == 1 else ref[..., None, :]
    elif reference is not None:
        ref = add(x[..., _row_mask(m, reference), :], -2)
    else:
        ref = add(x, -2)
    share = safe_divide(ref, add(ref, -1))
    lq = x * reciprocal(add(x, -1))  # 0 for empty regions
    lq *= reciprocal(share)  # 0 for activities absent from the reference
    if has_nan:
        lq[np.isnan(x)] = np.nan
    if threshold is not None:
        binary = (lq >= threshold).astype(np.float64)
        if has_nan:
            binary[np.isnan(lq)] = np.nan
        lq = binary
    return m.like(lq)


rca = location_quotient


def _require_nonnegative(v, labels, *, field: str, items: str, noun: str, fallback: str, rule: str) -> None:
    """Raise InputError naming the first missing, infinite or negative entry of ``v``."""
    for bad, what in ((np.isnan(v), "missing (NaN)"), (np.isinf(v), "infinite"), (v < 0, "negative")):
        if bad.any():
            j = int(np.nonzero(bad)[-1][0])
            where = f"{noun} {labels[j]!r}" if labels is not None else f"{fallback} {j}"
            raise InputError(f"{field}: {int(bad.sum())} {what} {items}, first for {where}; {rule}")


def _reference_totals(totals, m):
    """The activity totals of :func:`location_quotient`, checked: finite and non-negative."""
    ref = as_vector(totals, name="totals", labels=m.cols, length=m.values.shape[-1])
    _require_nonnegative(ref, m.cols, field="totals", items="reference total(s)", noun="activity",
                         fallback="column", rule="LQ is defined on non-negative counts")
    return ref


def _row_mask(m, reference):
    ref = np.asarray(reference)
    if ref.dtype == bool:
        if ref.shape[0] != m.values.shape[-2]:
            raise ValueError("reference mask must have one entry per region")
        return ref
    if m.rows is None:
        return np.isin(np.arange(m.values.shape[-2]), ref)
    unknown = set(ref) - set(m.rows)
    if unknown:
        raise ValueError(f"reference regions not in the matrix: {sorted(unknown)[:5]}")
    return m.rows.isin(ref)


def _lq_sparse(m, reference, totals, threshold):
    x = m.values
    row_tot = np.asarray(x.sum(axis=1)).ravel()
    if totals is not None:
        ref = _reference_totals(totals, m)
    elif reference is not None:
        ref = np.asarray(x[_row_mask(m, reference)].sum(axis=0)).ravel()
    else:
        ref = np.asarray(x.sum(axis=0)).ravel()
    share = safe_divide(ref, ref.sum())
    lq = sp.csr_array(sp.diags_array(safe_divide(1.0, row_tot)) @ x @ sp.diags_array(safe_divide(1.0, share)))
    if threshold is not None:
        lq = sp.csr_array((lq >= threshold).astype(np.float64))
    lq.eliminate_zeros()
    return lq


def rpop(X, population, *, threshold=None, missing="raise"):
    r"""Population-based relative presence (RPOP), as py-ecomplexity's ``presence_test='rpop'``.

    .. math:: RPOP_{rp} = \frac{X_{rp} / N_r}{\sum_{r'} X_{r'p} / \sum_{r'} N_{r'}}

    ``population`` is a vector of region populations :math:`N_r`. With ``threshold``
    the result is binary (``>=``).

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities counts, or a years × regions × activities panel.
    population : vector
        One population :math:`N_r` per region (a Series is aligned by label).
    threshold : float, optional
        Binary result, 1 where RPOP ≥ ``threshold``.
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` computes
        totals from the known cells and keeps NaN where the input is NaN; ``'zero'``
        treats them as zero, as an explicit choice.

    Returns
    -------
    DataFrame or ndarray
        RPOP of each cell, of the input's kind.

    Raises
    ------
    InputError
        When ``X`` holds negative or infinite counts, or missing cells with
        ``missing='raise'``.

    References
    ----------
    Bahar, D., Rosenow, S., Stein, E. & Wagner, R. (2019). Export take-offs
    and acceleration. (RPOP as used by the Growth Lab's py-ecomplexity.)

    Examples
    --------
    Region ``a`` has 20 of activity ``x``'s 40 persons but 100 of the 400
    inhabitants: RPOP = (20/100)/(40/400) = 2.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame([[20, 10, 10], [10, 10, 20], [10, 20, 10]],
    ...                  index=pd.Index(["a", "b", "c"], name="region"),
    ...                  columns=pd.Index(["x", "y", "z"], name="activity"))
    >>> mt.rpop(X, pd.Series({"a": 100, "b": 100, "c": 200}))
    activity    x    y    z
    region
    a         2.0  1.0  1.0
    b         1.0  1.0  2.0
    c         0.5  1.0  0.5
    """
    m = as_matrix(X, missing=missing, allow_sparse=False)
    pop = as_vector(population, name="population", labels=m.rows, length=m.values.shape[-2])
    pop = pop[..., :, None]
    out = safe_divide(safe_divide(m.values, pop), safe_divide(_sum(m.values, -2), _sum(pop, -2)))
    if threshold is not None:
        out = np.where(np.isnan(out), np.nan, (out >= threshold).astype(float))
    return m.like(out)


def shares(X, axis: str = "rows", missing="raise"):
    """Each cell's share of its region's total (``rows``) or of its activity's total (``cols``)."""
    m = as_matrix(X, missing=missing, allow_sparse=False)
    return safe_divide(m.values, _sum(m.values, -1 if axis == "rows" else -2))


def hoover_index(X, *, weights="share", scale=1.0, missing="raise"):
    r"""Hoover localisation index of each activity.

    .. math:: H_p = \tfrac12 \sum_r \left| \frac{X_{rp}}{\sum_{r'} X_{r'p}} - w_r \right|

    ``weights='share'`` (default) uses each region's share of total activity,
    :math:`w_r = X_r/X` (econcomplex's convention); ``'uniform'`` uses
    :math:`w_r = 1/R` (EconGeo's default); or give a vector of non-negative
    weights, e.g. population, one per region (a Series is aligned by label).
    A vector is normalised to shares, :math:`w_r = v_r / \sum_{r'} v_{r'}`, as
    REAT's ``hoover(x, weighting)`` does, so raw counts give H in [0, 1];
    negative, missing or infinite weights, or weights that sum to zero, raise
    :class:`~smartspec.errors.InputError`. ``scale=100`` gives EconGeo's
    percentage scale (EconGeo also rounds to 2 decimals; smartspec does not).

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities counts, or a years × regions × activities panel.
    weights : {'share', 'uniform'} or vector, default 'share'
        The regions' weights :math:`w_r` (a vector is normalised to shares).
    scale : float, default 1.0
        Multiply the index (100 for EconGeo's percentages).
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` computes
        totals from the known cells and keeps NaN where the input is NaN; ``'zero'``
        treats them as zero, as an explicit choice.

    Returns
    -------
    Series or ndarray
        One index per activity (named ``hoover``).

    Raises
    ------
    InputError
        When ``X`` holds negative or infinite counts, or missing cells with
        ``missing='raise'``.
        Also for negative, missing or infinite weights, or weights summing to zero.
    ValueError
        When ``weights`` is an unknown string.

    References
    ----------
    Hoover, E. M. (1936). The measurement of industrial localization.
    Review of Economics and Statistics 18(4), 162-171.

    Examples
    --------
    Activity ``x`` has half its persons in ``a``, which has a third of all
    persons: :math:`H_x = \tfrac12(|\tfrac12-\tfrac13| + 2|\tfrac14-\tfrac13|) = \tfrac16`.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame([[20, 10, 10], [10, 10, 20], [10, 20, 10]],
    ...                  index=pd.Index(["a", "b", "c"], name="region"),
    ...                  columns=pd.Index(["x", "y", "z"], name="activity"))
    >>> mt.hoover_index(X).round(4)
    activity
    x    0.1667
    y    0.1667
    z    0.1667
    Name: hoover, dtype: float64
    >>> mt.hoover_index(X, weights="uniform", scale=100).round(2)
    activity
    x    16.67
    y    16.67
    z    16.67
    Name: hoover, dtype: float64
    """
    m = as_matrix(X, missing=missing, allow_sparse=False)
    x = m.values
    col_share = safe_divide(x, _sum(x, -2))
    if isinstance(weights, str):
        if weights == "share":
            w = safe_divide(_sum(x, -1), _sum(x, (-2, -1)))
        elif weights == "uniform":
            w = np.full(x.shape[:-1] + (1,), 1.0 / x.shape[-2])
        else:
            raise ValueError("weights must be 'share', 'uniform' or a vector")
    else:
        w = _weight_shares(as_vector(weights, name="weights", labels=m.rows, length=x.shape[-2]), m)[..., :, None]
    return m.vector(scale * 0.5 * np.abs(col_share - w).sum(axis=-2), axis="cols", name="hoover")


def _weight_shares(v, m):
    """Region weights as shares of their total (per year for a years × regions array)."""
    _require_nonnegative(v, m.rows, field="weights", items="weight(s)", noun="region", fallback="region",
                         rule="weights must be non-negative numbers")
    total = v.sum(axis=-1, keepdims=True)
    if (total <= 0).any():
        raise InputError("weights: all weights are zero; they must have a positive total")
    return v / total


def krugman_index(X, *, reference="total", missing="raise"):
    r"""Krugman specialisation index of each region.

    .. math:: K_r = \sum_p \left| s_{rp} - \bar s_{p} \right|, \quad s_{rp} = X_{rp}/X_r

    where :math:`\bar s_p` is the activity's share in the reference:

    * ``'total'`` (default): the pooled share of all regions, the region
      included, :math:`\bar s_p = \sum_{r'} X_{r'p} / \sum_{r'} X_{r'}`
      (EconGeo ``krugman_index``, econcomplex);
    * ``'rest'``: the pooled share of all other regions,
      :math:`\bar s_p = \sum_{r' \ne r} X_{r'p} / \sum_{r' \ne r} X_{r'}`
      (Krugman 1991; with two regions this is REAT's ``krugman.spec``);
    * ``'others_mean'``: the unweighted mean of the other regions' shares,
      :math:`\bar s_p = \frac{1}{n_r} \sum_{r' \ne r} s_{r'p}`, REAT's
      ``krugman.spec2`` (every comparison region counts equally, whatever its
      size). Empty regions (total 0) have no shares and are left out of the mean;
      :math:`n_r` counts the other non-empty regions.

    K ranges over [0, 2]; EconGeo's ``spec_coeff`` is K/2.

    Convention: K is **NaN for an empty region** (total 0: it has no structure to
    compare, where ``0/0 := 0`` would give the meaningless K = 1), and NaN when
    the reference is empty (``'rest'``/``'others_mean'`` with no other non-empty
    region).

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities counts, or a years × regions × activities panel.
    reference : {'total', 'rest', 'others_mean'}, default 'total'
        The reference shares :math:`\bar s_p` (see above).
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` computes
        totals from the known cells and keeps NaN where the input is NaN; ``'zero'``
        treats them as zero, as an explicit choice.

    Returns
    -------
    Series or ndarray
        One index per region (named ``krugman``), NaN where undefined.

    Raises
    ------
    InputError
        When ``X`` holds negative or infinite counts, or missing cells with
        ``missing='raise'``.
    ValueError
        When ``reference`` is unknown.

    References
    ----------
    Krugman, P. (1991). Geography and Trade. MIT Press. Wieland, T.
    (2019). REAT: Regional Economic Analysis Toolbox, R package
    (``krugman.spec``, ``krugman.spec2``); Farhauer, O. & Kröll, A. (2013).
    Standorttheorien. Springer Gabler.

    Examples
    --------
    Region ``a``'s shares are (½, ¼, ¼) against the pooled (⅓, ⅓, ⅓):
    :math:`K_a = \tfrac16 + \tfrac1{12} + \tfrac1{12} = \tfrac13`.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame([[20, 10, 10], [10, 10, 20], [10, 20, 10]],
    ...                  index=pd.Index(["a", "b", "c"], name="region"),
    ...                  columns=pd.Index(["x", "y", "z"], name="activity"))
    >>> mt.krugman_index(X).round(4)
    region
    a    0.3333
    b    0.3333
    c    0.3333
    Name: krugman, dtype: float64
    >>> mt.krugman_index(X, reference="rest").round(4)
    region
    a    0.5
    b    0.5
    c    0.5
    Name: krugman, dtype: float64
    """
    m = as_matrix(X, missing=missing, allow_sparse=False)
    x = m.values
    tot = _sum(x, -1)
    s = safe_divide(x, tot)
    if reference == "rest":
        rest = _sum(x, -2) - x
        rest_tot = _sum(rest, -1)
        ref = safe_divide(rest, rest_tot)
        undefined = rest_tot <= 0
    elif reference == "total":
        ref = safe_divide(_sum(x, -2), _sum(x, (-2, -1)))
        undefined = np.zeros_like(tot, dtype=bool)
    elif reference == "others_mean":
        present = (tot > 0).astype(np.float64)  # regions with shares
        n_other = present.sum(axis=-2, keepdims=True) - present
        ref = safe_divide(_sum(s * present, -2) - s * present, n_other)
        undefined = n_other <= 0
    else:
        raise ValueError("reference must be 'total', 'rest' or 'others_mean'")
    k = np.abs(s - ref).sum(axis=-1)
    k[((tot <= 0) | undefined)[..., 0]] = np.nan
    return m.vector(k, axis="rows", name="krugman")


def herfindahl(X, *, normalised=False, missing="raise"):
    r"""Herfindahl-Hirschman concentration of each region's activity shares.

    .. math:: HHI_r = \sum_p s_{rp}^2, \qquad HHI^*_r = \frac{HHI_r - 1/P}{1 - 1/P}

    ``normalised=True`` gives :math:`HHI^*` (econcomplex's default, REAT's
    ``herf(coefnorm=TRUE)``), in [0, 1].

    Conventions: an empty region (total 0) has HHI 0 (``0/0 := 0``) and an
    undefined :math:`HHI^*` (NaN, rather than the out-of-range
    :math:`-1/(P-1)`). With a single activity (:math:`P = 1`) :math:`HHI^*`
    is 0/0; smartspec defines it as **1**, full concentration, the limit of
    :math:`HHI = 1` (all activity in one category), without a warning. REAT's
    ``herf(coefnorm=TRUE)`` and econcomplex return NaN there.

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities counts, or a years × regions × activities panel.
    normalised : bool, default False
        Return :math:`HHI^*` instead of :math:`HHI`.
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` computes
        totals from the known cells and keeps NaN where the input is NaN; ``'zero'``
        treats them as zero, as an explicit choice.

    Returns
    -------
    Series or ndarray
        One value per region (named ``herfindahl``).

    Raises
    ------
    InputError
        When ``X`` holds negative or infinite counts, or missing cells with
        ``missing='raise'``.

    References
    ----------
    Herfindahl, O. C. (1950). Concentration in the steel industry.
    PhD thesis, Columbia University; Hirschman, A. O. (1945). National power and
    the structure of foreign trade. University of California Press.

    Examples
    --------
    Shares (½, ¼, ¼): :math:`HHI = \tfrac14 + \tfrac1{16} + \tfrac1{16} = 0.375`,
    :math:`HHI^* = (0.375 - \tfrac13)/(1 - \tfrac13) = 0.0625`.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame([[20, 10, 10], [10, 10, 20], [10, 20, 10]],
    ...                  index=pd.Index(["a", "b", "c"], name="region"),
    ...                  columns=pd.Index(["x", "y", "z"], name="activity"))
    >>> mt.herfindahl(X)
    region
    a    0.375
    b    0.375
    c    0.375
    Name: herfindahl, dtype: float64
    >>> mt.herfindahl(X, normalised=True).round(4)
    region
    a    0.0625
    b    0.0625
    c    0.0625
    Name: herfindahl, dtype: float64
    """
    m = as_matrix(X, missing=missing, allow_sparse=False)
    tot = _sum(m.values, -1)
    s = safe_divide(m.values, tot)
    hhi = (s ** 2).sum(axis=-1)
    if normalised:
        p = m.values.shape[-1]
        hhi = (hhi - 1.0 / p) / (1.0 - 1.0 / p) if p > 1 else np.ones_like(hhi)
        hhi[(tot <= 0)[..., 0]] = np.nan
    return m.vector(hhi, axis="rows", name="herfindahl")


def _entropy(p, base):
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(p), 0.0)
    return terms.sum(axis=-1) / np.log(base)


def shannon_entropy(X, *, base=2.0, missing="raise"):
    r"""Shannon entropy of each region's activity shares, :math:`-\sum_p s_{rp}\log_b s_{rp}`
    (0 log 0 := 0; EconGeo adds 1e-9 inside the log and rounds; smartspec is exact).

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities counts, or a years × regions × activities panel.
    base : float, default 2.0
        Base of the logarithm (2: bits).
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` computes
        totals from the known cells and keeps NaN where the input is NaN; ``'zero'``
        treats them as zero, as an explicit choice.

    Returns
    -------
    Series or ndarray
        One entropy per region (named ``entropy``).

    Raises
    ------
    InputError
        When ``X`` holds negative or infinite counts, or missing cells with
        ``missing='raise'``.

    References
    ----------
    Shannon, C. E. (1948). A mathematical theory of communication. Bell System
    Technical Journal 27(3), 379-423.

    Examples
    --------
    Shares (½, ¼, ¼) give ½·1 + 2·¼·2 = 1.5 bits; an even split of three, log₂ 3.

    >>> from smartspec import metrics as mt
    >>> mt.shannon_entropy([[2, 1, 1], [1, 1, 1]]).round(4)
    array([1.5  , 1.585])
    """
    m = as_matrix(X, missing=missing, allow_sparse=False)
    return m.vector(_entropy(safe_divide(m.values, _sum(m.values, -1)), base), axis="rows", name="entropy")


def _gini_sorted(v):
    """Gini of the last axis: G = Σ (2i − n − 1) x_(i) / (n Σ x)."""
    x = np.sort(v, axis=-1)
    n = x.shape[-1]
    i = np.arange(1, n + 1)
    return safe_divide(((2 * i - n - 1) * x).sum(axis=-1), n * x.sum(axis=-1))


def gini(X, *, missing="raise"):
    r"""Gini coefficient of each region's distribution over activities,
    :math:`G = \frac{\sum_i\sum_j |x_i - x_j|}{2 n^2 \bar x}` (0 = even, →1 = concentrated).

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities counts, or a years × regions × activities panel.
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` computes
        totals from the known cells and keeps NaN where the input is NaN; ``'zero'``
        treats them as zero, as an explicit choice.

    Returns
    -------
    Series or ndarray
        One coefficient per region (named ``gini``).

    Raises
    ------
    InputError
        When ``X`` holds negative or infinite counts, or missing cells with
        ``missing='raise'``.

    References
    ----------
    Gini, C. (1912). Variabilità e mutabilità. Tipografia di Paolo Cuppini, Bologna.

    Examples
    --------
    Counts (0, 0, 3): the pairwise differences sum to 12, so
    :math:`G = 12/(2 \cdot 9 \cdot 1) = \tfrac23`, the maximum :math:`1 - 1/n`
    for three activities; an even row gives 0.

    >>> from smartspec import metrics as mt
    >>> mt.gini([[0, 0, 3], [1, 1, 1]]).round(4)
    array([0.6667, 0.    ])
    """
    m = as_matrix(X, missing=missing, allow_sparse=False)
    return m.vector(_gini_sorted(m.values), axis="rows", name="gini")


def locational_gini(X, *, weighted=True, missing="raise"):
    r"""Locational Gini of each activity: how unevenly it is spread over regions
    relative to total employment.

    ``weighted=True`` (default; Krugman 1991, econcomplex): twice the area between
    the 45° line and the locational Lorenz curve, the curve that orders regions by
    their location quotient and plots the cumulative share of the activity
    :math:`y_k` against the cumulative share of total employment :math:`x_k`:

    .. math:: G_p = 1 - \sum_k (x_k - x_{k-1})(y_k + y_{k-1})

    with regions sorted by ascending LQ, i.e. each region weighted by its
    employment. 0 = the activity is spread like total employment, → 1 =
    concentrated in few regions.

    ``weighted=False``: REAT's ``gini.conc``, the plain Gini coefficient of the
    regions' location quotients, every region counting once whatever its size:

    .. math:: G_p = \frac{2}{n^2 \overline{LQ}} \sum_{k=1}^{n} k \left(LQ_{(k)} - \overline{LQ}\right)
              = \frac{\sum_k (2k - n - 1) LQ_{(k)}}{n \sum_k LQ_{(k)}}

    over the :math:`n` non-empty regions (regions with total 0 have no LQ and
    are left out; REAT gives NaN for them). Its maximum is :math:`1 - 1/n`.
    With ``missing='ignore'``, an activity with a missing cell gets NaN in both
    variants.

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities counts, or a years × regions × activities panel.
    weighted : bool, default True
        Weight regions by their employment (Krugman) or count each once (REAT).
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` computes
        totals from the known cells and keeps NaN where the input is NaN; ``'zero'``
        treats them as zero, as an explicit choice.

    Returns
    -------
    Series or ndarray
        One coefficient per activity (named ``locational_gini``).

    Raises
    ------
    InputError
        When ``X`` holds negative or infinite counts, or missing cells with
        ``missing='raise'``.

    References
    ----------
    Krugman, P. (1991). Geography and Trade, appendix D. Wieland, T.
    (2019). REAT: Regional Economic Analysis Toolbox, R package (``gini.conc``);
    Farhauer, O. & Kröll, A. (2013). Standorttheorien. Springer Gabler.

    Examples
    --------
    Activity ``x`` has LQs (1.5, 0.75, 0.75) in regions of equal size. Ordered by
    LQ the Lorenz points are (⅓, ¼), (⅔, ½), (1, 1), so
    :math:`G_x = 1 - \tfrac13(\tfrac14 + \tfrac34 + \tfrac32) = \tfrac16`;
    unweighted, :math:`(-2 \cdot 0.75 + 0 + 2 \cdot 1.5)/(3 \cdot 3) = \tfrac16` too.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame([[20, 10, 10], [10, 10, 20], [10, 20, 10]],
    ...                  index=pd.Index(["a", "b", "c"], name="region"),
    ...                  columns=pd.Index(["x", "y", "z"], name="activity"))
    >>> mt.locational_gini(X).round(4)
    activity
    x    0.1667
    y    0.1667
    z    0.1667
    Name: locational_gini, dtype: float64
    >>> mt.locational_gini(X, weighted=False).round(4)
    activity
    x    0.1667
    y    0.1667
    z    0.1667
    Name: locational_gini, dtype: float64
    """
    m = as_matrix(X, missing=missing, allow_sparse=False)
    x = m.values
    lq = safe_divide(safe_divide(x, _sum(x, -1)), safe_divide(_sum(x, -2), _sum(x, (-2, -1))))
    if not weighted:
        return m.vector(_gini_of_lq(lq, _sum(x, -1) <= 0), axis="cols", name="locational_gini")
    order = np.argsort(lq, axis=-2, kind="stable")
    xs = np.take_along_axis(x, order, axis=-2)
    tot = np.broadcast_to(_sum(x, -1), x.shape)
    ts = np.take_along_axis(tot, order, axis=-2)
    y = np.cumsum(safe_divide(xs, _sum(xs, -2)), axis=-2)
    w = np.cumsum(safe_divide(ts, _sum(ts, -2)), axis=-2)
    pad = np.zeros(x.shape[:-2] + (1, x.shape[-1]))
    y0, w0 = np.concatenate([pad, y[..., :-1, :]], -2), np.concatenate([pad, w[..., :-1, :]], -2)
    return m.vector(1.0 - ((w - w0) * (y + y0)).sum(axis=-2), axis="cols", name="locational_gini")


def _gini_of_lq(lq, empty):
    """Unweighted Gini over regions (axis −2) of each activity's LQs, empty regions left out;
    NaN for an activity with a missing LQ in a non-empty region."""
    unknown = (np.isnan(lq) & ~empty).any(axis=-2)
    v = np.where(empty, np.nan, lq)
    v = np.sort(v, axis=-2)  # NaN (empty regions) last
    n = (~np.isnan(v)).sum(axis=-2, keepdims=True)
    k = np.arange(1, v.shape[-2] + 1, dtype=np.float64).reshape(-1, 1)
    v = np.nan_to_num(v, nan=0.0)
    g = safe_divide(((2 * k - n - 1) * v).sum(axis=-2), n[..., 0, :] * v.sum(axis=-2))
    g[unknown] = np.nan
    return g


def variety(X, groups, *, missing="raise") -> pd.DataFrame | np.ndarray:
    r"""Related and unrelated variety (Frenken, van Oort & Verburg 2007).

    With shares :math:`p_i` of fine activities and group shares :math:`P_g = \sum_{i\in g} p_i`:

    .. math:: UV = \sum_g P_g \log_2 \frac{1}{P_g}, \qquad
              RV = \sum_g P_g H_g, \quad H_g = \sum_{i \in g} \frac{p_i}{P_g} \log_2 \frac{P_g}{p_i}

    Total entropy = UV + RV. ``groups`` gives each column's group: a sequence (one
    group per column), or, for labelled input, a dict or a function from a column
    label to its group (e.g. a division's NACE section, which the caller gets from
    its classification: metrics knows none). Returns columns
    ``related_variety, unrelated_variety, entropy`` per region.

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities counts, or a years × regions × activities panel.
    groups : sequence, dict or callable
        Each column's group (see above).
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` computes
        totals from the known cells and keeps NaN where the input is NaN; ``'zero'``
        treats them as zero, as an explicit choice.

    Returns
    -------
    DataFrame or ndarray
        Per region: ``related_variety``, ``unrelated_variety``, ``entropy`` (bits).

    Raises
    ------
    InputError
        When ``X`` holds negative or infinite counts, or missing cells with
        ``missing='raise'``.
        Also when a column has no group or ``groups`` has the wrong length.
    ValueError
        When ``groups`` is a dict or function but ``X`` has no labels.

    References
    ----------
    Frenken, K., van Oort, F. & Verburg, T. (2007). Related variety,
    unrelated variety and regional economic growth. Regional Studies 41(5), 685-697.

    Examples
    --------
    Divisions 10 and 11 form section C, 47 section G. Region ``a`` has shares
    (¼, ¼, ½): UV = entropy of (½, ½) = 1 bit, RV = ½ · 1 bit (within C) = 0.5.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame([[1, 1, 2], [2, 0, 2]], index=["a", "b"], columns=["10", "11", "47"])
    >>> mt.variety(X, {"10": "C", "11": "C", "47": "G"})
       related_variety  unrelated_variety  entropy
    a              0.5                1.0      1.5
    b              0.0                1.0      1.0
    """
    m = as_matrix(X, missing=missing, allow_sparse=False)
    groups = _column_groups(groups, m)
    codes, inverse = np.unique(groups, return_inverse=True)
    onehot = np.zeros((len(groups), len(codes)))
    onehot[np.arange(len(groups)), inverse] = 1.0
    p = safe_divide(m.values, _sum(m.values, -1))
    P = p @ onehot
    uv = _entropy(P, 2.0)
    total = _entropy(p, 2.0)
    rv = total - uv  # Σ_g P_g H_g = H(p) − H(P) (entropy decomposition theorem, Theil 1972)
    out = np.stack([rv, uv, total], axis=-1)
    if m.kind == "frame":
        return pd.DataFrame(out, index=m.rows, columns=["related_variety", "unrelated_variety", "entropy"])
    return out


def _column_groups(groups, m) -> np.ndarray:
    """One group per column from a sequence, or from a dict or function of the column labels."""
    if isinstance(groups, Mapping) or callable(groups):
        if m.cols is None:
            raise ValueError("give groups as a sequence, one per column, for unlabelled input")
        if isinstance(groups, Mapping):
            lacking = [c for c in m.cols if c not in groups]
            if lacking:
                raise InputError(f"groups: no group for columns {lacking[:5]}{' …' if len(lacking) > 5 else ''}")
            groups = [groups[c] for c in m.cols]
        else:
            groups = [groups(c) for c in m.cols]
    groups = np.asarray(groups)
    if groups.shape != (m.values.shape[-1],):
        raise InputError(f"groups: expected one group for each of the {m.values.shape[-1]} columns, "
                         f"got shape {groups.shape}")
    return groups
