"""Change over time: growth rates, shift-share decompositions, entries and exits of specialisations."""

from __future__ import annotations

import numpy as np

from smartspec.metrics._input import as_matrix, as_vector, pd, safe_divide


def growth(X0, X1, *, years: float = 1.0, kind: str = "relative", missing="raise"):
    r"""Growth between two matrices of the same shape.

    * ``relative``: :math:`(X_1 - X_0)/X_0`
    * ``log``: :math:`\ln X_1 - \ln X_0`
    * ``cagr``: :math:`(X_1/X_0)^{1/years} - 1`

    Cells with :math:`X_0 = 0` have no defined growth and are NaN (they are entries,
    see :func:`entries_exits`); missing inputs stay missing.

    Parameters
    ----------
    X0, X1 : DataFrame or ndarray
        The counts at the start and at the end, of the same shape.
    years : float, default 1.0
        The length of the period, for ``kind='cagr'``.
    kind : {'relative', 'log', 'cagr'}, default 'relative'
        The growth rate (see above).
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` keeps them
        missing in the result; ``'zero'`` treats them as zero, as an explicit choice.

    Returns
    -------
    DataFrame or ndarray
        The growth of each cell, of the input's kind.

    Raises
    ------
    ValueError
        When ``X0`` and ``X1`` differ in shape, or ``kind`` is unknown.
    InputError
        For negative or infinite counts, or missing cells with ``missing='raise'``.

    Examples
    --------
    From 100 to 121 over two years: +21 %, or 10 % a year.

    >>> from smartspec import metrics as mt
    >>> mt.growth([[100, 50]], [[121, 0]])
    array([[ 0.21, -1.  ]])
    >>> mt.growth([[100, 50]], [[121, 0]], kind="cagr", years=2).round(4)
    array([[ 0.1, -1. ]])
    >>> mt.growth([[0, 50]], [[10, 50]])
    array([[nan,  0.]])
    """
    m0, m1 = as_matrix(X0, name="X0", missing=missing, allow_sparse=False), as_matrix(X1, name="X1", missing=missing, allow_sparse=False)
    if m0.values.shape != m1.values.shape:
        raise ValueError(f"X0 and X1 differ in shape: {m0.values.shape} vs {m1.values.shape}")
    a, b = m0.values, m1.values
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "relative":
            g = (b - a) / a
        elif kind == "log":
            g = np.log(b) - np.log(a)
        elif kind == "cagr":
            g = (b / a) ** (1.0 / years) - 1.0
        else:
            raise ValueError("kind must be 'relative', 'log' or 'cagr'")
    g = np.where(a > 0, g, np.nan)
    return m0.like(g) if np.ndim(g) > 1 else g


def shift_share(E0, E1, *, reference0=None, reference1=None, method: str = "classic", missing="raise"):
    r"""Shift-share decomposition of employment change by region and activity.

    With regional employment :math:`E^0_{rp}, E^1_{rp}`, reference (national) growth
    :math:`g = N^1/N^0 - 1`, activity growth :math:`g_p = N^1_p/N^0_p - 1` and regional
    activity growth :math:`r_{rp} = E^1_{rp}/E^0_{rp} - 1`:

    * national share :math:`NS = E^0 g`
    * industry mix :math:`IM = E^0 (g_p - g)`
    * competitive effect :math:`CE = E^0 (r_{rp} - g_p) = (E^1 - E^0) - E^0 g_p`

    and :math:`NS + IM + CE = E^1 - E^0`. The reference totals are the column sums
    of ``E0``/``E1`` unless ``reference0``/``reference1`` (activity totals) are given.

    ``method='esteban-marquillas'`` splits CE with homothetic employment
    :math:`\hat E_{rp} = E^0_r N^0_p / N^0` into a homothetic competitive effect
    :math:`\hat E (r_{rp} - g_p)` and an allocation effect :math:`(E^0 - \hat E)(r_{rp} - g_p)`.

    Returns a DataFrame in long form (region, activity and one column per effect)
    for labelled input, else a dict of arrays.

    Parameters
    ----------
    E0, E1 : DataFrame or ndarray
        Regions × activities employment at the start and at the end.
    reference0, reference1 : vector, optional
        The reference (e.g. national) activity totals :math:`N^0_p, N^1_p`.
    method : {'classic', 'esteban-marquillas'}, default 'classic'
        Also split CE into homothetic and allocation effects.
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` keeps them
        missing in the result; ``'zero'`` treats them as zero, as an explicit choice.

    Returns
    -------
    DataFrame or dict of ndarray
        Columns ``region``, ``activity``, ``national_share``, ``industry_mix``,
        ``competitive`` (and, for Esteban-Marquillas, ``homothetic_competitive``,
        ``allocation``) for labelled input; the same keys as arrays otherwise.

    Raises
    ------
    ValueError
        When ``E0`` and ``E1`` differ in shape, or ``method`` is unknown.
    InputError
        For negative or infinite counts, or missing cells with ``missing='raise'``.

    References
    ----------
    Dunn, E. S. (1960). A statistical and analytical technique for
    regional analysis. Papers of the Regional Science Association 6, 97-112.
    Esteban-Marquillas, J. M. (1972). A reinterpretation of shift-share analysis.
    Regional and Urban Economics 2(3), 249-255.

    Examples
    --------
    The reference grows by 10 % (200 → 220), activity ``x`` by 20 %, ``y`` by 0 %.
    Region ``a``'s ``x`` (50 → 70): NS = 50 · 0.1 = 5, IM = 50 · (0.2 − 0.1) = 5,
    CE = 20 − 50 · 0.2 = 10; the three add up to the change, 20.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> E0 = pd.DataFrame({"x": [50, 50], "y": [60, 40]}, index=["a", "b"])
    >>> E1 = pd.DataFrame({"x": [70, 50], "y": [50, 50]}, index=["a", "b"])
    >>> mt.shift_share(E0, E1)
      region activity  change  national_share  industry_mix  competitive
    0      a        x    20.0             5.0           5.0         10.0
    1      a        y   -10.0             6.0          -6.0        -10.0
    2      b        x     0.0             5.0           5.0        -10.0
    3      b        y    10.0             4.0          -4.0         10.0
    """
    m0 = as_matrix(E0, name="E0", missing=missing, allow_sparse=False, allow_panel=False)
    m1 = as_matrix(E1, name="E1", missing=missing, allow_sparse=False, allow_panel=False)
    if m0.values.shape != m1.values.shape:
        raise ValueError(f"E0 and E1 differ in shape: {m0.values.shape} vs {m1.values.shape}")
    effects = _shift_share_arrays(m0.values, m1.values, _ref(reference0, m0), _ref(reference1, m1), method)
    return _shift_share_out(effects, m0)


