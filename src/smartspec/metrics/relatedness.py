"""Relatedness between activities, and relatedness density of regions.

Conventions:
* ``M`` is a binary regions × activities matrix (1 = specialised, RCA ≥ 1), or a
  years × regions × activities panel of them.
* Proximity keeps its diagonal at 1 by default (py-ecomplexity, Stata, fermi, R
  economiccomplexity); ``diagonal=0`` gives the Datawheel / econcomplex convention.
  Density with diagonal 1 counts an activity itself when the region has it
  ("self included"); with diagonal 0 it is leave-self-out.
* Matrix products run in float64 BLAS (anchors using int64 bypass BLAS).
"""

from __future__ import annotations

import warnings

import numpy as np

from smartspec.errors import InputError
from smartspec.metrics._input import (
    _is_frame,
    as_matrix,
    is_binary,
    pd,
    reciprocal,
    safe_divide,
)

__all__ = ["co_occurrence", "proximity", "cosine", "association_strength", "jaccard", "probability_relatedness",
           "normalise_cooccurrence", "skill_relatedness", "relatedness", "relatedness_density", "distance",
           "align_relatedness"]


def _binary(M, name="M"):
    m = as_matrix(M, name=name)
    if getattr(m, "_binary_checked", False):
        return m
    if not is_binary(m.values.data if m.is_sparse else m.values):
        raise InputError(f"{name} must be binary (0/1); binarise it with location_quotient(X, threshold=1)")
    m._binary_checked = True
    return m


def _gram(m, *, float32: bool = False):
    """MᵀM for a binary matrix (dense or sparse) or each year of a panel, in float64
    (``float32=True`` may return the float32 product, for callers that rescale it anyway).

    Dense products run in float32 BLAS: the counts are integers below 2²⁴, so they are exact.
    Panels are done year by year, so that only one year's float32 copy of ``M`` exists at a time."""
    x = m.values
    if m.is_sparse:
        return (x.T @ x).toarray()
    if x.ndim == 2:
        return _gram_year(x, float32)
    c = np.empty((x.shape[0], x.shape[-1], x.shape[-1]), dtype=np.float32 if float32 else np.float64)
    for t in range(x.shape[0]):
        c[t] = _gram_year(x[t], True)
    return c


def _gram_year(x, float32):
    if x.shape[0] < 2 ** 24:
        x32 = x.astype(np.float32)
        c = x32.T @ x32
        return c if float32 else c.astype(np.float64)
    return x.T @ x


def co_occurrence(M, *, diagonal: bool = True):
    r"""Co-occurrence counts :math:`C_{pq} = \sum_r M_{rp} M_{rq}` (number of regions
    specialised in both). The diagonal holds the ubiquity :math:`u_p` unless
    ``diagonal=False`` (set to 0).

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1), or a years ×
        regions × activities panel of them.
    diagonal : bool, default True
        Keep the ubiquities on the diagonal (False: 0).

    Returns
    -------
    DataFrame or ndarray
        Activities × activities counts (a panel of them for a panel).

    Raises
    ------
    InputError
        When ``M`` is not binary (0/1).

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007).
    The product space conditions the development of nations. Science 317, 482-487.
    EconGeo's ``co_occurrence(t(M))`` (Balland, P.-A., R package).

    Examples
    --------
    Activities ``x`` and ``y`` are both present in regions ``a`` and ``b``:

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> mt.co_occurrence(M)
         x    y    z
    x  3.0  2.0  1.0
    y  2.0  2.0  0.0
    z  1.0  0.0  2.0
    """
    m = _binary(M)
    c = _gram(m)
    if not diagonal:
        c = _zero_diagonal(c)
    return m.square(c)


def _zero_diagonal(a):
    a = a.copy()
    idx = np.arange(a.shape[-1])
    a[..., idx, idx] = 0.0
    return a


def _set_diagonal(a, value):
    if value is None:
        return a
    a = a.copy()
    idx = np.arange(a.shape[-1])
    a[..., idx, idx] = value
    return a


