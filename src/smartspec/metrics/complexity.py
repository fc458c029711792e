"""Economic complexity: ECI/PCI (eigenvector and method of reflections),
fitness-complexity, GENEPY, complexity outlook (COI/COG), subnational ECI.

Conventions:
* Presence ``M`` is binary (RCA ≥ 1). Regions with no specialisation (diversity 0)
  and activities present nowhere (ubiquity 0) are left out of the eigenproblem
  and get NaN, as in py-ecomplexity; everything else is computed on the rest.
* Sign: ECI correlates positively with diversity (ties: PCI correlates negatively with
  ubiquity, then ECI is positively skewed); the same sign is applied to PCI,
  so that a region's ECI is the mean PCI of its specialisations (py-ecomplexity,
  Stata). econcomplex signs PCI separately and fermi-cref forces a positive
  correlation of PCI with ubiquity, both of which can flip PCI.
* Normalisation ``"atlas"`` (default): ECI is z-scored (population sd, ddof 0) and
  PCI uses ECI's mean and sd, so ECI_r = mean(PCI_p : M_rp = 1). ``"zscore"``
  standardises each by its own mean and sd (econcomplex, R economiccomplexity,
  Datawheel; pass ddof=1 for R and pandas). ``None`` returns the raw vectors.
* A matrix whose regions fall into groups sharing no activity (a disconnected
  bipartite graph) has a second eigenvalue of 1: the eigenvector ECI then only
  labels the groups, with arbitrary values. ``eci_pci`` and ``complexity_suite``
  warn (:class:`ComplexityWarning`); compute complexity within each group.
* Which measure to report, and when none: ``smartspec.analysis.complexity`` and
  ``smartspec.metrics.complexity_diagnostics``.
"""

from __future__ import annotations

import warnings

import numpy as np

from smartspec.errors import InputError
from smartspec.metrics._input import as_matrix, as_vector, reciprocal, safe_divide
from smartspec.metrics.relatedness import _binary, _relatedness_array

DENSE_LIMIT = 400  # below this many activities/regions use dense eigh, above it eigsh
FITNESS_FLOOR = 1e-250  # fitness iterations stop before a score flowing to zero underflows


class ComplexityWarning(UserWarning):
    """A complexity result that the data do not determine (e.g. a disconnected matrix)."""


def components(M) -> np.ndarray:
    """Connected components of the bipartite region–activity graph of a binary matrix:
    a label 0, 1, … per region (-1 for regions without any specialisation). Two regions
    are in one component when a chain of shared activities links them.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1).

    Returns
    -------
    ndarray
        One component label per region, in ``M``'s row order.

    References
    ----------
    Mealy, P., Farmer, J. D. & Teytelboym, A. (2019). Interpreting economic
    complexity. Science Advances 5(1), eaau1705 (ECI as a spectral partition,
    which only separates disconnected groups).

    Examples
    --------
    Regions ``a`` and ``b`` share ``x``; ``c`` shares nothing with them; ``d`` has
    no specialisation:

    >>> from smartspec import metrics as mt
    >>> mt.components([[1, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0]])
    array([ 0,  0,  1, -1])
    """
    x = np.asarray(M, dtype=bool)
    label = np.full(x.shape[0], -1)
    todo = x.any(axis=1)
    k = 0
    while todo.any():
        reached = np.zeros(x.shape[0], dtype=bool)
        reached[np.flatnonzero(todo)[0]] = True
        while True:
            grown = x[:, x[reached].any(axis=0)].any(axis=1) | reached
            if grown.sum() == reached.sum():
                break
            reached = grown
        label[reached] = k
        todo &= ~reached
        k += 1
    return label


