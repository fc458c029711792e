"""The full complexity suite in one call, for every year of a panel at once."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from smartspec.optional import thread_limits

from smartspec.metrics._input import Matrix, as_matrix
from smartspec.metrics.complexity import (
    _eig_year,
    _normalise,
    _outlook_ecomplexity,
    _outlook_year,
)
from smartspec.metrics.relatedness import _density, _proximity_year
from smartspec.metrics.specialisation import location_quotient


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def complexity_suite(X, *, threshold: float = 1.0, convention: str = "atlas", threads: int | None = None,
                     missing: str = "raise") -> dict:
    """RCA, presence M, diversity, ubiquity, proximity, density, ECI, PCI, COI and COG.

    ``X`` is regions × activities or years × regions × activities (arrays or a
    (year, region)-indexed frame). ``convention`` is ``atlas`` (default: normalised
    PCI in COI/COG) or ``ecomplexity`` (reproduces py-ecomplexity's output, see
    :func:`smartspec.metrics.complexity_outlook`). ``threads`` caps the cores used
    (None: all available): the years of a panel are computed in parallel, each on
    one BLAS thread (the eigenproblems were measured several times faster on one
    thread than on two). Outputs are allocated once and filled year by year, so
    memory is the outputs plus a few years' temporaries.
    Returns plain numpy arrays (years first for panels) in a dict.
    """
    m = as_matrix(X, missing=missing, allow_sparse=False, copy=False)  # only read: no copy of the panel
    x = m.values if m.values.ndim == 3 else m.values[None]
    T, R, A = x.shape
    # Memory: the outputs (years × regions × activities and years × activities² arrays) are
    # allocated once and filled year by year, so temporaries never exceed a few years' matrices.
    rca, M, density, cog = (np.empty((T, R, A)) for _ in range(4))
    phi = np.empty((T, A, A))
    eci, pci, coi = np.empty((T, R)), np.empty((T, A)), np.empty((T, R))
    sd = np.empty(T)

    def year(t):
        rca[t] = location_quotient(Matrix(x[t]))  # validated above: no second pass
        Mt = np.greater_equal(rca[t], threshold, out=M[t])  # 0/1 float64, no boolean temporary
        _proximity_year(Mt, out=phi[t])
        _density(Mt, phi[t], out=density[t])
        eci_raw, pci_raw = _eig_year(Mt)
        sd[t] = np.nanstd(eci_raw)
        eci[t], pci[t] = _normalise(eci_raw, pci_raw, "atlas", 0)
        k = np.nan_to_num(pci_raw if convention == "ecomplexity" else pci[t], nan=0.0)
        _outlook_year(Mt, phi[t], k, density[t], coi_out=coi[t], cog_out=cog[t])

    if convention not in ("atlas", "ecomplexity"):
        raise ValueError("convention must be 'atlas' or 'ecomplexity'")
    # years run in parallel, each on one BLAS thread (the eigenproblems are Python-bound: measured
    # several times faster on one thread than on two; BLAS releases the GIL)
    workers = max(1, min(T, threads or _cores()))
    with thread_limits(1):
        if workers == 1:
            for t in range(T):
                year(t)
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for done in [pool.submit(year, t) for t in range(T)]:
                    done.result()
    if convention == "ecomplexity":
        coi, cog = _outlook_ecomplexity(coi, cog, sd)
    out = {"rca": rca, "M": M, "diversity": M.sum(axis=-1), "ubiquity": M.sum(axis=-2), "proximity": phi,
           "density": density, "eci": eci, "pci": pci, "coi": coi, "cog": cog}
    if m.values.ndim == 2:
        out = {k: v[0] for k, v in out.items()}
    return out
