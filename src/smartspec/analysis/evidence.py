"""Evidence for a priority area defined by weighted NACE codes at any level — the one
computation that the report, the platform's area pages and the monitoring indicators use.

An area's codes are mapped onto the level of the data: a finer code counts its whole
ancestor at the data's level (flagged ``coarser``: the data cannot separate it), a
coarser code counts every data code below it. Employment is the weighted sum of the
area's cells; a suppressed cell leaves it incomplete (listed, never counted as zero).
LQ is the area's share of the region's (publisher's) total against its share of the
reference set's total.
"""

from __future__ import annotations

import copy
from functools import lru_cache

import numpy as np
import pandas as pd

from smartspec.analysis.choice import ADEQUATE, LEVEL_ORDER, CoverageError
from smartspec.analysis.loader import Series, Table, build_context, finite
from smartspec.analysis.space import space_matrices
from smartspec.data import Store
from smartspec.data.classifications.nace import (
    activity_level,
    ancestor_at,
    normalise_activity,
    sections_of,
)


def map_codes(codes_weights, columns, level: str) -> tuple[dict[str, float], list[str]]:
    """``{data code: weight}`` for an area's ``(code, weight)`` pairs, and the area codes
    that the data only hold at a coarser level."""
    out: dict[str, float] = {}
    coarser = []
    for code, weight in codes_weights:
        code = normalise_activity(code)
        for target, is_coarser in _targets(code, columns, level):
            out[target] = max(out.get(target, 0.0), float(weight))
            if is_coarser:
                coarser.append(code)
    return out, sorted(set(coarser))


def _targets(code: str, columns, level: str):
    own = activity_level(code)
    if level in ("A10", "section"):  # broad groups, possibly of several sections
        groups = [g for g in columns if set(sections_of(code)) & set(sections_of(g))]
        return [(g, own != "section" or len(groups) > 1 or len(sections_of(g)) > 1) for g in groups]
    if own in ("total", "aggregate") or LEVEL_ORDER.index(own) > LEVEL_ORDER.index(level):
        below = [c for c in columns if _within(c, code)]
        return [(c, False) for c in below]
    up = ancestor_at(code, level)
    return [(up, own != level)] if up in columns else []


def _within(column: str, code: str) -> bool:
    level = activity_level(code)
    if level in ("total", "aggregate", "section"):
        return sections_of(column)[0] in sections_of(code)
    return ancestor_at(column, level) == code


def area_evidence(table: Table, codes_weights, *, density: pd.DataFrame | None = None,
                  pci: pd.Series | None = None, M: pd.DataFrame | None = None,
                  series: Series | None = None) -> dict | None:
    """Employment, LQ, specialisation, relatedness density, complexity and growth of an
    area in the table's home region; None when none of its codes is in the data.

    Examples
    --------
    >>> area_evidence(table, [("16", 1.0), ("17.11", 0.5)])   # doctest: +SKIP
    """
    weights, coarser = map_codes(codes_weights, table.matrix.columns, table.level)
    if not weights:
        return None
    codes = list(weights)
    w = pd.Series(weights)
    X, r = table.matrix, table.home
    cells = X.loc[r, codes]
    suppressed = [c for c in codes if np.isnan(cells[c])]
    measured = float((cells * w).sum())
    T_r, T = table.totals[r], table.totals.sum()
    ref = float((table.reference()[codes].sum() * w).sum())
    share_ref = ref / T if T else np.nan

    def lq(employment):
        return finite((employment / T_r) / share_ref) if T_r and share_ref else None

    own_level = {normalise_activity(code) for code, _ in codes_weights} - set(coarser)
    out = {"level": table.level, "activities": codes, "weights": {c: float(w[c]) for c in codes}, "coarser": coarser,
           "coarser_only": coarser if not own_level else [],
           "employment": None if suppressed else measured, "complete": not suppressed, "suppressed": suppressed,
           "lq": None if suppressed else lq(measured), "region_total": finite(T_r),
           **_estimated(table, r, w, suppressed, measured, lq),
           "specialised_in": [], "density": None, "density_median": None,
           "pci": None, "pci_max": None, "growth": None, "growth_country": None, "growth_period": None}
    if M is not None:
        out["specialised_in"] = [c for c in codes if M.at[r, c] == 1]
    mass = (table.filled().loc[r, codes] * w + 1e-9).to_numpy()  # employment-weighted means
    if density is not None:
        out["density"] = float(np.average(density.loc[r, codes], weights=mass))
        out["density_median"] = float(density.loc[r].median())
    if pci is not None and pci.notna().any():
        out["pci"] = float(np.average(pci[codes], weights=mass))
        out["pci_max"] = float(pci[codes].max())
    if series is not None:
        out.update(_growth(series, codes_weights))
    return out


