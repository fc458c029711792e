"""The full complexity suite in one call, for every year of a panel at once."""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from smartspec.metrics._input import Matrix, as_matrix
from smartspec.metrics.complexity import (
    _eig_year,
    _normalise,
    _outlook_ecomplexity,
    _outlook_year,
)
from smartspec.metrics.relatedness import _density, _proximity_year
from smartspec.metrics.specialisation import location_quotient
from smartspec.optional import thread_limits


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def iter_complexity_suite(X, *, threshold: float = 1.0, convention: str = "atlas", threads: int | None = None,
                          missing: str = "raise"):
    """The suite of :func:`complexity_suite` year by year: yields one dict per year of the
    panel, in year order, with that year's arrays (regions × activities, activities²,
    vectors). Memory is the panel plus the results of the years in flight (one per thread),
    whatever the number of years — for panels whose every-year outputs would not fit.

    Parameters
    ----------
    X : ndarray or DataFrame
        Years × regions × activities counts (a 2-D matrix is one year).
    threshold : float, default 1.0
        The RCA of presence.
    convention : {'atlas', 'ecomplexity'}, default 'atlas'
        As :func:`complexity_suite`.
    threads : int, optional
        Cap on the cores used (None: all available).
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing cells, as :func:`~smartspec.metrics.location_quotient`.

    Yields
    ------
    dict
        One year's ``rca``, ``M``, ``diversity``, ``ubiquity``, ``proximity``,
        ``density``, ``eci``, ``pci``, ``coi``, ``cog`` (numpy arrays).

    Raises
    ------
    ValueError
        When ``convention`` is unknown.

    References
    ----------
    Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic
    complexity. PNAS 106(26), 10570-10575; Hausmann, R., Hidalgo, C. A. et al.
    (2014). The Atlas of Economic Complexity. MIT Press.

    Examples
    --------
    >>> x = np.array([[[5, 5, 0, 0], [5, 0, 0, 0], [0, 0, 5, 5], [0, 0, 0, 5.0]]] * 3)
    >>> [float(year["diversity"].sum()) for year in iter_complexity_suite(x)]
    [6.0, 6.0, 6.0]
    """
    m = as_matrix(X, missing=missing, allow_sparse=False, copy=False)  # only read: no copy of the panel
    yield from _years(m.values if m.values.ndim == 3 else m.values[None], threshold, convention, threads)


def _years(x, threshold: float, convention: str, threads: int | None, out: dict | None = None):
    """Each year's results, in year order, computed in parallel; into ``out``'s year slices
    when given (then nothing else is allocated per year but temporaries)."""
    if convention not in ("atlas", "ecomplexity"):
        raise ValueError("convention must be 'atlas' or 'ecomplexity'")
    workers = max(1, min(x.shape[0], threads or _cores()))
    # years run in parallel, each on one BLAS thread (the eigenproblems are Python-bound: measured
    # several times faster on one thread than on two; BLAS releases the GIL); at most one year
    # per thread waits to be taken
    with thread_limits(1), ThreadPoolExecutor(max_workers=workers) as pool:
        pending = deque()
        for t in range(x.shape[0]):
            views = None if out is None else {k: v[t] for k, v in out.items()}
            pending.append(pool.submit(_year, x[t], threshold, convention, views))
            if len(pending) >= workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _year(x, threshold: float, convention: str, out: dict | None = None) -> dict:
    """The suite of one year's regions × activities array, into ``out`` (or new arrays)."""
    R, A = x.shape
    out = out if out is not None else _allocate((), R, A)
    out["rca"][...] = location_quotient(Matrix(x))  # validated by the caller: no second pass
    M = np.greater_equal(out["rca"], threshold, out=out["M"])  # 0/1 float64, no boolean temporary
    _proximity_year(M, out=out["proximity"])
    _density(M, out["proximity"], out=out["density"])
    eci_raw, pci_raw = _eig_year(M)
    out["eci"][...], out["pci"][...] = _normalise(eci_raw, pci_raw, "atlas", 0)
    k = np.nan_to_num(pci_raw if convention == "ecomplexity" else out["pci"], nan=0.0)
    _outlook_year(M, out["proximity"], k, out["density"], coi_out=out["coi"], cog_out=out["cog"])
    if convention == "ecomplexity":
        out["coi"][...], _ = _outlook_ecomplexity(out["coi"], out["cog"], np.nanstd(eci_raw))
    out["diversity"][...], out["ubiquity"][...] = M.sum(axis=-1), M.sum(axis=-2)
    return out


