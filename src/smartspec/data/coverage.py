"""Summaries of what a stored dataset covers: regions and levels, activities and levels, years."""

from collections import Counter

from smartspec.data.classifications.nace import activity_level
from smartspec.data.classifications.nuts import nuts_level


def _levels(values, level_of) -> str:
    counts = Counter(level_of(v) for v in values)
    return ", ".join(f"{n} {'other' if lvl is None else lvl}" for lvl, n in sorted(counts.items(), key=lambda x: str(x[0])))


def describe(store, dataset: str, version: int) -> dict:
    cov = store.coverage(dataset, version)
    regions = cov["region"].unique()
    activities = cov["activity"].unique()
    measures = sorted({m for ms in cov["measures"] for m in ms})
    units = sorted({u for us in cov["units"] for u in us})
    return {
        "dataset": dataset, "version": version,
        "regions": len(regions),
        "region_levels": _levels(regions, lambda c: None if nuts_level(c) is None else f"NUTS{nuts_level(c)}"),
        "activities": len(activities),
        "activity_levels": _levels(activities, activity_level),
        "years": f"{int(cov['y0'].min())}–{int(cov['y1'].max())}" if len(cov) else "",
        "measures": measures, "units": units,
        "observations": int(cov["n"].sum()), "missing": int(cov["n_missing"].sum()),
    }