def proximity(M, *, diagonal: float | None = 1.0, asymmetric: bool = False):
    r"""Proximity (Hidalgo et al. 2007): the minimum of the two conditional probabilities.

    .. math:: \phi_{pq} = \frac{\sum_r M_{rp} M_{rq}}{\max(u_p, u_q)}, \quad u_p = \sum_r M_{rp}

    ``diagonal``: value put on the diagonal (1 by default, as py-ecomplexity; 0 as
    Datawheel/econcomplex; None keeps :math:`C_{pp}/u_p`, which is 1 for present
    activities and 0 for absent ones). ``asymmetric=True`` gives the conditional
    probability :math:`P(q \mid p) = C_{pq}/u_p` instead (rows condition).
    Activities present nowhere have proximity 0 to all others.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1), or a years ×
        regions × activities panel of them.
    diagonal : float or None, default 1.0
        The value on the diagonal (None keeps :math:`C_{pp}/u_p`).
    asymmetric : bool, default False
        Return :math:`P(q \mid p)` instead of the minimum.

    Returns
    -------
    DataFrame or ndarray
        Activities × activities proximity.

    Raises
    ------
    InputError
        When ``M`` is not binary (0/1).

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007).
    The product space conditions the development of nations. Science 317, 482-487.

    Examples
    --------
    Ubiquities are (3, 2, 2); ``x`` and ``y`` co-occur twice, so
    :math:`\phi_{xy} = 2/\max(3, 2) = 2/3`; ``x`` and ``z`` once, :math:`1/3`;
    ``y`` and ``z`` never.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> mt.proximity(M).round(4)
            x       y       z
    x  1.0000  0.6667  0.3333
    y  0.6667  1.0000  0.0000
    z  0.3333  0.0000  1.0000
    >>> mt.proximity(M, asymmetric=True).round(4)
         x       y       z
    x  1.0  0.6667  0.3333
    y  1.0  1.0000  0.0000
    z  0.5  0.0000  1.0000
    """
    m = _binary(M)
    x = m.values
    if m.is_sparse or x.ndim == 2:
        return m.square(_proximity_from_counts(_gram(m, float32=True), diagonal, asymmetric))
    phi = np.empty((x.shape[0], x.shape[-1], x.shape[-1]))  # year by year: one year's temporaries at a time
    for t in range(x.shape[0]):
        _proximity_year(x[t], diagonal, asymmetric, out=phi[t])
    return m.square(phi)


def _proximity_year(x, diagonal=1.0, asymmetric=False, out=None):
    """Proximity of one year's dense binary regions × activities array (no checks), into ``out``."""
    return _proximity_from_counts(_gram_year(x, True), diagonal, asymmetric, out)


def _proximity_from_counts(c, diagonal, asymmetric, out=None):
    r = reciprocal(np.diagonal(c, axis1=-2, axis2=-1))  # 1/max(u_p, u_q) = min(1/u_p, 1/u_q); 0 if absent
    scale = r[..., :, None] if asymmetric else np.minimum(r[..., :, None], r[..., None, :])
    phi = np.multiply(c, scale, out=out)  # float64 (c: exact integer counts, float32 or float64)
    idx = np.arange(phi.shape[-1])  # phi is a new array: set the diagonal in place
    phi[..., idx, idx] = diagonal if diagonal is not None else (r > 0)  # C_pp/u_p, exactly
    return phi