def _estimated(table: Table, r: str, w: pd.Series, suppressed: list[str], measured: float, lq) -> dict:
    """The area's employment and LQ with its suppressed cells at their estimates, and the
    interval they allow: ``basis`` is ``measured`` (nothing suppressed), ``estimated``
    (every suppressed cell estimated under the published totals) or ``incomplete``."""
    if not suppressed:
        return {"basis": "measured", "employment_estimate": measured, "employment_low": measured,
                "employment_high": measured, "lq_estimate": lq(measured), "lq_low": lq(measured),
                "lq_high": lq(measured)}
    est = table.estimates
    values = est.estimate.loc[r, suppressed] if est is not None else pd.Series(np.nan, index=suppressed)
    if values.isna().any():
        return {"basis": "incomplete", "employment_estimate": None, "employment_low": None, "employment_high": None,
                "lq_estimate": None, "lq_low": None, "lq_high": None}
    ws = w[suppressed]
    low, high = _sum_interval(table, r, suppressed, ws)
    low, high = measured + low, measured + high
    point = measured + float((values * ws).sum())
    return {"basis": "estimated", "employment_estimate": point, "employment_low": low, "employment_high": high,
            "lq_estimate": lq(point), "lq_low": lq(low), "lq_high": lq(high)}


def _sum_interval(table: Table, r: str, cells: list[str], weights: pd.Series) -> tuple[float, float]:
    """The interval of the weighted sum of a region's suppressed ``cells``: the sum of the
    cells' intervals, narrowed where a published section fixes or caps their sum (all of a
    section's suppressed cells in the sum: fixed to the section's residual; some: capped)."""
    est = table.estimates
    low, high = float((est.low.loc[r, cells] * weights).sum()), float((est.high.loc[r, cells] * weights).sum())
    if not np.allclose(weights, 1.0) or table.level in ("section", "A10"):
        return low, high
    section = pd.Series({c: sections_of(c)[0] for c in table.matrix.columns})
    row = table.matrix.loc[r]
    lows, highs = [], []
    for g, members in pd.Series(cells, index=cells).groupby(section[cells]):
        published = table.broad.at[r, g] if g in table.broad.columns else np.nan
        in_g = section.index[section == g]
        residual = published - row[in_g].sum() if np.isfinite(published) else np.inf
        hidden = set(in_g[row[in_g].isna()])
        if hidden == set(members):
            lows.append(residual)
            highs.append(residual)
        else:
            lows.append(float(est.low.loc[r, list(members)].sum()))
            highs.append(min(float(est.high.loc[r, list(members)].sum()), residual))
    return float(max(low, sum(lows))), float(min(high, sum(highs)))


def _growth(series: Series, codes_weights) -> dict:
    weights, _ = map_codes(codes_weights, series.panel.columns, series.level)
    if not weights or len(series.years) < 2:
        return {}
    y0, y1 = series.years[0], series.years[-1]
    at = series.panel.columns.get_indexer(list(weights))
    w = np.fromiter(weights.values(), dtype=float)

    def change(region):
        a, b = (float(np.dot(series.row(y, region).to_numpy()[at], w)) for y in (y0, y1))
        return finite(b / a - 1) if a and np.isfinite(a) else None

    return {"growth": change(series.home), "growth_country": change(series.country), "growth_period": [y0, y1]}


#: Fewer persons than this cannot make a strength, whatever the LQ (a few workplaces): the
#: rule of the specialisations table and of area verdicts alike.
MIN_STRENGTH = 100


