"""The industry space: a network of activities linked by proximity, with a layout
computed once per dataset version and kept in the workspace."""

from __future__ import annotations

import hashlib
import json
import warnings

import numpy as np
import pandas as pd

from smartspec import config
from smartspec import metrics as mt
from smartspec.analysis.complexity import choose_measure
from smartspec.analysis.loader import reference_gdp_per_head
from smartspec.data.cache import keyed_cached
from smartspec.data.classifications.nace import sections_of


def backbone(phi: pd.DataFrame, extra_per_node: int = 2) -> list[tuple[str, str, float]]:
    """Edges of the maximum spanning tree of ``phi`` plus each node's strongest links
    (the usual product-space backbone, Hidalgo et al. 2007)."""
    labels = list(phi.index)
    w = phi.to_numpy(copy=True)
    np.fill_diagonal(w, -np.inf)
    n = len(labels)
    in_tree = np.zeros(n, bool)
    in_tree[0] = True
    best = w[0].copy()
    parent = np.zeros(n, int)
    edges = set()
    for _ in range(n - 1):  # Prim's algorithm on similarities
        cand = np.where(in_tree, -np.inf, best)
        j = int(np.argmax(cand))
        edges.add(tuple(sorted((parent[j], j))))
        in_tree[j] = True
        better = w[j] > best
        best = np.where(better, w[j], best)
        parent = np.where(better, j, parent)
    for i in range(n):
        for j in np.argsort(-w[i])[:extra_per_node]:
            if w[i, j] > 0:
                edges.add(tuple(sorted((i, int(j)))))
    return [(labels[a], labels[b], float(phi.iat[a, b])) for a, b in sorted(edges)]


