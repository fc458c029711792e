"""The full complexity suite in one call, for every year of a panel at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from smartspec.metrics._input import Matrix, as_matrix
from smartspec.metrics.complexity import _eig_year, _normalise, complexity_outlook
from smartspec.metrics.relatedness import proximity, relatedness_density
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
    m = as_matrix(X, missing=missing, allow_sparse=False)
    x = m.values if m.values.ndim == 3 else m.values[None]
    with threadpool_limits(limits=threads):
        rca = location_quotient(Matrix(x))  # validated above: no second pass
        M = (rca >= threshold).astype(np.float64)
        mb = Matrix(M)
        mb._binary_checked = True  # 0/1 by construction
        with threadpool_limits(limits=1):
            # the eigenproblems (one core, Python-bound) overlap the proximity and density
            # products (BLAS releases the GIL), which run on the other core
            with ThreadPoolExecutor(max_workers=1) as pool:
                eig = pool.submit(lambda: [_eig_year(M[t]) for t in range(M.shape[0])])
                phi = proximity(mb)
                density = relatedness_density(mb, phi)
                raw = eig.result()
        eci_raw = np.stack([r[0] for r in raw])
        pci_raw = np.stack([r[1] for r in raw])
        eci, pci = zip(*[_normalise(e, p, "atlas", 0) for e, p in raw])
        eci, pci = np.stack(eci), np.stack(pci)
        if convention == "ecomplexity":
            coi, cog = complexity_outlook(mb, phi, pci_raw, convention="ecomplexity",
                                          eci_sd=np.nanstd(eci_raw, axis=-1), density=Matrix(density))
        else:
            coi, cog = complexity_outlook(mb, phi, pci, convention="atlas", density=Matrix(density))
    out = {"rca": rca, "M": M, "diversity": M.sum(axis=-1), "ubiquity": M.sum(axis=-2), "proximity": phi,
           "density": density, "eci": eci, "pci": pci, "coi": coi, "cog": cog}
    if m.values.ndim == 2:
        out = {k: v[0] for k, v in out.items()}
    return out