def _ref(reference, m):
    if reference is None:
        return np.nansum(m.values, axis=0)
    return as_vector(reference, name="reference", labels=m.cols, length=m.values.shape[1])


def _shift_share_arrays(e0, e1, n0, n1, method):
    g = n1.sum() / n0.sum() - 1.0
    gp = safe_divide(n1, n0) - np.where(n0 > 0, 1.0, 0.0)
    out = {"change": e1 - e0, "national_share": e0 * g, "industry_mix": e0 * (gp - g),
           "competitive": (e1 - e0) - e0 * gp}
    if method == "esteban-marquillas":
        r = safe_divide(e1, e0) - np.where(e0 > 0, 1.0, 0.0)
        homothetic = e0.sum(axis=1, keepdims=True) * (n0 / n0.sum())[None, :]
        out["homothetic_competitive"] = homothetic * (r - gp)
        out["allocation"] = (e0 - homothetic) * (r - gp)
        # E0 = 0 cells: all change is competitive and is attributed to the homothetic part
        out["homothetic_competitive"] = np.where(e0 > 0, out["homothetic_competitive"], out["competitive"])
        out["allocation"] = np.where(e0 > 0, out["allocation"], 0.0)
    elif method != "classic":
        raise ValueError("method must be 'classic' or 'esteban-marquillas'")
    return out


def _shift_share_out(effects, m):
    if m.kind != "frame":
        return effects
    index = pd.MultiIndex.from_product([m.rows, m.cols], names=["region", "activity"])
    return pd.DataFrame({k: v.ravel() for k, v in effects.items()}, index=index).reset_index()