def _lanczos_second(S, top, steps: int = 80):
    """Second eigenvector of the symmetric PSD matrix ``S`` whose top eigenvector ``top`` is
    known, by Lanczos on the orthogonal complement with full reorthogonalisation. Returns
    None unless the Ritz pair's residual is below 1e-12 relative (the caller then uses eigh)."""
    n = S.shape[0]
    k = min(steps, n - 1)
    top = top / np.linalg.norm(top)
    Q = np.zeros((n, k + 1))
    q = np.cos(np.arange(n) * 1.618) + 1.0  # deterministic start
    q -= top * (top @ q)
    Q[:, 0] = q / np.linalg.norm(q)
    alpha, beta = np.zeros(k), np.zeros(k)
    for j in range(k):
        w = S @ Q[:, j]
        w -= top * (top @ w)
        alpha[j] = Q[:, j] @ w
        w -= Q[:, :j + 1] @ (Q[:, :j + 1].T @ w)  # full reorthogonalisation, twice
        w -= Q[:, :j + 1] @ (Q[:, :j + 1].T @ w)
        beta[j] = np.linalg.norm(w)
        if beta[j] < 1e-14 or (j % 8 == 7 and _ritz_converged(alpha[:j + 1], beta[:j + 1])):
            k = j + 1
            break
        Q[:, j + 1] = w / beta[j]
    T = np.diag(alpha[:k]) + np.diag(beta[:k - 1], 1) + np.diag(beta[:k - 1], -1)
    vals, vecs = np.linalg.eigh(T)
    x = Q[:, :k] @ vecs[:, -1]
    lam = vals[-1]
    if np.linalg.norm(S @ x - lam * x) > 1e-12 * max(1.0, abs(lam)) * np.sqrt(n):
        return None
    return x


def _ritz_converged(alpha, beta) -> bool:
    """Lanczos' residual estimate |β_j · y_j| of the top Ritz pair, well below the final check's tolerance."""
    n = len(alpha)
    T = np.diag(alpha) + np.diag(beta[:n - 1], 1) + np.diag(beta[:n - 1], -1)
    vals, vecs = np.linalg.eigh(T)
    return abs(beta[-1] * vecs[-1, -1]) < 1e-14 * max(1.0, abs(vals[-1]))


def _second_eigvec(S, top=None):
    """Eigenvector of the second-largest eigenvalue of a symmetric matrix (``top``: its
    known leading eigenvector, which allows a cheap Lanczos solve)."""
    n = S.shape[0]
    if n <= 2:
        raise InputError("complexity needs at least three regions and three activities with specialisations")
    if top is not None and n > 60:
        x = _lanczos_second(S, top)
        if x is not None:
            return x
    if n <= DENSE_LIMIT:
        vals, vecs = np.linalg.eigh(S)
        vals, vecs = vals[-2:], vecs[:, -2:]
    else:
        from scipy.sparse.linalg import (
            eigsh,  # lazy: ~200 ms at import; only for > DENSE_LIMIT activities
        )

        vals, vecs = eigsh(S, k=2, which="LA", v0=np.full(n, 1.0 / np.sqrt(n)))
    return vecs[:, np.argsort(vals)[0]]


def _eig_year(M):
    """Raw (kc, kp) for one year: kp the unit-norm eigenvector of M̃_pp (py-ecomplexity's
    scale), kc = D⁻¹ M kp, signed so that corr(diversity, kc) > 0. NaN for dropped rows/cols."""
    d, u = M.sum(axis=1), M.sum(axis=0)
    rows, cols = d > 0, u > 0
    Mv = M if rows.all() and cols.all() else M[np.ix_(rows, cols)]
    dv, uv = d[rows], u[cols]
    B = Mv * (1.0 / np.sqrt(dv))[:, None]
    B *= 1.0 / np.sqrt(uv)
    if Mv.shape[1] <= Mv.shape[0]:
        # activity side: S = U^-1/2 Mᵀ D^-1 M U^-1/2, kp = U^-1/2 w
        S = B.T @ B
        del B  # regions × activities: not needed for the eigenvector
        w = _second_eigvec(S, top=np.sqrt(uv))
        kp = w / np.sqrt(uv)
    else:
        # region side: S = D^-1/2 M U^-1 Mᵀ D^-1/2, kc = D^-1/2 v, kp ∝ U^-1 Mᵀ kc
        S = B @ B.T
        w = _second_eigvec(S, top=np.sqrt(dv))
        kp = (Mv.T @ (w / np.sqrt(dv))) / uv
    if (w @ (S @ w)) / (w @ w) > 1.0 - 1e-9:  # λ2 = 1: the graph falls apart
        _warn_disconnected(Mv)
    kp = kp / np.linalg.norm(kp)
    kc = (Mv @ kp) / dv
    if _sign(dv, uv, kc, kp) < 0:
        kc, kp = -kc, -kp
    eci = np.full(M.shape[0], np.nan)
    pci = np.full(M.shape[1], np.nan)
    eci[rows], pci[cols] = kc, kp
    return eci, pci


