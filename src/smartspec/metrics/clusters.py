"""Strength categories (Lightcast, Metroverse) and cluster strength (US Cluster Mapping
Project, European Cluster Observatory stars)."""

from __future__ import annotations

import sys

import numpy as np

from smartspec.metrics._input import as_matrix, pd, safe_divide
from smartspec.metrics.specialisation import location_quotient


def strength_categories(lq, growth=None, *, density=None, scheme: str = "lightcast", lq_cut: float = 1.0,
                        density_cut=None):
    """Strength categories per region-activity pair.

    * ``lightcast`` (needs ``growth``, the activity's national growth): ``strength``
      = LQ ≥ 1 and growing; ``opportunity`` = LQ < 1 and growing; ``risk`` = LQ ≥ 1
      and not growing; ``weak`` otherwise.
    * ``metroverse`` (needs ``density``): ``strength`` = LQ ≥ 1 and density ≥ cut;
      ``threat`` = LQ ≥ 1 and density < cut; ``opportunity`` = LQ < 1 and density ≥
      cut; ``weakness`` otherwise. The cut defaults to each region's median density.

    Missing inputs give an empty label, never a category.

    Parameters
    ----------
    lq : DataFrame
        Regions × activities location quotients.
    growth : Series or DataFrame, optional
        The activities' (national) growth, for ``scheme='lightcast'``.
    density : DataFrame, optional
        Regions × activities relatedness density, for ``scheme='metroverse'``.
    scheme : {'lightcast', 'metroverse'}, default 'lightcast'
        The categories (see above).
    lq_cut : float, default 1.0
        The LQ of a strength.
    density_cut : float, optional
        The density cut (default: each region's median).

    Returns
    -------
    DataFrame
        A label per region-activity pair ('' where an input is missing).

    Raises
    ------
    ValueError
        When the scheme's input is not given, or ``scheme`` is unknown.

    References
    ----------
    Lightcast (Emsi) industry cluster analysis: the LQ × growth quadrants. Metroverse
    (Harvard Growth Lab), the specialisation × relatedness matrix.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> lq = pd.DataFrame({"x": [1.5, 0.75], "y": [0.75, 1.5]}, index=["a", "b"])
    >>> mt.strength_categories(lq, pd.Series({"x": 0.05, "y": -0.02}))
                 x     y
    a     strength  weak
    b  opportunity  risk
    """
    ml = as_matrix(lq, name="lq", missing="ignore")
    q = ml.dense()
    spec = q >= lq_cut
    if scheme == "lightcast":
        if growth is None:
            raise ValueError("the lightcast scheme needs growth")
        g = np.asarray(growth.reindex(ml.cols) if ("pandas" in sys.modules and isinstance(growth, pd.Series)) else growth, dtype=float)
        g = np.broadcast_to(g, q.shape)
        up = g > 0
        out = np.where(spec, np.where(up, "strength", "risk"), np.where(up, "opportunity", "weak"))
        unknown = np.isnan(q) | np.isnan(g)
    elif scheme == "metroverse":
        if density is None:
            raise ValueError("the metroverse scheme needs density")
        d = as_matrix(density, name="density", missing="ignore").dense()
        cut = np.nanmedian(d, axis=-1, keepdims=True) if density_cut is None else density_cut
        near = d >= cut
        out = np.where(spec, np.where(near, "strength", "threat"), np.where(near, "opportunity", "weakness"))
        unknown = np.isnan(q) | np.isnan(d)
    else:
        raise ValueError("scheme must be 'lightcast' or 'metroverse'")
    out = np.where(unknown, "", out)
    return pd.DataFrame(out, index=ml.rows, columns=ml.cols) if ml.kind == "frame" else out


def _group(x: pd.DataFrame, groups) -> pd.DataFrame:
    if groups is None:
        return x
    mapper = groups.get if isinstance(groups, dict) else groups
    return x.T.groupby([mapper(c) for c in x.columns]).sum(min_count=1).T