def dynamic_shift_share(panel, *, reference=None, method: str = "classic", missing="raise"):
    r"""Dynamic shift-share (Barff & Knight 1988): the classic (or Esteban-Marquillas)
    decomposition applied to each pair of consecutive years and summed, so that
    changes in the industry mix during the period are taken into account.

    ``panel`` is a years × regions × activities array or a (year, region)-indexed
    frame; ``reference`` optionally gives years × activities reference totals.

    Parameters
    ----------
    panel : ndarray or DataFrame
        Years × regions × activities employment.
    reference : array_like, optional
        Years × activities reference totals.
    method : {'classic', 'esteban-marquillas'}, default 'classic'
        The decomposition applied to each pair of years.
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` keeps them
        missing in the result; ``'zero'`` treats them as zero, as an explicit choice.

    Returns
    -------
    DataFrame or dict of ndarray
        The effects summed over the consecutive pairs, as :func:`shift_share`.

    Raises
    ------
    ValueError
        When ``panel`` is not a panel, or ``method`` is unknown.
    InputError
        For negative or infinite counts, or missing cells with ``missing='raise'``.

    References
    ----------
    Barff, R. A. & Knight, P. L. (1988). Dynamic shift-share analysis.
    Growth and Change 19(2), 1-10.

    Examples
    --------
    Two steps of the example of :func:`shift_share`; the effects of each step add up,
    and their sum is still the whole change:

    >>> import numpy as np
    >>> from smartspec import metrics as mt
    >>> panel = np.array([[[50, 60], [50, 40]], [[60, 55], [50, 45]], [[70, 50], [50, 50]]])
    >>> effects = mt.dynamic_shift_share(panel)
    >>> {k: v.round(2).tolist() for k, v in effects.items()}
    {'change': [[20.0, -10.0], [0.0, 10.0]], 'national_share': [[5.36, 5.62], [4.88, 4.14]], 'industry_mix': [[5.1, -5.62], [4.66, -4.14]], 'competitive': [[9.55, -10.0], [-9.55, 10.0]]}
    >>> parts = effects["national_share"] + effects["industry_mix"] + effects["competitive"]
    >>> bool(np.allclose(parts, effects["change"]))
    True
    """
    m = as_matrix(panel, name="panel", missing=missing, allow_sparse=False)
    if not m.is_panel:
        raise ValueError("dynamic_shift_share needs a years × regions × activities panel")
    x = m.values
    ref = np.nansum(x, axis=1) if reference is None else np.asarray(reference, dtype=float)
    total = None
    for t in range(x.shape[0] - 1):
        step = _shift_share_arrays(x[t], x[t + 1], ref[t], ref[t + 1], method)
        total = step if total is None else {k: total[k] + step[k] for k in total}
    return _shift_share_out(total, type(m)(m.values[0], m.rows, m.cols, kind="frame" if m.rows is not None else "array"))


def entries_exits(rca_panel, *, threshold: float = 1.0, lower: float | None = None, window: int = 1,
                  missing="raise"):
    r"""Entries and exits of specialisations between year t and year t + ``window``.

    Entry: :math:`RCA_t <` ``lower`` and :math:`RCA_{t+w} \ge` ``threshold``.
    Exit: :math:`RCA_t \ge` ``threshold`` and :math:`RCA_{t+w} <` ``lower``.
    ``lower`` defaults to ``threshold``; a band such as ``lower=0.5, threshold=1``
    ignores flickering around 1 (Neffke, Henning & Boschma 2011).

    Returns ``(entries, exits)``: arrays of shape (years − window) × regions ×
    activities with 1/0, NaN where either year is missing.

    Parameters
    ----------
    rca_panel : ndarray or DataFrame
        Years × regions × activities RCA (or LQ) values.
    threshold : float, default 1.0
        The RCA a specialisation needs.
    lower : float, optional
        The RCA below which there is none (default ``threshold``).
    window : int, default 1
        Years between the compared pair.
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing (NaN) cells: ``'raise'`` names the first one; ``'ignore'`` keeps them
        missing in the result; ``'zero'`` treats them as zero, as an explicit choice.

    Returns
    -------
    tuple of ndarray
        ``(entries, exits)``, each (years − window) × regions × activities.

    Raises
    ------
    ValueError
        When ``rca_panel`` is not a panel.

    References
    ----------
    Neffke, F., Henning, M. & Boschma, R. (2011). How do regions
    diversify over time? Economic Geography 87(3), 237-265.

    Examples
    --------
    One region, three activities over two years: the first enters (0.4 → 1.2),
    the second exits (1.5 → 0.3), the third flickers (0.9 → 1.1), which the band
    ``lower=0.5`` does not count as an entry.

    >>> import numpy as np
    >>> from smartspec import metrics as mt
    >>> rca = np.array([[[0.4, 1.5, 0.9]], [[1.2, 0.3, 1.1]]])
    >>> entries, exits = mt.entries_exits(rca)
    >>> entries.tolist(), exits.tolist()
    ([[[1.0, 0.0, 1.0]]], [[[0.0, 1.0, 0.0]]])
    >>> entries, exits = mt.entries_exits(rca, lower=0.5)
    >>> entries.tolist(), exits.tolist()
    ([[[1.0, 0.0, 0.0]]], [[[0.0, 1.0, 0.0]]])
    """
    m = as_matrix(rca_panel, name="rca_panel", missing=missing, allow_sparse=False)
    if not m.is_panel:
        raise ValueError("entries_exits needs a years × regions × activities panel of RCA values")
    lower = threshold if lower is None else lower
    a, b = m.values[:-window], m.values[window:]
    unknown = np.isnan(a) | np.isnan(b)
    entries = np.where(unknown, np.nan, ((a < lower) & (b >= threshold)).astype(float))
    exits = np.where(unknown, np.nan, ((a >= threshold) & (b < lower)).astype(float))
    if m.kind == "panel":
        sub = type(m)(entries, m.rows, m.cols, years=m.years[window:], kind="panel")
        return sub.like(entries), sub.like(exits)
    return entries, exits