def _warn_disconnected(Mv):
    groups = int(components(Mv).max()) + 1
    what = (f"the regions fall into {groups} groups that share no activity (a disconnected matrix)" if groups > 1
            else "the regions are all but disconnected (second eigenvalue ≈ 1)")
    warnings.warn(f"{what}: the eigenvector ECI/PCI only separates the groups and its values are arbitrary; "
                  "compute complexity within each group", ComplexityWarning, stacklevel=4)


def _sign(d, u, kc, kp) -> float:
    """+1 if ECI correlates positively with diversity. Ties (equal diversities) fall back
    to PCI correlating negatively with ubiquity, then to a positive skew of ECI."""
    tol = 1e-12 * max(1.0, float(np.abs(kc).max()))
    for value in (np.dot(d - d.mean(), kc - kc.mean()), -np.dot(u - u.mean(), kp - kp.mean()),
                  np.sum((kc - kc.mean()) ** 3)):
        if abs(value) > tol:
            return float(np.sign(value))
    return 1.0


def _normalise(eci, pci, normalise, ddof):
    if normalise is None:
        return eci, pci
    mu, sd = np.nanmean(eci), np.nanstd(eci, ddof=ddof)
    if normalise == "atlas":
        return (eci - mu) / sd, (pci - mu) / sd
    if normalise == "zscore":
        return (eci - mu) / sd, (pci - np.nanmean(pci)) / np.nanstd(pci, ddof=ddof)
    raise ValueError("normalise must be 'atlas', 'zscore' or None")


def _per_year(m, func):
    """Apply func(2-D array) → (row vector, col vector) to a matrix or every year of a panel."""
    x = m.dense()
    if x.ndim == 2:
        return func(x)
    outs = [func(x[t]) for t in range(x.shape[0])]
    return np.stack([o[0] for o in outs]), np.stack([o[1] for o in outs])


def eci_pci(M, *, normalise: str | None = "atlas", ddof: int = 0):
    r"""Economic Complexity Index of regions and Product (activity) Complexity Index.

    PCI is the eigenvector of the second-largest eigenvalue of

    .. math:: \tilde M_{pp'} = \sum_r \frac{M_{rp} M_{rp'}}{d_r u_p}

    computed through its symmetric form :math:`U^{-1/2} M^\top D^{-1} M U^{-1/2}`
    (``eigh``/``eigsh``, two eigenvectors only), and ECI is
    :math:`ECI_r = \frac{1}{d_r}\sum_p M_{rp} PCI_p`. See the module docstring for
    the sign and normalisation conventions. Returns ``(eci, pci)``; for a panel,
    years × regions and years × activities.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1).
        Or a years × regions × activities panel of them.
    normalise : {'atlas', 'zscore'} or None, default 'atlas'
        The normalisation (module docstring); None returns the raw vectors.
    ddof : int, default 0
        Degrees of freedom of the sd (1 for R and pandas).

    Returns
    -------
    tuple
        ``(eci, pci)``: Series named ``eci`` and ``pci`` for labelled input, arrays
        otherwise; NaN for regions and activities left out.

    Raises
    ------
    InputError
        When ``M`` is not binary, or fewer than three regions and three activities
        have specialisations.
    ValueError
        When ``normalise`` is unknown.

    Warns
    -----
    ComplexityWarning
        When the regions fall into groups that share no activity.

    References
    ----------
    Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic
    complexity. PNAS 106(26), 10570-10575.
    Hausmann, R., Hidalgo, C. A. et al. (2014). The Atlas of Economic
    Complexity. MIT Press.

    Examples
    --------
    With the Atlas normalisation a region's ECI is the mean PCI of its
    specialisations: for ``e``, :math:`(PCI_v + PCI_z)/2 = (-0.276 - 3.525)/2 \approx -1.901`.
    On so small a matrix the eigenvector mainly sets ``e`` and the rare ``z`` apart,
    which is what :func:`~smartspec.metrics.complexity_diagnostics` is for.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0],
    ...                   [1, 0, 0, 0, 1]], index=list("abcde"), columns=list("vwxyz"))
    >>> eci, pci = mt.eci_pci(M)
    >>> pci.round(3)
    v   -0.276
    w    1.268
    x    1.246
    y    0.795
    z   -3.525
    Name: pci, dtype: float64
    >>> eci.round(3)
    a   -0.099
    b    0.758
    c    0.746
    d    0.496
    e   -1.901
    Name: eci, dtype: float64
    >>> bool(abs(eci["e"] - (pci["v"] + pci["z"]) / 2) < 1e-9)
    True
    """
    m = _binary(M)
    eci, pci = _per_year(m, lambda x: _normalise(*_eig_year(x), normalise, ddof))
    return m.vector(eci, "rows", "eci"), m.vector(pci, "cols", "pci")


