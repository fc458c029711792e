"""Every region of a tier at once: the analyses in parallel processes, their reports, and
one summary table across all regions — what a national agency or the JRC would publish.

What the regions share (the reference matrix, the suppression estimates, the industry
space and the complexity reading, the peers' variables) is computed once: by the parent
for the first region, inherited by the worker processes, and kept in the workspace for
later runs. A region that fails is listed in the summary with its reason.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import pandas as pd

from smartspec import data
from smartspec.analysis import analyse
from smartspec.analysis.choice import (
    candidate_names,
    main_slice,
    parse_datasets,
    slices,
)
from smartspec.data.classifications.regions import region_parent_key, tier_order
from smartspec.errors import SmartspecError
from smartspec.progress import Step
from smartspec.report import safe_cell, write

SUMMARY_TOP = 5


def regions_at(tier: str, *, datasets=None, country: str | None = None) -> list[str]:
    """The regions of ``tier`` in the given datasets (default: every stored count dataset),
    optionally within one country."""
    if tier not in tier_order:
        raise SmartspecError(f"unknown regional tier {tier!r}: use one of {', '.join(tier_order)}")
    named = [n for names in parse_datasets(datasets).values() for n in names]
    found = [main_slice(n) for n in named] if named else [s for n in candidate_names() for s in slices(n)]
    codes = sorted(set().union(*(s.regions.get(tier, frozenset()) for s in found)) if found else set())
    if country:
        key = region_parent_key(codes, "country")
        codes = [c for c in codes if key.get(c) == country.upper()]
    return codes


def summary_row(result: dict) -> dict:
    """One region's headline conclusions, as codes and numbers."""
    s = result["sections"]
    acts = (s["specialisations"]["activities"] or {}).get("rows", [])
    strengths = [r["activity"] for r in acts if r.get("significant")][:SUMMARY_TOP]
    rel = s["relatedness"]
    cx = rel.get("complexity") or {}
    areas = s["priorities"].get("areas", []) if s["priorities"].get("available") else []
    verdicts = pd.Series([a["verdict"] for a in areas], dtype=object).value_counts().to_dict()
    structure = result["data"]["structure"] or {}
    return {"region": result["region"]["code"], "name": result["region"]["name"], "status": "ok", "reason": "",
            "dataset": structure.get("dataset"), "level": structure.get("level"), "year": structure.get("year"),
            "own_data": structure.get("own"), "hidden_share": structure.get("hidden_share"),
            "strengths": ", ".join(strengths), "n_strengths": len(strengths),
            "complexity_measure": cx.get("measure"), "complexity_rank": cx.get("rank"),
            "complexity_rank_country": cx.get("rank_country"),
            "opportunities": ", ".join(o["activity"] for o in rel.get("opportunities", [])[:3]),
            "peers": ", ".join(p["region"] for p in s["outside"].get("peers", [])[:3]),
            **{f"areas_{v}": int(n) for v, n in verdicts.items()}}


def _one(region: str, out_dir: str, formats: tuple[str, ...], langs: tuple[str, ...], params: dict) -> dict:
    try:
        result = analyse(region, **params)
    except SmartspecError as exc:
        return {"region": region, "status": "failed", "reason": str(exc)}
    for lang in langs:
        for fmt in formats:
            name = f"{region}.json" if fmt == "json" else f"{region}-{lang}.{fmt}"
            if fmt == "json" and lang != langs[0]:
                continue  # the result is the same in every language: names are applied when rendering
            write({**result, "lang": lang}, Path(out_dir) / name)
    return summary_row(result)


def analyse_all(regions: list[str], *, out_dir, formats=("json",), langs=("en",), jobs: int | None = None,
                progress=None, **params) -> pd.DataFrame:
    """Analyse ``regions`` in ``jobs`` processes (default: the machine's cores), write each
    region's outputs into ``out_dir`` and the summary as ``summary.parquet`` and
    ``summary.xlsx``; returns the summary."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    formats, langs = tuple(formats), tuple(langs)
    jobs = jobs or os.cpu_count() or 1
    rows = []
    data.ensure_mirror()  # the workers only read the store
    if regions:  # the first region in this process: what all share is computed once, then inherited
        rows.append(_one(regions[0], str(out), formats, langs, params))
        _report(progress, 1, len(regions), regions[0], rows[-1])
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_one, r, str(out), formats, langs, params): r for r in regions[1:]}
        for future in as_completed(futures):
            rows.append(future.result())
            _report(progress, len(rows), len(regions), futures[future], rows[-1])
    summary = pd.DataFrame(rows).sort_values("region").reset_index(drop=True)
    write_summary(summary, out)
    return summary


def _report(progress, done: int, total: int, region: str, row: dict) -> None:
    if progress:
        status = "" if row["status"] == "ok" else f" — failed: {row['reason'][:80]}"
        progress(Step(f"{region}{status}", done, total, finished=True))


def write_summary(summary: pd.DataFrame, out: Path) -> None:
    """The summary as Parquet and as a spreadsheet (cells safe from formula injection)."""
    summary.to_parquet(out / "summary.parquet", index=False)
    summary.map(safe_cell).to_excel(out / "summary.xlsx", index=False, sheet_name="summary")
