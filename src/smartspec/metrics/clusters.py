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

    Reference: Delgado, M., Porter, M. E. & Stern, S. (2016). Defining clusters of
    related industries. Journal of Economic Geography 16(1), 1-38; US Cluster Mapping
    Project methodology.
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

    Reference: European Cluster Observatory, star rating methodology (Ketels & Sölvell).
    """
    emp = _group(employment, groups).astype(float).fillna(0.0)
    lq = location_quotient(emp)
    focus = emp.div(emp.sum(axis=1), axis=0)
    top = max(1, int(np.ceil(0.1 * len(emp))))

    def in_top(frame):  # ties at the cut are left out, so a star is never shared by a tied crowd
        return (frame.rank(ascending=False, method="max") <= top) & (frame > 0)

    return in_top(emp).astype(int) + (lq >= 2).astype(int) + in_top(focus).astype(int)