def method_of_reflections(M, *, iterations: int = 18, standardise: bool = True, ddof: int = 0):
    r"""Method of reflections (Hidalgo & Hausmann 2009).

    .. math:: k_{r,N} = \frac{1}{k_{r,0}} \sum_p M_{rp} k_{p,N-1}, \qquad
              k_{p,N} = \frac{1}{k_{p,0}} \sum_r M_{rp} k_{r,N-1}

    with :math:`k_{r,0}` the diversity and :math:`k_{p,0}` the ubiquity. Returns
    :math:`(k_{r,N}, k_{p,N+1})` for ``iterations`` = N (even N: both point towards
    complexity), z-scored when ``standardise``. economic-complexity's
    ``complexity(iterations=20)`` returns N = 18 with ddof = 1.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1).
    iterations : int, default 18
        N, an even number.
    standardise : bool, default True
        z-score both results.
    ddof : int, default 0
        Degrees of freedom of the sd.

    Returns
    -------
    tuple
        ``(eci, pci)`` (Series named ``eci_reflections`` and ``pci_reflections``
        for labelled input).

    Raises
    ------
    ValueError
        When ``iterations`` is odd.
    InputError
        When ``M`` is not binary.

    References
    ----------
    Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic
    complexity. PNAS 106(26), 10570-10575.

    Examples
    --------
    After N = 0 the region side is the diversity, z-scored: (5, 4, 3, 2, 2) has
    mean 3.2 and sd 1.166, so ``a`` gets (5 − 3.2)/1.166 ≈ 1.543.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0],
    ...                   [1, 0, 0, 0, 1]], index=list("abcde"), columns=list("vwxyz"))
    >>> eci, pci = mt.method_of_reflections(M, iterations=0)
    >>> eci.round(3)
    a    1.543
    b    0.686
    c   -0.171
    d   -1.029
    e   -1.029
    Name: eci_reflections, dtype: float64
    >>> eci, pci = mt.method_of_reflections(M)
    >>> eci.round(3)
    a   -0.092
    b    0.765
    c    0.743
    d    0.486
    e   -1.902
    Name: eci_reflections, dtype: float64
    """
    m = _binary(M)

    def run(x):
        d, u = x.sum(axis=1), x.sum(axis=0)
        kc, kp = d.copy(), u.copy()
        for _ in range(iterations):
            kc, kp = safe_divide(x @ kp, d), safe_divide(x.T @ kc, u)
        kp = safe_divide(x.T @ kc, u)
        kc = np.where(d > 0, kc, np.nan)
        kp = np.where(u > 0, kp, np.nan)
        if standardise:
            kc = (kc - np.nanmean(kc)) / np.nanstd(kc, ddof=ddof)
            kp = (kp - np.nanmean(kp)) / np.nanstd(kp, ddof=ddof)
        return kc, kp

    if iterations % 2:
        raise ValueError("iterations must be even (odd steps point away from complexity)")
    kc, kp = _per_year(m, run)
    return m.vector(kc, "rows", "eci_reflections"), m.vector(kp, "cols", "pci_reflections")


