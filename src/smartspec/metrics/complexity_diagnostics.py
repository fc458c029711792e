"""Diagnostics of a complexity result: does it read as complexity on the data at hand?

A complexity measure is a ranking of regions (and of activities) computed from the
binary specialisation matrix alone. Whether it measures the capabilities its authors
meant is an empirical question, answered by the stylised facts the measures were
validated on (Hidalgo & Hausmann 2009; Tacchella et al. 2012; Sciarra et al. 2020):

* more diversified regions are more complex (rank correlation with diversity);
* complexity rises with income (rank correlation with GDP per head, where known);
* complex activities are held by richer regions, and are rarer (ubiquity);
* for the eigenvector ECI, the second eigenvector is well separated from the third
  (the eigengap), and the regions form one connected whole.

The eigenvector ECI is a spectral partition of regions with similar baskets (Mealy,
Farmer & Teytelboym 2019): whatever divides the regions most — income, or industry
against services, or geography — becomes "complexity", and the sign convention
(positive correlation with diversity) only decides which side is called complex.
These diagnostics say which it was.

All values are JSON-safe (floats, ints, strings, lists; NaN as None).
"""

from __future__ import annotations

import math

import numpy as np

from smartspec.errors import InputError
from smartspec.metrics.complexity import components
from smartspec.metrics.relatedness import _binary

__all__ = ["EIGENGAP_MEANING", "complexity_diagnostics", "eigengap", "spearman"]

EIGENGAP_MEANING = ("(λ2 − λ3) / λ2 of M̃ = D⁻¹MU⁻¹Mᵀ: how far the ECI eigenvector stands apart from the next one. "
                    "Near 0, the second and third eigenvectors are almost tied and a small change in the data can "
                    "rotate ECI into another partition of the regions; near 1, the partition is well determined. "
                    "A large gap says the partition is stable, not that it is complexity.")