def normalise_cooccurrence(C, method: str = "prob", *, margins=None, total=None):
    r"""Normalise a co-occurrence matrix into relatedness (van Eck & Waltman 2009),
    exactly as EconGeo's ``relatedness(mat, method)``. The diagonal is ignored
    (set to 0 first); :math:`s_i = \sum_j C_{ij}`, :math:`T = \sum_{ij} C_{ij}`:

    * ``prob`` (Steijn 2017): :math:`C_{ij} / \left(\tfrac{T}{2}\left[\tfrac{s_i}{T}\tfrac{s_j}{T-s_i} + \tfrac{s_j}{T}\tfrac{s_i}{T-s_j}\right]\right)`,
      co-occurrence over its expectation given the margins (1 = as expected);
    * ``association``: :math:`C_{ij}\,T/(s_i s_j)`;
    * ``cosine``: :math:`C_{ij}/\sqrt{s_i s_j}`;
    * ``jaccard``: :math:`C_{ij}/(s_i + s_j - C_{ij})`.

    The result's diagonal is 0. ``margins``/``total`` replace :math:`s` and :math:`T`:
    econcomplex's ``relatedness_index`` uses the ubiquities :math:`u_i` and the number
    of regions (see :func:`relatedness` with ``margins='incidence'``).

    Parameters
    ----------
    C : DataFrame or ndarray
        Activities × activities co-occurrence counts.
    method : {'prob', 'association', 'cosine', 'jaccard'}, default 'prob'
        The normalisation (see above).
    margins : vector, optional
        Replaces the row sums :math:`s`.
    total : float, optional
        Replaces :math:`T`.

    Returns
    -------
    DataFrame or ndarray
        The relatedness, diagonal 0.

    Raises
    ------
    ValueError
        When ``method`` is unknown.

    References
    ----------
    van Eck, N. J. & Waltman, L. (2009). How to normalize cooccurrence data? An
    analysis of some well-known similarity measures. JASIST 60(8), 1635-1651.
    Steijn, M. (2017). Improvement on the association strength: implementing
    probability measures based on combinations without repetition. Utrecht
    working paper.

    Examples
    --------
    Without the diagonal, :math:`s = (3, 2, 1)` and :math:`T = 6`; association
    strength of ``x`` and ``y`` is :math:`2 \cdot 6/(3 \cdot 2) = 2`, their
    cosine :math:`2/\sqrt{6} \approx 0.8165`, their Jaccard index
    :math:`2/(3 + 2 - 2) = 2/3`:

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> C = mt.co_occurrence(M)
    >>> mt.normalise_cooccurrence(C, "association").round(4)
         x    y    z
    x  0.0  2.0  2.0
    y  2.0  0.0  0.0
    z  2.0  0.0  0.0
    >>> mt.normalise_cooccurrence(C, "cosine").round(4)
            x       y       z
    x  0.0000  0.8165  0.5774
    y  0.8165  0.0000  0.0000
    z  0.5774  0.0000  0.0000
    >>> mt.normalise_cooccurrence(C, "jaccard").round(4)
            x       y       z
    x  0.0000  0.6667  0.3333
    y  0.6667  0.0000  0.0000
    z  0.3333  0.0000  0.0000
    """
    labels = C.index if _is_frame(C) else None
    c = _zero_diagonal(np.asarray(C, dtype=np.float64))
    s = c.sum(axis=-1) if margins is None else np.asarray(margins, dtype=np.float64)
    t = (s.sum(axis=-1) if total is None else np.asarray(total, dtype=np.float64))[..., None, None]
    si, sj = s[..., :, None], s[..., None, :]
    if method == "prob":
        expected = ((si / t) * safe_divide(sj, t - si) + (sj / t) * safe_divide(si, t - sj)) * (t / 2)
        r = safe_divide(c, expected)
    elif method == "association":
        r = safe_divide(c * t, si * sj)
    elif method == "cosine":
        r = safe_divide(c, np.sqrt(si * sj))
    elif method == "jaccard":
        r = safe_divide(c, si + sj - c)
    else:
        raise ValueError("method must be 'prob', 'association', 'cosine' or 'jaccard'")
    r = _zero_diagonal(r)
    return pd.DataFrame(r, index=labels, columns=labels) if labels is not None else r


def _from_occurrence(M, method, margins="cooccurrence"):
    m = _binary(M)
    c = _gram(m)
    if margins == "cooccurrence":
        return m.square(normalise_cooccurrence(c, method))
    if margins == "incidence":
        u = np.diagonal(c, axis1=-2, axis2=-1)
        return m.square(normalise_cooccurrence(c, method, margins=u, total=np.full(u.shape[:-1], m.values.shape[-2], float)))
    raise ValueError("margins must be 'cooccurrence' (EconGeo) or 'incidence' (econcomplex)")


