"""Robustness of specialisations built on small counts."""

from __future__ import annotations

import numpy as np
from scipy.special import gammaincinv

from smartspec.metrics._input import as_matrix, as_vector, safe_divide

#: Persons per enterprise in the EU business economy (Eurostat SBS: about 6-7), the default
#: lump in which employment comes when establishment sizes are not known.
DEFAULT_UNIT = 7.0


def specialisation_stability(X, *, threshold: float = 1.0, draws: int = 500, method: str = "poisson",
                             seed: int | None = 0, totals=None, missing="raise", unit=DEFAULT_UNIT):
    r"""Share of resampled draws in which each cell's RCA ≥ ``threshold``.

    * ``establishments``: employment comes in lumps — establishments of ``unit`` persons
      (a scalar, or one size per activity) — and the number of lumps is redrawn:
      :math:`\tilde X_{rp} = s_p \, \text{Poisson}(X_{rp}/s_p)`. A division of 14 employees
      is then one or two workplaces, and its specialisation is as fragile as that;
    * ``poisson``: every count is redrawn as :math:`\tilde X_{rp} \sim \text{Poisson}(X_{rp})`
      (persons independent of each other: too confident for small counts);
    * ``multinomial``: each region's total is redistributed over its activities with
      probabilities :math:`X_{rp}/X_r` (a bootstrap of the region's jobs).

    RCA is recomputed on every draw with the draw's own totals, or against fixed
    activity ``totals`` (e.g. Europe's, which one region's noise barely moves). A value near 1 (or 0)
    is a stable specialisation (or non-specialisation); values in between, typical
    of small counts, flag fragile specialisations. Deterministic for a given ``seed``.

    Parameters
    ----------
    X : DataFrame or ndarray
        Regions × activities counts (or a years × regions × activities panel).
    threshold : float, default 1.0
        The RCA of a specialisation.
    draws : int, default 500
        The number of resampled matrices.
    method : {'poisson', 'establishments', 'multinomial'}, default 'poisson'
        How counts are redrawn (see above).
    seed : int or None, default 0
        Seed of the random generator (None: not reproducible).
    totals : vector, optional
        Fixed activity totals for the RCA (default: each draw's column sums).
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing cells: ``'ignore'`` keeps them missing in the result.
    unit : float or vector, default 7.0
        Persons per establishment, for ``method='establishments'`` (EU average).

    Returns
    -------
    DataFrame or ndarray
        The share of draws with RCA ≥ ``threshold``, in [0, 1].

    Raises
    ------
    ValueError
        When ``method`` is unknown.
    InputError
        For negative or infinite counts, or missing cells with ``missing='raise'``.

    References
    ----------
    The small-count instability of LQs is discussed by O'Donoghue, D. &
    Gleave, B. (2004). A note on methods for measuring industrial agglomeration.
    Regional Studies 38(4), 419-427 (which proposes a standardised LQ).

    Examples
    --------
    The same LQ of 1.5 on 2 000 persons and on 20: the first is stable, the
    second fragile.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame([[2000, 1000, 1000], [10, 10, 20], [10, 20, 10],
    ...                   [1000, 2000, 1000], [1000, 1000, 2000]], index=list("abcde"), columns=list("xyz"))
    >>> mt.location_quotient(X).round(2).loc[["a", "c"]]
          x     y     z
    a  1.50  0.75  0.75
    c  0.75  1.50  0.75
    >>> mt.specialisation_stability(X, draws=200).round(2).loc[["a", "c"]]
          x     y     z
    a  1.00  0.00  0.00
    c  0.17  0.98  0.11
    """
    m = as_matrix(X, missing=missing, allow_sparse=False, allow_panel=False)
    x = m.values
    fixed = None if totals is None else as_vector(totals, name="totals", labels=m.cols, length=x.shape[1])
    rng = np.random.default_rng(seed)
    hits = np.zeros_like(x)
    chunk = max(1, int(2e7 // max(1, x.size)))
    done = 0
    while done < draws:
        n = min(chunk, draws - done)
        if method == "establishments":
            size = np.broadcast_to(as_vector(unit, name="unit", labels=m.cols, length=x.shape[1])
                                   if np.ndim(unit) else np.float64(unit), (x.shape[1],))
            lumps = rng.poisson(np.broadcast_to(x / size, (n,) + x.shape)).astype(float)
            sample = lumps * size
        elif method == "poisson":
            sample = rng.poisson(np.broadcast_to(x, (n,) + x.shape)).astype(float)
        elif method == "multinomial":
            totals = x.sum(axis=1).astype(np.int64)
            probs = safe_divide(x, x.sum(axis=1, keepdims=True))
            sample = np.stack([rng.multinomial(totals, probs) for _ in range(n)]).astype(float)
        else:
            raise ValueError("method must be 'establishments', 'poisson' or 'multinomial'")
        if fixed is None:
            share = safe_divide(sample.sum(axis=-2, keepdims=True), sample.sum(axis=(-2, -1), keepdims=True))
        else:
            share = fixed / fixed.sum()
        rca = safe_divide(safe_divide(sample, sample.sum(axis=-1, keepdims=True)), share)
        hits += (rca >= threshold).sum(axis=0)
        done += n
    return m.like(hits / draws)


def lq_interval(x, region_total, reference_share, *, alpha: float = 0.1, unit: float = 1.0):
    r"""Confidence interval of location quotients for counts.

    The count :math:`x_{rp}` is treated as :math:`s` times a Poisson count of lumps
    (establishments of ``unit`` persons; ``unit=1`` for persons), with the exact
    (Garwood) interval of a Poisson mean; the LQ interval is that interval divided by
    the region's total and the reference share:

    .. math:: LQ^{lo,hi}_{rp} = \frac{s \, \mu^{lo,hi}(x_{rp}/s)}{T_r \; S_p}

    with :math:`\mu^{lo}(k) = \tfrac12\chi^2_{\alpha/2}(2k)`, :math:`\mu^{hi}(k) = \tfrac12\chi^2_{1-\alpha/2}(2k+2)`.
    Missing counts give missing bounds. A specialisation whose lower bound is at least 1
    is significant at level ``alpha`` (two-sided).

    Parameters
    ----------
    x : ndarray
        The counts :math:`x_{rp}` (NaN for missing ones).
    region_total : float or ndarray
        The region's total :math:`T_r` (broadcast against ``x``).
    reference_share : float or ndarray
        The activity's share of the reference :math:`S_p`.
    alpha : float, default 0.1
        1 − the confidence level (two-sided).
    unit : float, default 1.0
        Persons per lump :math:`s` (e.g. 7 for establishments).

    Returns
    -------
    tuple of ndarray
        ``(lower, upper)`` bounds of the LQ.

    References
    ----------
    Garwood, F. (1936). Fiducial limits for the Poisson distribution.
    Biometrika 28, 437-442; for LQs, O'Donoghue, D. & Gleave, B. (2004).
    A note on methods for measuring industrial agglomeration. Regional Studies 38(4),
    419-427.

    Examples
    --------
    14 persons in a region of 1 000 where the reference share is 0.4 %: LQ 3.5. As
    persons (``unit=1``) the 90 % interval stays above 1; as two establishments of
    seven it does not.

    >>> lo, hi = lq_interval(np.array([14.0]), 1000.0, np.array([0.004]))
    >>> float(lo[0].round(3)), float(hi[0].round(3))
    (2.116, 5.472)
    >>> lo, hi = lq_interval(np.array([14.0]), 1000.0, np.array([0.004]), unit=7.0)
    >>> bool(lo[0] < 1 < hi[0])
    True
    """
    x = np.asarray(x, dtype=float)
    k = x / unit
    with np.errstate(invalid="ignore"):  # ½χ²_q(2k) = P⁻¹(k, q), the inverse regularised gamma
        lo = np.where(k > 0, gammaincinv(np.maximum(k, 1e-300), alpha / 2), 0.0)
        hi = gammaincinv(k + 1, 1 - alpha / 2)
    scale = unit / (np.asarray(region_total, dtype=float) * np.asarray(reference_share, dtype=float))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isnan(x), np.nan, lo * scale), np.where(np.isnan(x), np.nan, hi * scale)
