"""The industry space: a network of activities linked by proximity, with a layout
computed once per dataset version and kept in the workspace."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from smartspec import config
from smartspec import metrics as mt


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


def space_matrices(table, threshold: float) -> dict:
    """The matrices of the industry space for a table's reference regions: specialisation
    M, proximity, relatedness density, PCI/ECI and complexity outlook (COI/COG), computed
    on the matrix with suppressed cells at their estimates (:meth:`Table.filled`)."""
    X = table.filled()
    suite = mt.complexity_suite(X.to_numpy(), threshold=threshold)
    regions, acts = X.index, X.columns
    return {"M": pd.DataFrame(suite["M"], index=regions, columns=acts),
            "phi": pd.DataFrame(suite["proximity"], index=acts, columns=acts),
            "density": pd.DataFrame(suite["density"], index=regions, columns=acts),
            "pci": pd.Series(suite["pci"], index=acts), "eci": pd.Series(suite["eci"], index=regions),
            "cog": pd.DataFrame(suite["cog"], index=regions, columns=acts),
            "coi": pd.Series(suite["coi"], index=regions)}