def probability_relatedness(M):
    """EconGeo's default relatedness: co-occurrence over its expected value ("prob").

    The co-occurrence counts of ``M`` normalised by :func:`normalise_cooccurrence`
    with ``method='prob'`` and EconGeo's margins.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1), or a years ×
        regions × activities panel of them.

    Returns
    -------
    DataFrame or ndarray
        Activities × activities relatedness, diagonal 0.

    Raises
    ------
    InputError
        When ``M`` is not binary (0/1).

    References
    ----------
    van Eck, N. J. & Waltman, L. (2009). How to normalize cooccurrence data? An
    analysis of some well-known similarity measures. JASIST 60(8), 1635-1651.
    Steijn, M. (2017), Utrecht working paper; EconGeo's ``relatedness(method='prob')``.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> mt.probability_relatedness(M).round(3)
           x      y     z
    x  0.000  1.143  1.25
    y  1.143  0.000  0.00
    z  1.250  0.000  0.00
    """
    return _from_occurrence(M, "prob")


def association_strength(M):
    """Association strength of the co-occurrence counts (van Eck & Waltman 2009).

    The co-occurrence counts of ``M`` normalised by :func:`normalise_cooccurrence`
    with ``method='association'`` and EconGeo's margins.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1), or a years ×
        regions × activities panel of them.

    Returns
    -------
    DataFrame or ndarray
        Activities × activities relatedness, diagonal 0.

    Raises
    ------
    InputError
        When ``M`` is not binary (0/1).

    References
    ----------
    van Eck, N. J. & Waltman, L. (2009). How to normalize cooccurrence data? An
    analysis of some well-known similarity measures. JASIST 60(8), 1635-1651.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> mt.association_strength(M).round(3)
         x    y    z
    x  0.0  2.0  2.0
    y  2.0  0.0  0.0
    z  2.0  0.0  0.0
    """
    return _from_occurrence(M, "association")


def cosine(M):
    """Cosine normalisation of the co-occurrence counts, as EconGeo ``relatedness(method='cosine')``.

    The co-occurrence counts of ``M`` normalised by :func:`normalise_cooccurrence`
    with ``method='cosine'`` and EconGeo's margins.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1), or a years ×
        regions × activities panel of them.

    Returns
    -------
    DataFrame or ndarray
        Activities × activities relatedness, diagonal 0.

    Raises
    ------
    InputError
        When ``M`` is not binary (0/1).

    References
    ----------
    van Eck, N. J. & Waltman, L. (2009). How to normalize cooccurrence data? An
    analysis of some well-known similarity measures. JASIST 60(8), 1635-1651.
    EconGeo's ``relatedness(method='cosine')``.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> mt.cosine(M).round(3)
           x      y      z
    x  0.000  0.816  0.577
    y  0.816  0.000  0.000
    z  0.577  0.000  0.000
    """
    return _from_occurrence(M, "cosine")


def jaccard(M):
    """Jaccard index of the co-occurrence counts (van Eck & Waltman 2009).

    The co-occurrence counts of ``M`` normalised by :func:`normalise_cooccurrence`
    with ``method='jaccard'`` and EconGeo's margins.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1), or a years ×
        regions × activities panel of them.

    Returns
    -------
    DataFrame or ndarray
        Activities × activities relatedness, diagonal 0.

    Raises
    ------
    InputError
        When ``M`` is not binary (0/1).

    References
    ----------
    van Eck, N. J. & Waltman, L. (2009). How to normalize cooccurrence data? An
    analysis of some well-known similarity measures. JASIST 60(8), 1635-1651.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> mt.jaccard(M).round(3)
           x      y      z
    x  0.000  0.667  0.333
    y  0.667  0.000  0.000
    z  0.333  0.000  0.000
    """
    return _from_occurrence(M, "jaccard")