def verdict(evidence: dict | None, has_codes: bool) -> str:
    """What the evidence says of an area, on its measured cells or, where cells are
    suppressed, on their estimates (``evidence["basis"]`` says which):

    * strength: LQ ≥ 1 on at least :data:`MIN_STRENGTH` persons;
    * small: LQ ≥ 1 on fewer persons (a few workplaces);
    * partial: specialised in some of its activities;
    * potential: relatedness density at or above the region's median;
    * weak: none of these, on measured cells at the area's own level only — never on
      estimates, nor on a broader activity that holds the area's (space technology in air
      transport);
    * unknown: suppressed and not estimable; or on estimates whose interval lets the LQ
      fall on either side of 1; or not weak enough to say on estimates;
    * no_nace / no_data: no codes, or none of them in the data.
    """
    if not has_codes:
        return "no_nace"  # also a horizontal theme (the area says so), which has no codes by nature
    if evidence is None:
        return "no_data"
    value, size = evidence["lq_estimate"], evidence["employment_estimate"]
    if value is None:
        return "unknown"
    if evidence["basis"] == "estimated" and evidence["lq_low"] < 1 <= evidence["lq_high"]:
        return "unknown"  # the published totals allow both readings
    if value >= 1:
        return "strength" if size >= MIN_STRENGTH else "small"
    if evidence["specialised_in"]:
        return "partial"
    if evidence["density"] is not None and evidence["density"] >= evidence["density_median"]:
        return "potential"
    if evidence["basis"] != "measured" or set(evidence["coarser_only"]):
        return "unknown"  # weak needs measured cells at the area's own level
    return "weak"


def uses_of(result: dict) -> list[str]:
    """The ``ROLE=NAME@VERSION`` choice that reproduces a result's data: its evidence stays on
    the dataset versions the result was made from, whatever was imported since."""
    return [f"{u['role']}={u['dataset']}@{u['version']}" for u in result["data"]["uses"]]


@lru_cache(maxsize=8)
def _context(region: str, datasets: tuple[str, ...], year: int | None, threshold: float):
    ctx = build_context(region, datasets=list(datasets), year=year)
    if ctx.structure is None or ctx.structure.level not in ADEQUATE:
        return ctx, None
    mats = space_matrices(ctx.structure, threshold)
    return ctx, {k: mats[k] for k in ("M", "density", "pci")}


def for_result(result: dict, codes_weights) -> dict:
    """An area's evidence on the data an analysis result was made from (the platform's
    area pages: computed here, never in the web layer). ``{"available": False}`` when the
    data hold none of its codes.

    The evidence is kept per process while the store is unchanged (a dashboard asks for
    every area on every view)."""
    structure = result["data"]["structure"]
    year = structure["year"] if structure else None
    key = (result["region"]["code"], tuple(uses_of(result)), year, float(result["parameters"]["threshold"]))
    codes = tuple((c, float(w)) for c, w in codes_weights)
    return copy.deepcopy(_for_result(*key, codes, Store().state()))


@lru_cache(maxsize=4096)
def _for_result(region: str, datasets: tuple[str, ...], year: int | None, threshold: float, codes_weights,
                store_state: tuple) -> dict:
    ctx, mats = _context(region, datasets, year, threshold)
    if ctx.structure is None:
        return {"available": False, "activities": [], "reason": "no_structure"}
    ev = area_evidence(ctx.structure, list(codes_weights), series=ctx.series, **(mats or {}))
    if ev is None:
        return {"available": False, "activities": [], "reason": "not_in_data"}
    return {"available": True, **ev, "verdict": verdict(ev, True), "region": ctx.structure.home,
            "dataset": ctx.structure.use.dataset, "year": ctx.structure.year}


def area_series(region: str, codes_weights, *, dataset: str | None = None) -> tuple[dict[int, dict], str, int]:
    """An area's employment and LQ (against the country) by year, from the region's series
    (the computed monitoring indicators): ``({year: {"employment", "lq"}}, dataset, version)``."""
    ctx = build_context(region, datasets=[f"series={dataset}"] if dataset else None)
    se = ctx.series
    if se is None:
        raise CoverageError(f"no employment series covers {region}: import one (smartspec data import)")
    weights, _ = map_codes(codes_weights, se.panel.columns, se.level)
    if not weights:
        raise CoverageError(f"{se.use.dataset} holds none of the area's activities at {se.level} level")
    w = pd.Series(weights)
    out = {}
    for year in se.years:
        own, nat = se.row(year, se.home), se.row(year, se.country)
        emp = float((own[list(weights)] * w).sum())
        ref = float((nat[list(weights)] * w).sum())
        out[int(year)] = {"employment": emp, "lq": finite((emp / own.sum()) / (ref / nat.sum())) if ref else None}
    return out, se.use.dataset, se.use.slice.version
