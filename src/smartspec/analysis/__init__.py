"""The analysis of one region (S3 step 1): picks the datasets that cover it, runs the
metrics, and returns a typed, versioned result — the JSON schema documented in
``docs/analysis-schema.md`` — that the report and the platform render.

>>> from smartspec.analysis import analyse
>>> result = analyse("Värmland")            # doctest: +SKIP
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from smartspec import __version__
from smartspec.analysis import sections
from smartspec.analysis.context import CoverageError, build_context
from smartspec.data import Store
from smartspec.data.catalog import KNOWN

SCHEMA = "smartspec-analysis"
SCHEMA_VERSION = "1.0"
STEPS = ("data", "profile", "specialisations", "portfolio", "relatedness", "outside", "priorities", "methods")

__all__ = ["analyse", "CoverageError", "SCHEMA_VERSION", "STEPS"]


def analyse(region: str, *, datasets=None, year: int | None = None, compare_with=None, peers: int = 10,
            lang: str = "en", threshold: float = 1.0, weights="balanced", draws: int = 500, relatedness=None,
            progress=None) -> dict:
    """Run the whole analysis of ``region`` (code or name) and return the result dict.

    ``relatedness`` replaces co-occurrence proximity in density, distance, COG,
    opportunities and partner scores: a path read by
    :func:`smartspec.data.relatedness.read_relatedness` (a labour-flow table such
    as ``smartspec microdata aggregate``'s ``-flows.parquet``, or a matrix), or a
    ``(matrix, description)`` pair. The industry space stays on proximity.
    """
    if lang not in ("en", "sv"):
        raise ValueError("lang must be 'en' or 'sv'")
    started = time.perf_counter()
    step = _stepper(progress)
    step("data")
    ctx = build_context(region, datasets=datasets, year=year, lang=lang)
    if relatedness is not None:
        ctx.relatedness, ctx.relatedness_source = _external(relatedness)
    step("profile")
    prof = sections.profile(ctx)
    step("specialisations")
    spec = sections.specialisations(ctx, threshold=threshold, draws=draws)
    step("portfolio")
    port = sections.portfolio(ctx, spec["a10"])
    step("relatedness")
    rel = sections.relatedness(ctx, threshold=threshold, weights=weights)
    step("outside")
    out = sections.outside(ctx, rel, peers=peers, compare_with=compare_with)
    step("priorities")
    pri = sections.declared_priorities(ctx, rel, out)
    rel.pop("_matrices", None)
    step("methods")
    result = {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION, "smartspec_version": __version__,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"), "lang": lang,
        "region": {"code": ctx.region.code, "name": ctx.region.name, "level": ctx.region.level,
                   "country": ctx.region.country, "division_region": ctx.division_region,
                   "a10_region": ctx.a10_region},
        "parameters": {"threshold": threshold, "peers": peers, "opportunity_weights": weights, "stability_draws": draws,
                       "fragile_band": list(sections.FRAGILE_BAND), "sbs_year": ctx.sbs_year,
                       "compare_with": list(compare_with or []), "datasets": list(ctx.datasets),
                       "relatedness": ctx.relatedness_source or "proximity"},
        "datasets": _sources(ctx),
        "notes": ctx.notes,
        "sections": {"profile": prof, "specialisations": spec, "portfolio": port, "relatedness": rel,
                     "outside": out, "priorities": pri},
        "timing_seconds": round(time.perf_counter() - started, 2),
    }
    return result


def _external(relatedness):
    if isinstance(relatedness, tuple):
        return relatedness
    from smartspec.data.relatedness import read_relatedness

    return read_relatedness(relatedness, level="division")


def _stepper(progress):
    def step(name):
        if progress:
            progress(f"[{STEPS.index(name) + 1}/{len(STEPS)}] {name}")
    return step


def _sources(ctx) -> list[dict]:
    stored = Store().datasets()
    out = []
    for code, purposes in sorted(ctx.used.items()):
        rows = stored[stored["dataset"] == code].sort_values("version")
        meta = rows.iloc[-1] if len(rows) else None
        spec = KNOWN.get(code)
        out.append({"dataset": code, "title": spec.title if spec else code,
                    "version": int(meta["version"]) if meta is not None else None,
                    "source": meta["source"] if meta is not None else "", "licence": meta["licence"] if meta is not None else "",
                    "url": meta["url"] if meta is not None else "",
                    "retrieved_at": str(meta["retrieved_at"])[:19] if meta is not None else "",
                    "file_hash": meta["file_hash"] if meta is not None else "", "used_for": sorted(purposes)})
    return out