def force_layout(nodes: list[str], edges, iterations: int | None = None, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold layout (deterministic for a seed), scaled to [0, 1]².

    Each iteration costs O(n²): large spaces (classes, detailed groups) get fewer
    iterations (400 up to 150 nodes, then ∝ 1/n², at least 40), which keeps the layout
    to about a second; the layout is computed once per dataset and cached."""
    n = len(nodes)
    if iterations is None:
        iterations = 400 if n <= 150 else max(40, int(400 * (150 / n) ** 2))
    idx = {v: i for i, v in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    adj = np.zeros((n, n))
    for a, b, w in edges:
        adj[idx[a], idx[b]] = adj[idx[b], idx[a]] = max(w, 0.05)
    k = np.sqrt(1.0 / n)
    temp = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
        force = (k * k / dist ** 2 - adj * dist / k)[..., None] * delta
        disp = force.sum(axis=1)
        length = np.maximum(np.linalg.norm(disp, axis=1, keepdims=True), 1e-9)
        pos += disp / length * np.minimum(length, temp)
        temp *= 0.99 ** (400 / iterations)
    pos -= pos.min(axis=0)
    pos /= np.maximum(pos.max(axis=0), 1e-9)
    return {v: (round(float(pos[i, 0]), 5), round(float(pos[i, 1]), 5)) for v, i in idx.items()}


def industry_space(phi: pd.DataFrame, key: str) -> dict:
    """Nodes with positions and backbone edges; the layout is cached under ``key``
    (dataset, version, level), so every report on that dataset shows the same map."""
    folder = config.home() / "layouts"
    folder.mkdir(exist_ok=True)
    path = folder / f"{key}.json"
    if path.exists():
        cached = json.loads(path.read_text())
        if set(cached["positions"]) == set(phi.index):
            return cached
    edges = backbone(phi)
    positions = force_layout(list(phi.index), edges)
    result = {"positions": positions, "edges": [{"source": a, "target": b, "weight": round(w, 4)} for a, b, w in edges]}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result))
    tmp.replace(path)
    return result


#: Sections left out of the complexity measures: where mining and quarrying happen follows
#: geology (a natural endowment), not the capabilities complexity measures.
NATURAL_RESOURCES = ("B",)


def space_matrices(table, threshold: float) -> dict:
    """See :func:`_space_matrices`; computed once per process, table content and threshold
    (all regions of a dataset share them)."""
    labels = hashlib.sha256("|".join([*table.matrix.index, "/", *table.matrix.columns]).encode()).hexdigest()[:16]
    key = (table.key, labels, float(threshold))
    if key not in _SPACES:
        if len(_SPACES) >= 4:
            _SPACES.pop(next(iter(_SPACES)))
        _SPACES[key] = _space_matrices(table, threshold, labels)
    return _SPACES[key]


_SPACES: dict[tuple, dict] = {}


def _space_matrices(table, threshold: float, labels: str) -> dict:
    """The matrices of the industry space for a table's reference regions: specialisation
    M, proximity, relatedness density, the eigenvector ECI/PCI, and the complexity reading
    that passes the diagnostics (:func:`complexity_reading`), with the complexity outlook
    (COI/COG) on its activity values; computed on the matrix with suppressed cells at their
    estimates (:meth:`Table.filled`)."""
    X = table.filled()
    with warnings.catch_warnings():  # a disconnected matrix is diagnosed by the complexity reading
        warnings.simplefilter("ignore", mt.ComplexityWarning)
        suite = mt.complexity_suite(X.to_numpy(), threshold=threshold)
    regions, acts = X.index, X.columns
    M = pd.DataFrame(suite["M"], index=regions, columns=acts)
    phi = pd.DataFrame(suite["proximity"], index=acts, columns=acts)
    density = pd.DataFrame(suite["density"], index=regions, columns=acts)
    reading = keyed_cached("complexity", f"{table.key}:{labels}:t{threshold:g}",
                           lambda: complexity_reading(M, reference_gdp_per_head(table)),
                           depends=(choose_measure, mt.genepy, mt.fitness_complexity))
    pci = reading["activity_values"]
    used = pci.notna().any()
    coi, cog = mt.complexity_outlook(M, phi, pci.fillna(0.0), density=density) if used else (
        pd.Series(0.0, index=regions), pd.DataFrame(0.0, index=regions, columns=acts))
    return {"M": M, "phi": phi, "density": density, "pci": pci.fillna(0.0) if used else pci,
            "eci": pd.Series(suite["eci"], index=regions), "pci_eigenvector": pd.Series(suite["pci"], index=acts),
            "cog": pd.DataFrame(np.asarray(cog), index=regions, columns=acts),
            "coi": pd.Series(np.asarray(coi), index=regions), "complexity": reading}


def complexity_reading(M: pd.DataFrame, gdp_per_head: pd.Series | None) -> dict:
    """The complexity measure that passes the diagnostics on these data (the rule of
    :func:`smartspec.analysis.complexity.choose_measure`), computed without the natural-
    resource sections. ``region_values`` is NaN everywhere when no measure passes;
    ``activity_values`` only where the measure's activity values rise with income (else
    NaN: complexity then leaves the opportunity score). Natural-resource activities get 0
    (neutral on the z-scale) in the activity values."""
    keep = [a for a in M.columns if sections_of(a)[0] not in NATURAL_RESOURCES]
    keep = [a for a in keep if M[a].any()]
    choice = choose_measure(M[keep], gdp_per_head=gdp_per_head)
    validated = bool(choice["measure"]) and choice["activity_validated"] is True
    activity = choice["activity_values"].reindex(M.columns) if validated else pd.Series(np.nan, index=M.columns)
    if validated:
        activity = activity.fillna(0.0)
    return {"measure": choice["measure"], "activity_validated": choice["activity_validated"],
            "checked_against": choice["checked_against"], "excluded_sections": list(NATURAL_RESOURCES),
            "region_values": choice["region_values"].reindex(M.index), "activity_values": activity,
            "diagnostics": choice["diagnostics"]}