def relatedness(M, method: str = "proximity", *, margins: str = "cooccurrence", **kwargs):
    """Relatedness by name: ``proximity`` (Hidalgo), ``prob``, ``association``, ``cosine``, ``jaccard``.

    For the co-occurrence normalisations, ``margins='cooccurrence'`` (default) uses
    the co-occurrence row sums and their total, as EconGeo; ``margins='incidence'``
    uses each activity's ubiquity and the number of regions, as econcomplex's
    ``relatedness_index``.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1), or a years ×
        regions × activities panel of them.
    method : {'proximity', 'prob', 'association', 'cosine', 'jaccard'}, default 'proximity'
        The relatedness.
    margins : {'cooccurrence', 'incidence'}, default 'cooccurrence'
        The margins of the co-occurrence normalisations.
    **kwargs
        Passed on to :func:`proximity`.

    Returns
    -------
    DataFrame or ndarray
        Activities × activities relatedness.

    Raises
    ------
    InputError
        When ``M`` is not binary (0/1).
    ValueError
        When ``method`` or ``margins`` is unknown.

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007).
    The product space conditions the development of nations. Science 317, 482-487.
    van Eck, N. J. & Waltman, L. (2009). How to normalize cooccurrence data? An
    analysis of some well-known similarity measures. JASIST 60(8), 1635-1651.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> mt.relatedness(M, "association", margins="incidence").round(4)
            x       y       z
    x  0.0000  1.3333  0.6667
    y  1.3333  0.0000  0.0000
    z  0.6667  0.0000  0.0000
    """
    if method == "proximity":
        return proximity(M, **kwargs)
    return _from_occurrence(M, method, margins)


def skill_relatedness(flows, *, exclude_diagonal: bool = False, transform: bool = True, symmetrise: bool = False):
    r"""Skill-relatedness from an industry × industry labour-flow table (Neffke & Henning 2013).

    .. math:: SR_{ij} = \frac{F_{ij} / F_{i\cdot}}{F_{\cdot j} / F_{\cdot\cdot}}

    the observed flow from i to j over the flow expected from i's outflow and j's
    inflow. By default the result is directed and within-industry moves count in
    the margins: the null model of the published UK ASHE matrix, which smartspec
    reproduces (r = 0.9995, see docs/methods.md). ``exclude_diagonal`` drops
    within-industry moves from the margins; ``symmetrise`` averages :math:`SR_{ij}`
    and :math:`SR_{ji}`; ``transform`` maps :math:`SR \in [0, \infty)` onto
    :math:`(SR-1)/(SR+1) \in [-1, 1)` (0 = as expected). The diagonal is set to 1
    (transformed). In :func:`relatedness_density` a directed matrix is read as
    "from the region's activities q into the candidate p" (:math:`R_{qp}`).

    ``flows`` is a square DataFrame (or array), or a long frame with columns
    ``source, target, count``.

    Parameters
    ----------
    flows : DataFrame or ndarray
        Industry × industry job-to-job flows :math:`F_{ij}` (from row to column),
        or a long frame ``source, target, count``.
    exclude_diagonal : bool, default False
        Leave within-industry moves out of the margins.
    transform : bool, default True
        Map onto :math:`(SR-1)/(SR+1)`.
    symmetrise : bool, default False
        Average both directions.

    Returns
    -------
    DataFrame or ndarray
        Industry × industry skill-relatedness; the diagonal is 1 when transformed,
        NaN (undefined) when not.

    Raises
    ------
    InputError
        When ``flows`` is neither a square matrix with the same industries as rows
        and columns nor a long ``source, target, count`` table.

    References
    ----------
    Neffke, F. & Henning, M. (2013). Skill relatedness and firm
    diversification. Strategic Management Journal 34(3), 297-316.

    Examples
    --------
    Of 100 moves, 20 go from ``x`` to ``y``; ``x`` sends 40 and ``y`` receives 40,
    so :math:`SR_{xy} = (20/40)/(40/100) = 1.25`, transformed
    :math:`0.25/2.25 \approx 0.111`:

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> F = pd.DataFrame([[10, 20, 10], [20, 10, 10], [10, 10, 0]],
    ...                  index=list("xyz"), columns=list("xyz"))
    >>> mt.skill_relatedness(F, transform=False).round(4)
          x     y     z
    x   NaN  1.25  1.25
    y  1.25   NaN  1.25
    z  1.25  1.25   NaN
    >>> mt.skill_relatedness(F).round(4)
            x       y       z
    x  1.0000  0.1111  0.1111
    y  0.1111  1.0000  0.1111
    z  0.1111  0.1111  1.0000
    """
    f = _flow_matrix(flows)
    labels = f.index
    x = f.to_numpy(dtype=np.float64)
    if exclude_diagonal:
        x = _zero_diagonal(x)
    total = x.sum()
    expected = np.outer(x.sum(axis=1), x.sum(axis=0)) / total if total else np.zeros_like(x)
    sr = safe_divide(x, expected)
    if symmetrise:
        sr = (sr + sr.T) / 2.0
    if transform:
        sr = (sr - 1.0) / (sr + 1.0)
    sr = _set_diagonal(sr, 1.0 if transform else np.nan)
    return pd.DataFrame(sr, index=labels, columns=labels)