def fitness_complexity(M, *, iterations: int = 200, tol: float = 1e-12, stable: int | None = None,
                       log: bool = False):
    r"""Fitness of regions and complexity of activities (Tacchella et al. 2012).

    .. math:: \tilde F_r^{(n)} = \sum_p M_{rp} Q_p^{(n-1)}, \qquad
              \tilde Q_p^{(n)} = \frac{1}{\sum_r M_{rp} / F_r^{(n-1)}}

    each normalised to mean 1 after every step (both updates use the previous
    step's values, as in the paper; econcomplex uses the new F). Stops after
    ``iterations``, when no score changes by more than ``tol``, or:

    * with ``stable`` = k, when the rankings of regions and of activities have not
      changed for k iterations. On matrices that are not nested enough, some scores
      flow to zero and only the rankings converge (Pugliese et al. 2016), so the
      ranking is the reading (Mariani et al. 2015);
    * when a score falls below ``FITNESS_FLOOR`` (1e-250): the iteration stops
      before it underflows to zero, which would divide by zero in the next step.
      Such scores stay positive, their order is the order of their decay.

    Regions without specialisations have fitness 0 and activities present nowhere
    get NaN. ``log=True`` returns the natural logarithms (log-fitness, the scale on
    which fitness is compared with log GDP per head, Tacchella et al. 2012;
    Cristelli, Tacchella & Pietronero 2015, PLoS ONE 10, e0117174); fitness 0
    then gives NaN.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1).
    iterations : int, default 200
        The most iterations.
    tol : float, default 1e-12
        Stop when no score changes by more than this.
    stable : int, optional
        Stop when the rankings have not changed for this many iterations.
    log : bool, default False
        Return natural logarithms.

    Returns
    -------
    tuple
        ``(fitness, complexity)`` (Series named ``fitness`` and ``complexity`` for
        labelled input).

    Raises
    ------
    InputError
        When ``M`` is not binary.

    References
    ----------
    Tacchella, A., Cristelli, M., Caldarelli, G., Gabrielli, A. &
    Pietronero, L. (2012). A new metrics for countries' fitness and products'
    complexity. Scientific Reports 2, 723. Mariani, M. S., Vidmer, A., Medo, M. &
    Zhang, Y.-C. (2015). Measuring economic complexity of countries and products:
    which metric to use? European Physical Journal B 88, 293. Pugliese, E.,
    Zaccaria, A. & Pietronero, L. (2016). On the convergence of the
    Fitness-Complexity algorithm. European Physical Journal ST 225, 1893-1911.

    Examples
    --------
    Fitness follows diversity on a nested matrix; the first step is diversity
    over its mean, (5, 4, 3, 2, 2)/3.2:

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0],
    ...                   [1, 0, 0, 0, 1]], index=list("abcde"), columns=list("vwxyz"))
    >>> fitness, complexity = mt.fitness_complexity(M, iterations=1)
    >>> fitness.round(4).tolist()
    [1.5625, 1.25, 0.9375, 0.625, 0.625]
    >>> fitness, complexity = mt.fitness_complexity(M, stable=20)
    >>> fitness.rank(ascending=False).tolist()
    [1.0, 2.0, 3.0, 5.0, 4.0]
    """
    m = _binary(M)

    def run(x):
        d, u = x.sum(axis=1), x.sum(axis=0)
        rows = d > 0
        xv = x[:, u > 0]
        f, q = np.ones(x.shape[0]), np.ones(xv.shape[1])
        rank_f = rank_q = None
        unchanged = 0
        for _ in range(iterations):
            f_new = xv @ q
            q_new = 1.0 / (xv.T @ safe_divide(1.0, f))
            f_new, q_new = f_new / f_new.mean(), q_new / q_new.mean()
            done = max(np.abs(f_new - f).max(), np.abs(q_new - q).max()) < tol
            f, q = f_new, q_new
            if done or min(f[rows].min(initial=np.inf), q.min(initial=np.inf)) < FITNESS_FLOOR:
                break
            if stable:
                rf, rq = np.argsort(f, kind="stable"), np.argsort(q, kind="stable")
                same = rank_f is not None and np.array_equal(rf, rank_f) and np.array_equal(rq, rank_q)
                unchanged = unchanged + 1 if same else 0
                rank_f, rank_q = rf, rq
                if unchanged >= stable:
                    break
        qa = np.full(x.shape[1], np.nan)
        qa[u > 0] = q
        if log:
            with np.errstate(divide="ignore"):
                f = np.where(rows, np.log(np.where(rows, f, 1.0)), np.nan)
            qa = np.log(qa)
        return f, qa

    f, q = _per_year(m, run)
    names = ("log_fitness", "log_complexity") if log else ("fitness", "complexity")
    return m.vector(f, "rows", names[0]), m.vector(q, "cols", names[1])


