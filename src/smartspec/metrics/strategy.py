"""Strategy signals: diversification opportunities, opportunity quadrants, strength
categories (Lightcast, Metroverse), and cluster strength (US Cluster Mapping, ECO stars)."""

from __future__ import annotations

import sys

import numpy as np

from smartspec.metrics._input import as_matrix, as_vector, safe_divide, pd
from smartspec.metrics.specialisation import location_quotient

#: Atlas of Economic Complexity weight presets (distance, PCI, COG).
PRESETS = {
    "low-hanging fruit": (0.60, 0.15, 0.25),
    "balanced": (0.50, 0.15, 0.35),
    "long jump": (0.45, 0.20, 0.35),
}


def _zscore_rows(a, mask):
    """z-score each row over the cells where mask is True (others NaN)."""
    v = np.where(mask, a, np.nan)
    mu = np.nanmean(v, axis=-1, keepdims=True)
    sd = np.nanstd(v, axis=-1, keepdims=True)
    sd = np.where(sd > 1e-12 * (np.abs(mu) + 1.0), sd, 0.0)  # a constant row has no spread: z = 0
    return np.where(mask, safe_divide(v - mu, sd), np.nan)


def opportunity_scores(distance, pci, cog, M, *, weights="balanced"):
    r"""Diversification opportunity score of each absent activity (Atlas style).

    .. math:: S_{rp} = w_d\, z(-\mathrm{distance}_{rp}) + w_c\, z(PCI_p) + w_g\, z(COG_{rp})

    where z standardises over the region's absent activities (:math:`M_{rp}=0`);
    present activities get NaN. ``weights`` is a preset name (``low-hanging fruit``
    60/15/25, ``balanced`` 50/15/35, ``long jump`` 45/20/35) or a (distance, pci,
    cog) triple. Higher is a better opportunity.

    Reference: Hausmann, R. et al., Growth Lab, "Atlas of Economic Complexity"
    growth-opportunity strategies (secondary source: the Atlas documentation).
    """
    w = PRESETS[weights] if isinstance(weights, str) else tuple(float(x) for x in weights)
    if len(w) != 3:
        raise ValueError("weights must be a preset name or (distance, pci, cog)")
    md = as_matrix(distance, name="distance")
    m = as_matrix(M, name="M").dense()
    absent = m == 0
    pci_v = as_vector(pci, name="pci", labels=md.cols, length=m.shape[-1])
    score = (w[0] * _zscore_rows(-md.dense(), absent)
             + w[1] * _zscore_rows(np.broadcast_to(pci_v, m.shape), absent)
             + w[2] * _zscore_rows(as_matrix(cog, name="cog", nonnegative=False).dense(), absent))
    return md.like(score)


def opportunity_quadrants(density, complexity, *, density_cut=None, complexity_cut=None):
    """Quadrant of each region-activity pair in the relatedness density × complexity plane
    (Balland et al. 2019): ``high-high`` (related and complex: the target), ``high-low``
    (related, less complex), ``low-high`` (complex but a long jump), ``low-low``.
    Cuts default to the medians (density per region, complexity over activities).

    Reference: Balland, P.-A., Boschma, R., Crespo, J. & Rigby, D. L. (2019). Smart
    specialization policy in the European Union: relatedness, knowledge complexity
    and regional diversification. Regional Studies 53(9), 1252-1268.
    """
    md = as_matrix(density, name="density", missing="ignore")
    d = md.dense()
    c = np.broadcast_to(as_vector(complexity, name="complexity", labels=md.cols, length=d.shape[-1]), d.shape)
    dc = np.nanmedian(d, axis=-1, keepdims=True) if density_cut is None else density_cut
    cc = np.nanmedian(c) if complexity_cut is None else complexity_cut
    hi_d, hi_c = d >= dc, c >= cc
    labels = np.where(hi_d, np.where(hi_c, "high-high", "high-low"), np.where(hi_c, "low-high", "low-low"))
    labels = np.where(np.isnan(d) | np.isnan(c), "", labels)
    return pd.DataFrame(labels, index=md.rows, columns=md.cols) if md.kind == "frame" else labels


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