def _flow_matrix(flows) -> pd.DataFrame:
    if _is_frame(flows) and flows.shape[1] == 3 and not flows.index.equals(flows.columns):
        src, dst, cnt = flows.columns
        labels = sorted(set(flows[src]) | set(flows[dst]))
        wide = flows.astype({cnt: float}).pivot_table(index=src, columns=dst, values=cnt, aggfunc="sum", fill_value=0.0)
        return wide.reindex(index=labels, columns=labels, fill_value=0.0)
    if _is_frame(flows):
        if not flows.index.equals(flows.columns):
            raise InputError("a square flow table needs the same industries as rows and columns")
        return flows
    arr = np.asarray(flows, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise InputError("flows must be a square industry × industry matrix or a long table source, target, count")
    return pd.DataFrame(arr)


def relatedness_density(M, R, *, scale: float = 1.0, exclude_self: bool = False):
    r"""Relatedness density: the share of an activity's relatedness that the region's
    specialisations account for.

    .. math:: \omega_{rp} = \frac{\sum_q M_{rq} R_{qp}}{\sum_q R_{qp}}

    ``R`` is any activities × activities relatedness (proximity, skill-relatedness,
    an external table aligned with :func:`align_relatedness`). ``scale=100`` gives
    EconGeo's and econcomplex's percentage convention; ``scale=1`` (default) gives
    py-ecomplexity's share in [0, 1] for non-negative R. ``exclude_self=True``
    drops :math:`q = p` (leave-self-out). Negative relatedness (e.g. transformed
    skill-relatedness) should be clipped to 0 first; density then stays in [0, 1].

    Alignment of ``R`` with the activities of ``M``:

    * labelled ``R`` (DataFrame) and labelled ``M``: by label (``R`` is reindexed
      to ``M``'s columns; activities missing from ``R`` raise
      :class:`~smartspec.errors.InputError`), also for a (year, activity)-indexed
      panel of matrices;
    * unlabelled ``R`` (numpy array) of the wrong size: ``InputError``;
    * unlabelled ``R`` of the right size with labelled ``M``: used by position,
      i.e. row/column ``q`` of ``R`` is taken to be ``M``'s ``q``-th column, with a
      ``UserWarning`` saying so (give ``R`` as a DataFrame with the activity
      labels to align it by label and silence the warning);
    * unlabelled ``M`` (array): ``R`` is used by position.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1), or a years ×
        regions × activities panel of them.
    R : DataFrame or ndarray
        Activities × activities relatedness (or a panel of them).
    scale : float, default 1.0
        Multiply the density (100: percentages).
    exclude_self : bool, default False
        Leave :math:`q = p` out.

    Returns
    -------
    DataFrame or ndarray
        Regions × activities density.

    Raises
    ------
    InputError
        When ``M`` is not binary, or ``R`` is not activities × activities, has
        missing values or lacks some of ``M``'s activities.

    Warns
    -----
    UserWarning
        When an unlabelled ``R`` is matched to a labelled ``M`` by position.

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007).
    The product space conditions the development of nations. Science 317, 482-487.
    Boschma, R., Balland, P.-A. & Kogler, D. F. (2015). Relatedness and
    technological change in cities. Industrial and Corporate Change 24(1), 223-250.

    Examples
    --------
    Region ``d`` has only ``z``. The proximities into ``x`` are (1, 2/3, 1/3), so
    :math:`\omega_{dx} = (1/3)/(1 + 2/3 + 1/3) = 1/6`:

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> mt.relatedness_density(M, mt.proximity(M)).round(4)
            x    y     z
    a  0.8333  1.0  0.25
    b  0.8333  1.0  0.25
    c  0.6667  0.4  1.00
    d  0.1667  0.0  0.75
    """
    m = _binary(M)
    r = _relatedness_array(R, m)
    if exclude_self:
        r = _zero_diagonal(r)
    x = m.values.toarray() if m.is_sparse else m.values
    return m.like(_density(x, r, scale))


def _density(x, r, scale=1.0, out=None):
    """Relatedness density of dense binary ``x`` under the checked array ``r``, into ``out``."""
    num = np.matmul(x, r, out=out)
    den = r.sum(axis=-2)[..., None, :]
    np.multiply(num, scale * reciprocal(den), out=num)  # 0 for activities related to nothing
    if np.min(r) >= 0:  # then density ≤ scale exactly; rounding can leave scale · (1 + 1e-16)
        np.minimum(num, scale, out=num)
    return num


def _relatedness_array(R, m):
    """``R`` as a float array aligned with the activities (columns) of ``m``: by label when
    both are labelled, by position otherwise (with a warning when only ``m`` has labels)."""
    if _is_frame(R):
        if isinstance(R.index, pd.MultiIndex):  # a panel of proximities: (year, activity) × activity
            if m.cols is not None:
                _check_covers(R.columns.intersection(R.index.get_level_values(-1).unique()), m.cols)
                years = R.index.get_level_values(0).unique()
                R = R.reindex(index=pd.MultiIndex.from_product([years, m.cols]), columns=m.cols)
            n = R.shape[1]
            return _finite(R.to_numpy(dtype=np.float64).reshape(-1, n, n), m)
        if m.cols is not None:
            _check_covers(R.index.intersection(R.columns), m.cols)
            R = R.reindex(index=m.cols, columns=m.cols)
        R = R.to_numpy(dtype=np.float64)
    elif m.cols is not None and m.kind != "array":
        n = m.values.shape[-1]
        if np.shape(R)[-2:] == (n, n):
            warnings.warn(f"the relatedness matrix has no labels: its {n} rows and columns are matched to the "
                          "activities by position; pass it as a DataFrame labelled with the activities to align "
                          "it by label", UserWarning, stacklevel=3)
    return _finite(R, m)


def _check_covers(labels, cols):
    missing = cols.difference(labels)
    if len(missing):
        raise InputError(f"relatedness matrix lacks activities {list(missing[:5])}; align it first "
                         "with align_relatedness()")


def _finite(R, m):
    r = np.asarray(R, dtype=np.float64)
    if r.ndim not in (2, 3):
        raise InputError(f"relatedness must be an activities × activities matrix, got {r.ndim} dimension(s)")
    if r.shape[-1] != m.values.shape[-1] or r.shape[-2] != m.values.shape[-1]:
        raise InputError(f"relatedness is {r.shape[-2]}×{r.shape[-1]} but there are {m.values.shape[-1]} activities")
    if not np.isfinite(r.sum()) and np.isnan(r).any():  # one reduction in the common case
        raise InputError("relatedness matrix has missing values; fill or drop them before computing density")
    return r


def distance(M, R, **kwargs):
    r"""Distance = 1 − relatedness density (on the [0, 1] scale).

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1), or a years ×
        regions × activities panel of them.
    R : DataFrame or ndarray
        Activities × activities relatedness.
    **kwargs
        Passed on to :func:`relatedness_density` (``exclude_self``).

    Returns
    -------
    DataFrame or ndarray
        Regions × activities distance, :math:`1 - \omega_{rp}`.

    Raises
    ------
    InputError
        As :func:`relatedness_density`.

    References
    ----------
    Hausmann, R., Hidalgo, C. A. et al. (2014). The Atlas of Economic Complexity.
    MIT Press (distance as one minus density).

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]],
    ...                  index=list("abcd"), columns=list("xyz"))
    >>> mt.distance(M, mt.proximity(M)).round(4).loc["d"]
    x    0.8333
    y    1.0000
    z    0.2500
    Name: d, dtype: float64
    """
    kwargs.pop("scale", None)
    d = relatedness_density(M, R, **kwargs)
    return 1.0 - d


def align_relatedness(R: pd.DataFrame, activities, *, mapping, how: str = "mean") -> pd.DataFrame:
    """Bring an external relatedness matrix onto the analysis' activities.

    Rows and columns of ``R`` (e.g. four-digit classes) are mapped onto
    ``activities`` (e.g. divisions) by ``mapping``, a dict or a function from a
    code of ``R`` to its activity (e.g. its NACE ancestor at the activities'
    level, which the caller gets from its classification: metrics knows none), and
    aggregated with the mean (``how='mean'``) or max of the pairs between the two
    groups. Codes the mapping sends elsewhere (or, for a dict, lacks) are dropped.
    The diagonal of the result is set to 1. Activities without any entry raise an
    error.

    Parameters
    ----------
    R : DataFrame
        The external relatedness, codes × codes.
    activities : sequence
        The analysis' activities.
    mapping : dict or callable
        Each code of ``R`` to its activity.
    how : {'mean', 'max'}, default 'mean'
        How the pairs between two groups are aggregated.

    Returns
    -------
    DataFrame
        Activities × activities relatedness, diagonal 1.

    Raises
    ------
    InputError
        When an activity has no entry in ``R``.

    References
    ----------
    Neffke, F. & Henning, M. (2013), Strategic Management Journal 34(3), 297-316,
    for the labour-flow tables that usually come at a finer level.

    Examples
    --------
    Classes 10.1 and 10.2 both map to division 10; the pairs between 10 and 11
    are (0.2, 0.4), mean 0.3:

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> R = pd.DataFrame([[1, 0.5, 0.2], [0.5, 1, 0.4], [0.2, 0.4, 1]],
    ...                  index=["10.1", "10.2", "11.0"], columns=["10.1", "10.2", "11.0"])
    >>> mt.align_relatedness(R, ["10", "11"], mapping=lambda code: code[:2])
         10   11
    10  1.0  0.3
    11  0.3  1.0
    >>> mt.align_relatedness(R, ["10", "11"], mapping=lambda code: code[:2], how="max")
         10   11
    10  1.0  0.4
    11  0.4  1.0
    """
    activities = list(activities)
    func = mapping.get if isinstance(mapping, dict) else mapping
    groups = pd.Index([func(c) for c in R.index])
    keep = groups.isin(activities)
    sub = R.loc[keep, keep]
    g = groups[keep]
    long = sub.set_axis(g, axis=0).set_axis(g, axis=1)
    agg = long.T.groupby(level=0).agg(how).T.groupby(level=0).agg(how)
    missing = [a for a in activities if a not in agg.index]
    if missing:
        raise InputError(f"the relatedness matrix has no entries for {missing[:8]}")
    out = agg.reindex(index=activities, columns=activities)
    values = out.to_numpy(copy=True)
    np.fill_diagonal(values, 1.0)
    return pd.DataFrame(values, index=activities, columns=activities)
