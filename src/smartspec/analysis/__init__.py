"""The analysis of one region (S3 step 1): picks the datasets that cover it, runs the
metrics, and returns a typed, versioned result — the JSON schema documented in
``docs/analysis-schema.md`` — that the report and the platform render.

>>> from smartspec.analysis import analyse
>>> result = analyse("Värmland")            # doctest: +SKIP
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path

from smartspec import __version__
from smartspec.analysis import sections
from smartspec.analysis.choice import CoverageError
from smartspec.analysis.loader import build_context
from smartspec.analysis.maps import kommun_maps
from smartspec.analysis.relatedness_input import read_relatedness
from smartspec.data import Store
from smartspec.data.catalog import KNOWN
from smartspec.data.store import reading
from smartspec.progress import Step

SCHEMA = "smartspec-analysis"
SCHEMA_VERSION = "2.0"
STEPS = ("data", "profile", "specialisations", "portfolio", "relatedness", "outside", "priorities", "methods")

__all__ = ["analyse", "write_json", "CoverageError", "SCHEMA_VERSION", "STEPS"]


def write_json(result: dict, path) -> Path:
    """Write a result as JSON (UTF-8, no NaN), atomically: a reader never sees half a file.

    The core's output format: it needs no report extra (see :mod:`smartspec.optional`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False), encoding="utf-8")
    tmp.replace(path)
    return path


def analyse(region: str, *, datasets=None, year: int | None = None, compare_with=None, peers: int = 10,
            lang: str = "en", threshold: float = 1.0, weights="balanced", draws: int = 500, relatedness=None,
            progress=None) -> dict:
    """Run the whole analysis of ``region`` (code or name) and return the result dict.

    ``datasets`` names the datasets to use (``NAME`` or ``ROLE=NAME`` with the roles
    ``structure``, ``series`` and ``reference``); by default they are chosen by coverage
    (:mod:`smartspec.analysis.choice`), and the result says which and why.
    ``relatedness`` replaces co-occurrence proximity in density, distance, COG,
    opportunities and partner scores: a path read by
    :func:`smartspec.data.relatedness.read_relatedness` (a labour-flow table such
    as ``smartspec microdata aggregate``'s ``-flows.parquet``, or a matrix), or a
    ``(matrix, description)`` pair. The industry space stays on proximity.
    ``lang`` is recorded as the language the result was made in; the result carries
    codes, and names are applied when it is rendered.
    """
    if lang not in ("en", "sv"):
        raise ValueError("lang must be 'en' or 'sv'")
    with reading():
        return _analyse(region, datasets=datasets, year=year, compare_with=compare_with, peers=peers, lang=lang,
                        threshold=threshold, weights=weights, draws=draws, relatedness=relatedness,
                        progress=progress)


def _analyse(region, *, datasets, year, compare_with, peers, lang, threshold, weights, draws, relatedness,
             progress) -> dict:
    started = time.perf_counter()
    step = _stepper(progress)
    step("data")
    ctx = build_context(region, datasets=datasets, year=year, lang=lang)
    if relatedness is not None:
        level = ctx.structure.level if ctx.structure is not None else "division"
        ctx.relatedness, ctx.relatedness_source = _external(relatedness, level)
    step("profile")
    prof = sections.profile(ctx)
    step("specialisations")
    spec = sections.specialisations(ctx, threshold=threshold, draws=draws)
    step("portfolio")
    port = sections.portfolio(ctx, spec["change"])
    step("relatedness")
    rel, mats = sections.relatedness(ctx, threshold=threshold, weights=weights)
    step("outside")
    out = sections.outside(ctx, mats, peers=peers, compare_with=compare_with)
    step("priorities")
    pri = sections.declared_priorities(ctx, mats, out)
    kommun = kommun_maps(ctx, spec, pri)  # part of the priorities step: no new progress step
    step("methods")
    return {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION, "smartspec_version": __version__,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"), "lang": lang,
        "region": {"code": ctx.region.code, "name": ctx.region.name, "tier": ctx.region.tier,
                   "level": ctx.region.level, "country": ctx.region.country},
        "data": _data(ctx),
        "parameters": {"threshold": threshold, "peers": peers, "opportunity_weights": weights, "stability_draws": draws,
                       "fragile_band": list(sections.FRAGILE_BAND), "year": year,
                       "compare_with": list(compare_with or []), "datasets": list(datasets or []),
                       "relatedness": ctx.relatedness_source or "proximity"},
        "datasets": _sources(ctx),
        "notes": ctx.notes,
        "sections": {"profile": prof, "specialisations": spec, "portfolio": port, "relatedness": rel,
                     "outside": out, "priorities": pri, "maps": kommun},
        "timing_seconds": round(time.perf_counter() - started, 2),
    }


def _data(ctx) -> dict:
    """What the analysis ran on: each role's dataset, level, coverage and why it was chosen."""
    out = {"uses": [u.describe() for u in ctx.uses.values()], "structure": None, "series": None}
    s = ctx.structure
    if s is not None:
        out["structure"] = {"dataset": s.use.dataset, "year": s.year, "tier": s.use.tier, "level": s.level,
                            "home": s.home, "own": s.use.own, "n_regions": len(s.matrix),
                            "classification": s.use.slice.classification,
                            "n_activities": s.matrix.shape[1], "total_source": s.total_source,
                            "hidden_share": s.hidden_share(),
                            "suppressed_cells": int(s.matrix.loc[s.home].isna().sum())}
    if ctx.series is not None:
        se = ctx.series
        out["series"] = {"dataset": se.use.dataset, "tier": se.use.tier, "level": se.level, "home": se.home,
                         "reference": se.country, "years": [int(se.years[0]), int(se.years[-1])]}
    return out


def _external(relatedness, level: str):
    if isinstance(relatedness, tuple):
        return relatedness
    return read_relatedness(relatedness, level=level)


def _stepper(progress):
    def step(name):
        if progress:
            progress(Step(name, STEPS.index(name) + 1, len(STEPS)))
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