def genepy(M):
    r"""GENEPY, the GENEralised Economic comPlexitY index of regions and activities
    (Sciarra et al. 2020).

    With :math:`k_r = \sum_p M_{rp}` and :math:`k_p = \sum_r M_{rp} / k_r`,
    :math:`W_{rp} = M_{rp} / (k_r k_p)`; the region proximity is
    :math:`N = W W^\top` and the activity proximity :math:`G = W^\top W`, each with
    its diagonal set to 0. With :math:`X_1, X_2` the eigenvectors of the two
    eigenvalues :math:`\lambda_1, \lambda_2` of largest modulus,

    .. math:: GENEPY_r = \Big(\sum_{i=1}^{2} \lambda_i X_{r,i}^2\Big)^2
              + 2 \sum_{i=1}^{2} \lambda_i^2 X_{r,i}^2

    (activities alike with the eigenvectors of :math:`G`). The first eigenvector
    carries diversification (as fitness does), the second the ECI-like partition;
    squaring makes the index free of the eigenvectors' signs. Regions without
    specialisations and activities present nowhere get NaN. Ordering by modulus, the
    zero diagonal and the formula follow the authors' MATLAB function
    ``genepy_index.m`` (C. Sciarra, v1.0, June 2020).

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1).

    Returns
    -------
    tuple
        ``(regions, activities)`` GENEPY (Series named ``genepy`` for labelled input).

    Raises
    ------
    InputError
        When ``M`` is not binary, or fewer than three regions and three activities
        have specialisations.

    References
    ----------
    Sciarra, C., Chiarotti, G., Ridolfi, L. & Laio, F. (2020).
    Reconciling contrasting views on economic complexity. Nature Communications 11, 3352.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0],
    ...                   [1, 0, 0, 0, 1]], index=list("abcde"), columns=list("vwxyz"))
    >>> regions, activities = mt.genepy(M)
    >>> regions.round(4)
    a    0.4639
    b    0.3934
    c    0.1686
    d    0.0894
    e    0.1269
    Name: genepy, dtype: float64
    """
    m = _binary(M)

    def run(x):
        d, u = x.sum(axis=1), x.sum(axis=0)
        rows, cols = d > 0, u > 0
        xv = x[rows][:, cols]
        if xv.shape[0] < 3 or xv.shape[1] < 3:
            raise InputError("GENEPY needs at least three regions and three activities with specialisations")
        shares = xv / d[rows][:, None]
        W = shares / shares.sum(axis=0)[None, :]
        gr = np.full(x.shape[0], np.nan)
        ga = np.full(x.shape[1], np.nan)
        gr[rows], ga[cols] = _genepy_side(W @ W.T), _genepy_side(W.T @ W)
        return gr, ga

    gr, ga = _per_year(m, run)
    return m.vector(gr, "rows", "genepy"), m.vector(ga, "cols", "genepy")


def _genepy_side(P):
    np.fill_diagonal(P, 0.0)
    n = P.shape[0]
    if n > DENSE_LIMIT:
        from scipy.sparse.linalg import (
            eigsh,  # lazy, as in _second_eigvec: two eigenpairs, not all n
        )

        vals, vecs = eigsh(P, k=2, which="LM", v0=np.full(n, 1.0 / np.sqrt(n)))
    else:
        vals, vecs = np.linalg.eigh(P)
    top = np.argsort(-np.abs(vals), kind="stable")[:2]
    lam, X2 = vals[top], vecs[:, top] ** 2
    return (X2 @ lam) ** 2 + 2.0 * (X2 @ lam ** 2)