def _allocate(years: tuple, R: int, A: int) -> dict:
    """Empty outputs for ``years`` (``()`` for one year, ``(T,)`` for a panel)."""
    shapes = {"rca": (R, A), "M": (R, A), "diversity": (R,), "ubiquity": (A,), "proximity": (A, A),
              "density": (R, A), "eci": (R,), "pci": (A,), "coi": (R,), "cog": (R, A)}
    return {k: np.empty(years + shape) for k, shape in shapes.items()}


def complexity_suite(X, *, threshold: float = 1.0, convention: str = "atlas", threads: int | None = None,
                     missing: str = "raise") -> dict:
    """RCA, presence M, diversity, ubiquity, proximity, density, ECI, PCI, COI and COG.

    ``X`` is regions × activities or years × regions × activities (arrays or a
    (year, region)-indexed frame). ``convention`` is ``atlas`` (default: normalised
    PCI in COI/COG) or ``ecomplexity`` (reproduces py-ecomplexity's output, see
    :func:`smartspec.metrics.complexity_outlook`). ``threads`` caps the cores used
    (None: all available): the years of a panel are computed in parallel, each on
    one BLAS thread. Returns plain numpy arrays (years first for panels) in a dict.

    Memory is the panel, the outputs (four years × regions × activities arrays of
    float64 and the years' proximities) and the years in flight: the outputs are
    allocated once and filled as the years come from :func:`iter_complexity_suite`,
    which computes them; use that one directly when every year's outputs need not be
    held at once.

    Parameters
    ----------
    X : ndarray or DataFrame
        Regions × activities counts, or a years × regions × activities panel.
    threshold : float, default 1.0
        The RCA of presence.
    convention : {'atlas', 'ecomplexity'}, default 'atlas'
        Normalised PCI in COI/COG, or py-ecomplexity's output.
    threads : int, optional
        Cap on the cores used (None: all available).
    missing : {'raise', 'ignore', 'zero'}, default 'raise'
        Missing cells, as :func:`~smartspec.metrics.location_quotient`.

    Returns
    -------
    dict
        ``rca``, ``M``, ``diversity``, ``ubiquity``, ``proximity``, ``density``,
        ``eci``, ``pci``, ``coi``, ``cog`` as numpy arrays (years first for panels).

    Raises
    ------
    ValueError
        When ``convention`` is unknown.
    InputError
        For negative or infinite counts, or missing cells with ``missing='raise'``.

    References
    ----------
    Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic
    complexity. PNAS 106(26), 10570-10575; Hausmann, R., Hidalgo, C. A. et al.
    (2014). The Atlas of Economic Complexity. MIT Press.

    Examples
    --------
    >>> out = complexity_suite(np.array([[5, 5, 0, 0], [5, 0, 0, 0], [0, 0, 5, 5], [0, 0, 0, 5.0]]))
    >>> out["diversity"].tolist(), out["ubiquity"].tolist()
    ([2.0, 1.0, 2.0, 1.0], [2.0, 1.0, 1.0, 2.0])
    """
    m = as_matrix(X, missing=missing, allow_sparse=False, copy=False)
    x = m.values if m.values.ndim == 3 else m.values[None]
    out = _allocate((x.shape[0],), x.shape[1], x.shape[2])  # allocated once, filled year by year
    for _ in _years(x, threshold, convention, threads, out):
        pass
    return out if m.values.ndim == 3 else {k: v[0] for k, v in out.items()}
