"""The full complexity suite in one call, for every year of a panel at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from smartspec.metrics._input import Matrix, as_matrix
from smartspec.metrics.complexity import (
    _eig_year,
    _normalise,
    _outlook_ecomplexity,
    _outlook_year,
)
from smartspec.metrics.relatedness import _density, _proximity_year
from smartspec.metrics.specialisation import location_quotient


def complexity_suite(X, *, threshold: float = 1.0, convention: str = "atlas", threads: int | None = None,
                     missing: str = "raise") -> dict:
    """RCA, presence M, diversity, ubiquity, proximity, density, ECI, PCI, COI and COG.

    ``X`` is regions × activities or years × regions × activities (arrays or a
    (year, region)-indexed frame). ``convention`` is ``atlas`` (default: normalised
    PCI in COI/COG) or ``ecomplexity`` (reproduces py-ecomplexity's output, see
    :func:`smartspec.metrics.complexity_outlook`). ``threads`` caps BLAS threads
    for the matrix products (None leaves OpenBLAS's default); the eigenproblems
    always run on one thread, measured several times faster here than on two.
    Returns plain numpy arrays (years first for panels) in a dict.
    """
    m = as_matrix(X, missing=missing, allow_sparse=False, copy=False)  # only read: no copy of the panel
    x = m.values if m.values.ndim == 3 else m.values[None]
    T, R, A = x.shape
    # Memory: the outputs (five years × regions × activities or activities² arrays) are allocated
    # once and filled year by year, so temporaries never exceed one year's matrices.
    with threadpool_limits(limits=threads):
        rca = location_quotient(Matrix(x))  # validated above: no second pass
        M = np.greater_equal(rca, threshold, out=np.empty_like(rca))  # 0/1 float64, no boolean temporary
        phi = np.empty((T, A, A))
        density = np.empty_like(rca)
        coi, cog = np.empty((T, R)), np.empty_like(rca)
        with threadpool_limits(limits=1):
            # the eigenproblems (one core, Python-bound) overlap the proximity, density and outlook
            # products (BLAS releases the GIL), which run on the other core
            with ThreadPoolExecutor(max_workers=1) as pool:
                raw = [pool.submit(_eig_year, M[t]) for t in range(T)]
                for t in range(T):
                    _proximity_year(M[t], out=phi[t])
                    _density(M[t], phi[t], out=density[t])
                raw = [r.result() for r in raw]
        eci_raw = np.stack([r[0] for r in raw])
        pci_raw = np.stack([r[1] for r in raw])
        eci, pci = zip(*[_normalise(e, p, "atlas", 0) for e, p in raw])
        eci, pci = np.stack(eci), np.stack(pci)
        k = np.nan_to_num(pci_raw if convention == "ecomplexity" else pci, nan=0.0)
        for t in range(T):  # both cores (``threads``) for the outlook products
            _outlook_year(M[t], phi[t], k[t], density[t], coi_out=coi[t], cog_out=cog[t])
        if convention == "ecomplexity":
            coi, cog = _outlook_ecomplexity(coi, cog, np.nanstd(eci_raw, axis=-1))
        elif convention != "atlas":
            raise ValueError("convention must be 'atlas' or 'ecomplexity'")
    out = {"rca": rca, "M": M, "diversity": M.sum(axis=-1), "ubiquity": M.sum(axis=-2), "proximity": phi,
           "density": density, "eci": eci, "pci": pci, "coi": coi, "cog": cog}
    if m.values.ndim == 2:
        out = {k: v[0] for k, v in out.items()}
    return out