def cluster_strength(employment: pd.DataFrame, establishments: pd.DataFrame | None = None, *, groups=None,
                     lq_percentile: float = 75, size_percentile: float = 25):
    """Strong clusters by the US Cluster Mapping Project's rule.

    Activities are summed into clusters by ``groups`` (dict or function from activity
    to cluster; None keeps the activities). Among regions with employment in a
    cluster, a region's cluster is *strong* when its LQ ≥ the ``lq_percentile``-th
    percentile and ≥ 1, its employment is above the ``size_percentile``-th
    percentile, and (if given) its establishments are above theirs.

    Returns ``(strong, cluster_share)``: a boolean regions × clusters frame, and each
    region's share of employment (in the clusters given, e.g. traded ones) that sits
    in strong clusters — the US Cluster Mapping's regional cluster strength.

    Parameters
    ----------
    employment : DataFrame
        Regions × activities employment.
    establishments : DataFrame, optional
        Regions × activities establishment counts.
    groups : dict or callable, optional
        Each activity's cluster (None: every activity is its own cluster).
    lq_percentile, size_percentile : float, default 75 and 25
        The percentiles a strong cluster must reach.

    Returns
    -------
    tuple
        ``(strong, cluster_share)``: a boolean regions × clusters DataFrame and a
        Series of each region's share of employment in strong clusters.

    References
    ----------
    Delgado, M., Porter, M. E. & Stern, S. (2016). Defining clusters of
    related industries. Journal of Economic Geography 16(1), 1-38; US Cluster Mapping
    Project methodology.

    Examples
    --------
    Divisions summed into two clusters; region ``a`` is the most specialised in
    ``food`` with the larger employment, so its cluster is strong.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> E = pd.DataFrame({"10": [80, 10, 20, 5], "11": [20, 5, 10, 5], "62": [20, 80, 60, 40]},
    ...                  index=["a", "b", "c", "d"])
    >>> strong, share = mt.cluster_strength(E, groups={"10": "food", "11": "food", "62": "ict"})
    >>> strong
        food    ict
    a   True  False
    b  False   True
    c  False  False
    d  False  False
    >>> share.round(3)
    a    0.833
    b    0.842
    c    0.000
    d    0.000
    Name: cluster_strength, dtype: float64
    """
    emp = _group(employment, groups).astype(float)
    lq = location_quotient(emp.fillna(0.0))
    present = emp > 0
    def above(frame, pct):
        cut = frame.where(present).quantile(pct / 100.0)
        return frame > cut
    lq_cut = lq.where(present).quantile(lq_percentile / 100.0)
    strong = present & (lq >= lq_cut) & (lq >= 1.0) & above(emp, size_percentile)
    if establishments is not None:
        est = _group(establishments, groups).astype(float).reindex_like(emp)
        strong &= above(est, size_percentile)
    share = safe_divide(emp.where(strong, 0.0).sum(axis=1), emp.sum(axis=1))
    return strong, pd.Series(share, index=emp.index, name="cluster_strength")


def cluster_stars(employment: pd.DataFrame, *, groups=None):
    """European Cluster Observatory stars (0-3) per region and cluster: one each for
    size (top 10 % of regions by the cluster's employment), specialisation (LQ ≥ 2)
    and focus (top 10 % by the cluster's share of the region's employment).

    Parameters
    ----------
    employment : DataFrame
        Regions × activities employment.
    groups : dict or callable, optional
        Each activity's cluster (None: every activity is its own cluster).

    Returns
    -------
    DataFrame
        Stars (0-3) per region and cluster.

    References
    ----------
    European Cluster Observatory, star rating methodology (Ketels, C. & Sölvell, Ö.
    (2006). Clusters in the EU-10 new member countries. Europe INNOVA).

    Examples
    --------
    Among ten regions, ``r0`` is the largest in ``x`` (size), has LQ ≥ 2 there
    (specialisation) and the largest share of its employment in it (focus):

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> E = pd.DataFrame({"x": [90] + [10] * 9, "y": [10] + [90] * 9}, index=[f"r{i}" for i in range(10)])
    >>> mt.cluster_stars(E).head(3)
        x  y
    r0  3  0
    r1  0  0
    r2  0  0
    """
    emp = _group(employment, groups).astype(float).fillna(0.0)
    lq = location_quotient(emp)
    focus = emp.div(emp.sum(axis=1), axis=0)
    top = max(1, int(np.ceil(0.1 * len(emp))))

    def in_top(frame):  # ties at the cut are left out, so a star is never shared by a tied crowd
        return (frame.rank(ascending=False, method="max") <= top) & (frame > 0)

    return in_top(emp).astype(int) + (lq >= 2).astype(int) + in_top(focus).astype(int)
