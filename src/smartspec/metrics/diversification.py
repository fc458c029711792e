"""Diversification: opportunity scores and quadrants from relatedness density and
complexity (Hidalgo et al. 2007; Balland et al. 2019; the Atlas of Economic Complexity's presets)."""

from __future__ import annotations

import numpy as np

from smartspec.metrics._input import as_matrix, as_vector, pd, safe_divide

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

    Parameters
    ----------
    distance : DataFrame or ndarray
        Regions × activities distance (:func:`~smartspec.metrics.distance`).
    pci : Series or ndarray
        Each activity's complexity.
    cog : DataFrame or ndarray
        Regions × activities complexity outlook gain
        (:func:`~smartspec.metrics.complexity_outlook`).
    M : DataFrame or ndarray
        The binary presence matrix; present activities get NaN.
    weights : str or tuple of float, default 'balanced'
        A name in :data:`~smartspec.metrics.PRESETS` or (distance, pci, cog) weights.

    Returns
    -------
    DataFrame or ndarray
        The score of each absent activity, NaN for present ones.

    Raises
    ------
    ValueError
        When ``weights`` is neither a preset nor a triple.

    References
    ----------
    Hausmann, R. et al., Growth Lab, "Atlas of Economic Complexity"
    growth-opportunity strategies (secondary source: the Atlas documentation).

    Examples
    --------
    One region without activities ``y`` and ``z``: ``y`` is nearer (distance 0.2)
    and less complex, ``z`` farther and more complex; their COG is equal. The
    z-scores over the two absent activities are ±1 (and 0 for COG), so with the
    balanced weights ``y`` scores 0.5 · 1 + 0.15 · (−1) + 0.35 · 0 = 0.35:

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 0, 0]], index=["a"], columns=["x", "y", "z"])
    >>> dist = pd.DataFrame([[0.0, 0.2, 0.6]], index=["a"], columns=["x", "y", "z"])
    >>> pci = pd.Series({"x": 0.0, "y": -1.0, "z": 1.0})
    >>> cog = pd.DataFrame([[0.0, 0.5, 0.5]], index=["a"], columns=["x", "y", "z"])
    >>> mt.opportunity_scores(dist, pci, cog, M).round(3)
        x     y     z
    a NaN  0.35 -0.35
    >>> mt.opportunity_scores(dist, pci, cog, M, weights="long jump").round(3)
        x     y     z
    a NaN  0.25 -0.25
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

    Parameters
    ----------
    density : DataFrame
        Regions × activities relatedness density.
    complexity : Series
        Each activity's complexity (PCI or another measure).
    density_cut, complexity_cut : float, optional
        The cuts (default: the medians).

    Returns
    -------
    DataFrame
        A quadrant label per region-activity pair.

    References
    ----------
    Balland, P.-A., Boschma, R., Crespo, J. & Rigby, D. L. (2019). Smart
    specialization policy in the European Union: relatedness, knowledge complexity
    and regional diversification. Regional Studies 53(9), 1252-1268.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> density = pd.DataFrame([[0.8, 0.6, 0.2, 0.1]], index=["a"], columns=list("wxyz"))
    >>> pci = pd.Series({"w": 1.0, "x": -1.0, "y": 2.0, "z": -2.0})
    >>> mt.opportunity_quadrants(density, pci)
               w         x         y        z
    a  high-high  high-low  low-high  low-low
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