def complexity_outlook(M, phi, pci, *, convention: str = "atlas", eci_sd: float | None = None, density=None):
    r"""Complexity outlook index (COI) of regions and outlook gain (COG) of region-activity pairs.

    .. math:: COI_r = \sum_p \omega_{rp} (1 - M_{rp}) PCI_p

    .. math:: COG_{rp} = (1 - M_{rp}) \sum_q (1 - M_{rq}) \frac{\phi_{qp}}{\sum_k \phi_{qk}} PCI_q

    with :math:`\omega` the relatedness density under :math:`\phi` (diagonal kept).
    The Atlas book's extra term :math:`-(1-\omega_{rp})PCI_p` is left out, as in the
    Growth Lab's Stata and Python code.

    ``convention='atlas'`` (default) plugs in the normalised PCI and returns COI and
    COG as they are. ``convention='ecomplexity'`` reproduces py-ecomplexity: pass
    the raw unit-norm PCI (``eci_pci(normalise=None)``) and the sd of the raw ECI
    as ``eci_sd``; COI is then z-scored and COG divided by ``eci_sd``.
    ``density`` may pass a density already computed with the same ``phi``.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1).
    phi : DataFrame or ndarray
        Activities × activities proximity.
    pci : Series or ndarray
        Activity complexity (normalised for ``'atlas'``, raw for ``'ecomplexity'``).
    convention : {'atlas', 'ecomplexity'}, default 'atlas'
        See above.
    eci_sd : float, optional
        The sd of the raw ECI, required by ``'ecomplexity'``.
    density : DataFrame or ndarray, optional
        The relatedness density under ``phi``, if already computed.

    Returns
    -------
    tuple
        ``(coi, cog)``: one COI per region, one COG per region-activity pair (0 where
        present).

    Raises
    ------
    ValueError
        When ``convention`` is unknown, or ``'ecomplexity'`` lacks ``eci_sd``.

    References
    ----------
    Hausmann, R., Hidalgo, C. A. et al. (2014). The Atlas of Economic Complexity,
    ch. 2. MIT Press. Stata ``coicog.ado`` (Growth Lab).

    Examples
    --------
    Region ``a`` has everything, so it has nothing to gain: COI and COG 0.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0],
    ...                   [1, 0, 0, 0, 1]], index=list("abcde"), columns=list("vwxyz"))
    >>> eci, pci = mt.eci_pci(M)
    >>> coi, cog = mt.complexity_outlook(M, mt.proximity(M), pci)
    >>> coi.round(3)
    a    0.000
    b   -2.106
    c   -0.990
    d   -0.187
    e    0.984
    Name: coi, dtype: float64
    >>> cog.round(3)
         v      w      x      y      z
    a  0.0  0.000  0.000  0.000  0.000
    b  0.0  0.000  0.000  0.000 -1.420
    c  0.0  0.000  0.000 -0.451 -1.290
    d  0.0  0.000  0.071 -0.203 -1.166
    e  0.0  0.793  0.833  0.699  0.000
    """
    if convention not in ("atlas", "ecomplexity"):
        raise ValueError("convention must be 'atlas' or 'ecomplexity'")
    if convention == "ecomplexity" and eci_sd is None:
        raise ValueError("convention='ecomplexity' needs eci_sd (the sd of the raw ECI)")
    m = _binary(M)
    x = m.dense()
    p = _relatedness_array(phi, m)
    k = as_vector(pci, name="pci", labels=None if x.ndim == 3 else m.cols)
    if np.isnan(k).any():
        k = np.nan_to_num(k, nan=0.0)  # activities present nowhere add no outlook (documented)
    if density is not None:
        density = as_matrix(density, name="density").dense()
    lead = np.broadcast_shapes(x.shape[:-2], p.shape[:-2], k.shape[:-1],
                               () if density is None else density.shape[:-2])
    if not lead:
        coi, cog = _outlook_year(x, p, k, density)
    else:  # a panel, year by year: one year's temporaries at a time
        coi = np.empty(lead + x.shape[-2:-1])
        cog = np.empty(lead + x.shape[-2:])

        def year(a, t, nd):
            return a[t] if a is not None and a.ndim > nd else a

        for t in range(lead[0]):
            _outlook_year(year(x, t, 2), year(p, t, 2), year(k, t, 1), year(density, t, 2),
                          coi_out=coi[t], cog_out=cog[t])
    if convention == "ecomplexity":
        coi, cog = _outlook_ecomplexity(coi, cog, eci_sd)
    return m.vector(coi, "rows", "coi"), m.like(cog)


def _outlook_year(x, p, k, density=None, coi_out=None, cog_out=None):
    """COI and COG (Atlas form) of one year: binary ``x`` (regions × activities), checked
    relatedness ``p``, PCI ``k`` without NaN, and the density under ``p`` (None: computed)."""
    if density is None:
        density = safe_divide(x @ p, p.sum(axis=-2)[..., None, :])
    # COI = Σ_p ω (1 − M) k;  ω (1 − M) = ω − ω M exactly, as M is 0/1 (one temporary, not two)
    absent_density = density * x
    np.subtract(density, absent_density, out=absent_density)
    coi = absent_density @ k[..., :, None]
    del absent_density
    if coi_out is None:
        coi_out = coi[..., 0]
    else:
        coi_out[...] = coi[..., 0]
    # with a_q = k_q / Σ_k φ_qk:  (1 − M) @ diag(a) φ = aᵀφ − (M ∘ a) @ φ, then masked by (1 − M)
    a = reciprocal(p.sum(axis=-1)) * k
    xa = x * a[..., None, :]
    cog = np.matmul(xa, p, out=cog_out)
    del xa
    np.subtract((a[..., None, :] @ p), cog, out=cog)
    cog[x != 0] = 0.0  # the mask (1 − M), without a float temporary
    return coi_out, cog


