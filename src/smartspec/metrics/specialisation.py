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

    Reference: Balassa, B. (1965). Trade liberalisation and revealed comparative
    advantage. The Manchester School 33(2), 99-123.
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

    Reference: Bahar, D., Rosenow, S., Stein, E. & Wagner, R. (2019). Export take-offs
    and acceleration. (RPOP as used by the Growth Lab's py-ecomplexity.)
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

    Reference: Hoover, E. M. (1936). The measurement of industrial localization.
    Review of Economics and Statistics 18(4), 162-171.
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

    References: Krugman, P. (1991). Geography and Trade. MIT Press. Wieland, T.
    (2019). REAT: Regional Economic Analysis Toolbox, R package
    (``krugman.spec``, ``krugman.spec2``); Farhauer, O. & Kröll, A. (2013).
    Standorttheorien. Springer Gabler.
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

    References: Herfindahl, O. C. (1950). Concentration in the steel industry.
    PhD thesis, Columbia University; Hirschman, A. O. (1945). National power and
    the structure of foreign trade. University of California Press.
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

    Reference: Shannon, C. E. (1948). A mathematical theory of communication.
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

    Reference: Gini, C. (1912). Variabilità e mutabilità.
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

    References: Krugman, P. (1991). Geography and Trade, appendix D. Wieland, T.
    (2019). REAT: Regional Economic Analysis Toolbox, R package (``gini.conc``);
    Farhauer, O. & Kröll, A. (2013). Standorttheorien. Springer Gabler.
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

    Reference: Frenken, K., van Oort, F. & Verburg, T. (2007). Related variety,
    unrelated variety and regional economic growth. Regional Studies 41(5), 685-697.
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
