"""Maps of potential areas of strength across a region's kommuner, as Region Stockholm drew
them: for each of the region's strengths and each declared priority area, its employment and
location quotient in every kommun of the analysed region.

The maps need a count dataset with kommun rows inside the region among the datasets the
analysis chose (the structure's first, then the series' and the reference's; e.g. an
imported ``smartspec microdata aggregate``). The layers are

* the region's strengths: the six specialised activities (LQ ≥ threshold) of
  ``specialisations.activities`` with the most employment, each mapped onto the kommun
  data's level with :func:`smartspec.analysis.evidence.map_codes`;
* each declared priority area with NACE codes (``nace_suggested``), mapped the same way.

For each layer and kommun: employment (the weighted sum of the layer's cells; ``None`` when
one of them is suppressed, since a missing part makes a sum missing) and the LQ against
Sweden, i.e. the layer's share of the kommun's total against its share of the total of all
Swedish kommuner in the dataset. Totals are the publisher's, as the loader reads them
(:func:`smartspec.analysis.loader.load_table`: ``TOTAL``, else the published sections,
else the known parts). The result carries codes only; names are applied when rendering.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec.analysis.choice import PREFERRED_MEASURES, Slice, Use, slices
from smartspec.analysis.evidence import map_codes
from smartspec.analysis.loader import Context, Table, finite, load_table
from smartspec.data.classifications.regions import region_parent_key, regions_within
from smartspec.data.store import Store

#: How many of the region's strengths get a map.
TOP_STRENGTHS = 6
#: The analysed region's tiers that have maps (a kommun is mapped within its län).
TIERS = ("kommun", "fa", "nuts3", "nuts2")
_ROLE_ORDER = ("structure", "series", "reference")


def kommun_maps(ctx: Context, specialisations: dict, priorities: dict, *, store: Store | None = None) -> dict:
    """The region's strengths and declared areas by kommun (see the module docstring).

    Returns ``{"available": True, "dataset", "year", "level", "tier": "kommun", "lan",
    "kommuner", "layers": [{"kind", "key", "activities", "values": [{"region",
    "employment", "lq"}]}]}``, or ``{"available": False, "reason"}`` with the reason
    ``not_swedish``, ``too_large`` (a country or NUTS 1 region) or ``no_kommun_data``.
    """
    region = ctx.region
    if region.country != "SE":
        return {"available": False, "reason": "not_swedish"}
    if region.tier not in TIERS:
        return {"available": False, "reason": "too_large"}
    lan, kommuner = _area(region)
    store = store or Store()
    found = _kommun_slice(ctx, set(kommuner), store)
    if found is None:
        return {"available": False, "reason": "no_kommun_data"}
    s, year = found
    use = Use("maps", s, "kommun", "kommun", s.levels[0], "", False)
    table = load_table(use, year, store)
    ctx.use(s.dataset, "maps")
    layers = []
    for kind, key, codes in _layers(ctx, specialisations, priorities, s):
        layer = _layer(table, codes, kommuner)
        if layer is not None:
            layers.append({"kind": kind, "key": key, **layer})
    return {"available": True, "dataset": s.dataset, "year": int(table.year), "level": table.level, "tier": "kommun",
            "lan": lan, "kommuner": kommuner, "layers": layers}


def _area(region) -> tuple[list[str], list[str]]:
    """The län (NUTS 3 codes) and kommuner mapped for a region: a kommun's whole län, an FA
    region's own kommuner (and the län they lie in), a län's or NUTS 2 region's kommuner."""
    if region.tier == "kommun":
        return [region.nuts3], regions_within(region.nuts3, "kommun")
    kommuner = regions_within(region.code, "kommun")
    lan = sorted(set(region_parent_key(kommuner, "nuts3").dropna()))
    return lan, kommuner


def _kommun_slice(ctx: Context, kommuner: set, store: Store) -> tuple[Slice, int] | None:
    """The count slice with kommun rows inside the region, from the datasets the analysis
    chose (the structure's first), and its year (the structure's when it has it)."""
    seen = []
    for role in _ROLE_ORDER:
        use = ctx.uses.get(role)
        if use is None or use.dataset in seen:
            continue
        seen.append(use.dataset)
        s = use.slice if _inside(use.slice, kommuner) else _best(
            [c for c in slices(f"{use.dataset}@{use.slice.version}", store) if _inside(c, kommuner)])
        if s is None:
            continue
        wanted = ctx.structure.year if ctx.structure is not None else None
        return s, int(wanted) if wanted in s.years else int(s.years[-1])
    return None


def _inside(s: Slice, kommuner: set) -> bool:
    return bool(s.levels) and bool(kommuner & set(s.regions.get("kommun", ())))


def _best(found: list[Slice]) -> Slice | None:
    if not found:
        return None
    rank = {m: i for i, m in enumerate(PREFERRED_MEASURES)}
    return min(found, key=lambda s: (rank.get(s.measure, len(rank)), s.measure, s.unit))


def _layers(ctx: Context, specialisations: dict, priorities: dict, s: Slice):
    """``(kind, key, [(code, weight)])`` for the strengths, then the declared areas."""
    activities = (specialisations or {}).get("activities")
    structure = ctx.structure
    if activities and (structure is None or structure.use.slice.classification == s.classification):
        strong = [r for r in activities["rows"] if r.get("specialised") and r.get("employment") is not None]
        strong.sort(key=lambda r: (-r["employment"], -(r["lq"] or 0), r["activity"]))
        for row in strong[:TOP_STRENGTHS]:
            yield "strength", row["activity"], [(row["activity"], 1.0)]
    if (priorities or {}).get("available"):
        for area in priorities["areas"]:
            if area.get("nace_suggested"):
                yield "area", area["area_sv"], [(c, 1.0) for c in area["nace_suggested"]]


def _layer(table: Table, codes_weights, kommuner: list[str]) -> dict | None:
    """One layer's employment and LQ against Sweden in each of ``kommuner``; None when the
    data hold none of its codes."""
    X, totals = table.matrix, table.totals
    weights, _ = map_codes(codes_weights, X.columns, table.level)
    if not weights:
        return None
    cols = list(weights)
    w = pd.Series(weights)
    cells = X[cols]
    employment = (cells * w).sum(axis=1).where(cells.notna().all(axis=1))  # a missing part: missing
    share_ref = float((cells.sum() * w).sum()) / float(totals.sum())  # suppressed cells left out
    lq = employment / totals.reindex(X.index) / share_ref if share_ref > 0 else pd.Series(np.nan, index=X.index)
    values = []
    for code in kommuner:
        known = code in X.index
        values.append({"region": code, "employment": finite(employment[code]) if known else None,
                       "lq": finite(lq[code]) if known and totals.get(code, 0) > 0 else None})
    return {"activities": cols, "values": values}