def _outlook_ecomplexity(coi, cog, eci_sd):
    """py-ecomplexity's scaling of COI (z-scored) and COG (over the sd of the raw ECI); ``cog`` in place."""
    sd = np.asarray(eci_sd, dtype=float)
    coi = (coi - coi.mean(axis=-1, keepdims=True)) / coi.std(axis=-1, keepdims=True)
    cog /= sd[..., None, None] if sd.ndim else sd
    return coi, cog


def subnational_eci(M, pci_external, *, standardise: bool = False, ddof: int = 0):
    r"""ECI of regions from activity complexity computed elsewhere (the "external" or
    subnational method): :math:`ECI_r = \frac{1}{d_r}\sum_p M_{rp} PCI^{ext}_p`,
    the mean external PCI of the region's specialisations. Use it to rank a Swedish
    region with PCI computed across all European regions.

    Activities of ``M`` missing from ``pci_external`` raise an error; regions with no
    specialisation get NaN. ``standardise`` z-scores the result across the regions given.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1).
    pci_external : Series or ndarray
        Activity complexity computed on another matrix (by label, or in ``M``'s
        column order).
    standardise : bool, default False
        z-score across the regions given.
    ddof : int, default 0
        Degrees of freedom of the sd.

    Returns
    -------
    Series or ndarray
        One ECI per region (NaN without specialisations).

    Raises
    ------
    InputError
        When ``pci_external`` lacks some of ``M``'s activities.

    References
    ----------
    Gao, J. & Zhou, T. (2018). Quantifying China's regional economic
    complexity. Physica A 492, 1591-1603; economic-complexity's ``complexity_subnational``.

    Examples
    --------
    Region ``b`` is specialised in ``x`` and ``z``: (1.0 + 2.0)/2 = 1.5.

    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 0], [1, 0, 1], [0, 0, 0]], index=list("abc"), columns=list("xyz"))
    >>> mt.subnational_eci(M, pd.Series({"x": 1.0, "y": -1.0, "z": 2.0}))
    a    0.0
    b    1.5
    c    NaN
    Name: eci_subnational, dtype: float64
    """
    m = _binary(M)
    x = m.dense()
    k = as_vector(pci_external, name="pci_external", labels=m.cols, length=x.shape[-1])
    if np.isnan(k).any():
        raise InputError("pci_external has missing values for some activities")
    d = x.sum(axis=-1)
    eci = np.where(d > 0, safe_divide(x @ k, d), np.nan)
    if standardise:
        eci = (eci - np.nanmean(eci, axis=-1, keepdims=True)) / np.nanstd(eci, axis=-1, ddof=ddof, keepdims=True)
    return m.vector(eci, "rows", "eci_subnational")


def diversity_ubiquity(M):
    r"""Diversity (number of specialisations per region) and ubiquity (regions per activity).

    :math:`d_r = \sum_p M_{rp}`, :math:`u_p = \sum_r M_{rp}`.

    Parameters
    ----------
    M : DataFrame, ndarray or scipy.sparse matrix
        Binary regions × activities presence (1 where RCA ≥ 1).

    Returns
    -------
    tuple
        ``(diversity, ubiquity)`` (Series named ``diversity`` and ``ubiquity`` for
        labelled input).

    References
    ----------
    Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic
    complexity. PNAS 106(26), 10570-10575.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> M = pd.DataFrame([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0],
    ...                   [1, 0, 0, 0, 1]], index=list("abcde"), columns=list("vwxyz"))
    >>> diversity, ubiquity = mt.diversity_ubiquity(M)
    >>> diversity.tolist(), ubiquity.tolist()
    ([5.0, 4.0, 3.0, 2.0, 2.0], [5.0, 4.0, 3.0, 2.0, 2.0])
    """
    m = _binary(M)
    x = m.dense()
    return m.vector(x.sum(axis=-1), "rows", "diversity"), m.vector(x.sum(axis=-2), "cols", "ubiquity")