def _ranks(a: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties given their average rank."""
    order = np.argsort(a, kind="mergesort")
    s = a[order]
    edges = np.flatnonzero(np.r_[True, s[1:] != s[:-1], True])
    avg = (edges[:-1] + edges[1:] - 1) / 2.0 + 1.0
    out = np.empty(len(a))
    out[order] = np.repeat(avg, np.diff(edges))
    return out


def spearman(x, y) -> dict:
    """Spearman's ρ of two aligned vectors over the pairs where both are finite, with
    n and the one-sided p-value of ρ > 0 (Fisher z with Fieller, Hartley & Pearson's
    variance 1.06/(n − 3)). ρ and p are None when n < 4 or a vector is constant."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    n = int(ok.sum())
    if n < 4:
        return {"rho": None, "p": None, "n": n}
    rx, ry = _ranks(x[ok]), _ranks(y[ok])
    rx -= rx.mean()
    ry -= ry.mean()
    den = math.sqrt(float(rx @ rx) * float(ry @ ry))
    if den == 0.0:
        return {"rho": None, "p": None, "n": n}
    rho = float(rx @ ry) / den
    z = math.atanh(min(max(rho, -1 + 1e-15), 1 - 1e-15)) * math.sqrt((n - 3) / 1.06)
    return {"rho": rho, "p": 0.5 * math.erfc(z / math.sqrt(2.0)), "n": n}


def eigengap(M) -> dict:
    """The three largest eigenvalues of M̃ (regions or activities side, the same nonzero
    spectrum) and the relative eigengap (λ2 − λ3)/λ2; see ``EIGENGAP_MEANING``."""
    x = _binary(M).dense()
    d, u = x.sum(axis=1), x.sum(axis=0)
    x = x[d > 0][:, u > 0]
    d, u = d[d > 0], u[u > 0]
    B = x / np.sqrt(d)[:, None] / np.sqrt(u)[None, :]
    S = B.T @ B if x.shape[1] <= x.shape[0] else B @ B.T
    lam = np.sort(np.linalg.eigvalsh(S))[::-1][:3]
    lam = np.r_[lam, np.zeros(3 - len(lam))]
    gap = float((lam[1] - lam[2]) / lam[1]) if lam[1] > 0 else None
    return {"eigenvalues": [float(v) for v in lam], "eigengap": gap, "meaning": EIGENGAP_MEANING}


def _vector(values, labels, n, name):
    """``values`` as a float array aligned with ``labels`` (by label for a Series)."""
    if hasattr(values, "reindex") and labels is not None:
        return values.reindex(labels).to_numpy(dtype=float, na_value=np.nan)
    arr = np.asarray(values, dtype=float)
    if arr.shape != (n,):
        raise InputError(f"{name}: expected {n} values, got shape {arr.shape}")
    return arr


def _ends(values, labels, top):
    ok = np.flatnonzero(np.isfinite(values))
    order = ok[np.argsort(-values[ok], kind="stable")]
    codes = [labels[i] if labels is not None else int(i) for i in order]
    codes = [c.item() if hasattr(c, "item") else c for c in codes]
    return codes[:top], codes[::-1][:top]


def complexity_diagnostics(M, region_measure, activity_measure=None, *, gdp_per_head=None, method: str | None = None,
                           diversity=None, top: int = 5) -> dict:
    """How a complexity result relates to the stylised facts, as a JSON-safe dict.

    ``M`` is the binary regions × activities matrix the measure was computed from;
    ``region_measure`` and ``activity_measure`` are its values (Series aligned by label,
    or arrays in M's order; any monotone transform gives the same diagnostics).
    ``gdp_per_head`` (a Series by region, or an array) is optional. ``method="eci"``
    adds the eigengap. Returns:

    * ``diversity``: Spearman ρ, one-sided p (ρ > 0) and n of the region measure with
      diversity (``diversity`` if given, else the row sums of M);
    * ``gdp_per_head``: the same with GDP per head (None without it);
    * ``activity_income``: ρ of the activity measure with the mean log GDP per head of
      the regions specialised in each activity (an unweighted PRODY, Hausmann, Hwang &
      Rodrik 2007); ``ubiquity``: ρ of the activity measure with ubiquity (expected < 0);
    * ``components``: connected groups of regions (1 unless the regions fall apart);
    * ``spectrum`` (eigenvector ECI only): ``eigengap()``;
    * ``top_regions``/``bottom_regions``/``top_activities``/``bottom_activities``:
      the ``top`` codes at each end (highest first; lowest first).

    Parameters
    ----------
    M : DataFrame or ndarray
        Binary regions × activities matrix (one year).
    region_measure : Series or array
        The measure's value per region.
    activity_measure : Series or array, optional
        The measure's value per activity.
    gdp_per_head : Series or array, optional
        GDP per head per region.
    method : str, optional
        ``"eci"`` adds the eigengap.
    diversity : Series or array, optional
        Diversity to compare with (default: the row sums of ``M``).
    top : int, default 5
        How many codes to list at each end.

    Returns
    -------
    dict
        The diagnostics above (JSON-safe).

    Raises
    ------
    InputError
        When ``M`` is a panel, or a measure does not fit ``M``.

    References
    ----------
    Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic
    complexity. PNAS 106(26), 10570-10575. Tacchella, A. et al. (2012). A new
    metrics for countries' fitness and products' complexity. Scientific Reports 2,
    723. Mealy, P., Farmer, J. D. & Teytelboym, A. (2019). Interpreting economic
    complexity. Science Advances 5(1), eaau1705. Hausmann, R., Hwang, J. & Rodrik,
    D. (2007). What you export matters. Journal of Economic Growth 12(1), 1-25.

    Examples
    --------
    Fitness on a nested matrix rises with diversity (ρ = 0.975: the two regions
    with diversity 2 are ranked apart by fitness but tied by diversity), and the
    eigenvector ECI does not:

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0],
    ...                   [1, 0, 0, 0, 1]], index=list("abcde"), columns=list("vwxyz"))
    >>> fitness, complexity = mt.fitness_complexity(M, stable=20)
    >>> d = mt.complexity_diagnostics(M, fitness, complexity, top=2)
    >>> round(d["diversity"]["rho"], 3), d["diversity"]["n"], d["components"]
    (0.975, 5, 1)
    >>> d["top_regions"], d["bottom_regions"]
    (['a', 'b'], ['d', 'e'])
    >>> eci, pci = mt.eci_pci(M)
    >>> d = mt.complexity_diagnostics(M, eci, pci, method="eci")
    >>> round(d["diversity"]["rho"], 3), sorted(d["spectrum"])
    (0.308, ['eigengap', 'eigenvalues', 'meaning'])
    """
    m = _binary(M)
    x = m.dense()
    if x.ndim != 2:
        raise InputError("complexity_diagnostics takes one regions × activities matrix, not a panel")
    rows, cols = m.rows, m.cols
    R, A = x.shape
    rv = _vector(region_measure, rows, R, "region_measure")
    d = _vector(diversity, rows, R, "diversity") if diversity is not None else x.sum(axis=1)
    out = {"method": method, "n_regions": int(np.isfinite(rv).sum()), "n_activities": None,
           "diversity": spearman(rv, d), "gdp_per_head": None, "activity_income": None, "ubiquity": None,
           "components": int(components(x).max()) + 1, "spectrum": None}
    if gdp_per_head is not None:
        g = _vector(gdp_per_head, rows, R, "gdp_per_head")
        g = np.where(g > 0, g, np.nan)
        out["gdp_per_head"] = spearman(rv, g)
    out["top_regions"], out["bottom_regions"] = _ends(rv, rows, top)
    if activity_measure is not None:
        av = _vector(activity_measure, cols, A, "activity_measure")
        out["n_activities"] = int(np.isfinite(av).sum())
        out["ubiquity"] = spearman(av, x.sum(axis=0))
        if gdp_per_head is not None:
            known = np.isfinite(g)
            held = x[known].sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                income = np.where(held > 0, np.log(g[known]) @ x[known] / held, np.nan)
            out["activity_income"] = spearman(av, income)
        out["top_activities"], out["bottom_activities"] = _ends(av, cols, top)
    else:
        out["top_activities"] = out["bottom_activities"] = []
    if method == "eci" and min(R, A) >= 3:
        out["spectrum"] = eigengap(m)
    return out
