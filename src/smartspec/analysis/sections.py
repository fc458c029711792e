"""The sections of a regional analysis, at the data's own regional tier and activity
level. Each returns plain JSON-ready dicts that carry codes, not display names: names
and language are applied when rendering."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from smartspec import metrics as mt
from smartspec.analysis import priorities as prio
from smartspec.analysis.choice import ADEQUATE
from smartspec.analysis.evidence import MIN_STRENGTH, area_evidence, verdict
from smartspec.analysis.loader import (
    Context,
    Table,
    establishment_sizes,
    finite,
    gdp_per_head,
    to_sections,
)
from smartspec.analysis.matching import match_area
from smartspec.analysis.space import NATURAL_RESOURCES, industry_space, space_matrices
from smartspec.data.classifications.nace import sections_of
from smartspec.data.classifications.nuts import nuts_regions
from smartspec.data.classifications.regions import (
    region_parent_key,
    regions_within,
    resolve_region,
)
from smartspec.data.geography import settlement
from smartspec.metrics.robustness import lq_interval

FRAGILE_BAND = (0.1, 0.9)  # a binary call that holds in fewer than 90 % of resampled draws is fragile


def _rows(frame: pd.DataFrame) -> list[dict]:
    out = []
    for rec in frame.to_dict(orient="records"):
        out.append({k: (finite(v) if isinstance(v, (float, np.floating)) else
                        int(v) if isinstance(v, (np.integer,)) else bool(v) if isinstance(v, np.bool_) else v)
                    for k, v in rec.items()})
    return out


@lru_cache(maxsize=4096)
def region_label(code: str) -> str:
    """The region's name in Latin script (NUTS names some regions in Greek or Cyrillic)."""
    for version in (2024, 2021, 2016, 2013):
        names = _latin_names(version)
        if code in names:
            return names[code]
    try:
        return resolve_region(code).name
    except LookupError:
        return code


@lru_cache(maxsize=None)
def _latin_names(version: int) -> dict[str, str]:
    table = nuts_regions(version)
    return dict(zip(table["code"], table["name_latin"].astype(str)))


def location_quotients(X: pd.DataFrame, totals: pd.Series, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    r"""LQ against the publisher's region totals :math:`T_r`:
    :math:`LQ_{rp} = (X_{rp}/T_r) / (\sum_r \hat X_{rp} / \sum_r T_r)`. A suppressed cell's own
    LQ stays missing; in the reference sums :math:`\hat X` (``reference``, default ``X``) it
    counts at its estimate where one is given, else it is left out."""
    share = X.div(totals.reindex(X.index), axis=0)
    ref = (X if reference is None else reference.loc[X.index]).sum(axis=0) / totals.reindex(X.index).sum()
    return share.div(ref.where(ref > 0), axis=1)


def _countries(index) -> pd.Series:
    return region_parent_key(list(index), "country").fillna(pd.Series(list(index), index=list(index)).str[:2])


# 1. Profile ---------------------------------------------------------------------------------

def profile(ctx: Context) -> dict:
    """The region's structure by section (or A10 group) against its country and the reference set."""
    out = {"available": False, "structure": [], "structure_source": None, "gdp_per_head": [], "total_employment": None}
    broad, home, source = _broad(ctx)
    if broad is not None:
        country = _countries(broad.index)
        same = broad.loc[country == country.get(home)].sum(min_count=1)
        ref = broad.sum(min_count=1)
        own = broad.loc[home]
        rows = [{"activity": c, "employment": own[c], "share": own[c] / own.sum(min_count=1),
                 "share_country": same[c] / same.sum(), "share_reference": ref[c] / ref.sum()} for c in broad.columns]
        out.update(available=True, structure=_rows(pd.DataFrame(rows)), structure_source=source,
                   total_employment=finite(own.sum(min_count=1)))
    gdp = gdp_per_head(ctx, ctx.region.code if ctx.region.tier != "kommun" else "")
    if gdp is not None:
        out["gdp_per_head"] = _rows(gdp)
    return out


def _broad(ctx: Context):
    s = ctx.structure
    if s is not None and s.use.own:
        ctx.use(s.use.dataset, "profile")
        return s.broad, s.home, {"dataset": s.use.dataset, "year": s.year, "level": s.broad_level(),
                                 "n_regions": len(s.broad)}
    if ctx.series is not None:
        se = ctx.series
        ctx.use(se.use.dataset, "profile")
        last = se.years[-1]
        wide = se.panel.xs(last, level="year")
        from_level = "A10" if se.level == "A10" else "section"
        broad = wide if from_level == "A10" else to_sections(wide)
        return broad, se.home, {"dataset": se.use.dataset, "year": last, "level": from_level, "n_regions": 1}
    return None, None, None


# 2. Specialisations ---------------------------------------------------------------------------

def specialisations(ctx: Context, *, threshold: float, draws: int) -> dict:
    out = {"activities": None, "change": None}
    s = ctx.structure
    if s is not None:
        out["activities"] = _activities(ctx, s, threshold, draws)
    if ctx.series is not None:
        out["change"] = change(ctx, threshold)
    return out


#: Two-sided level of the LQ intervals.
ALPHA = 0.1


def _activities(ctx: Context, s: Table, threshold: float, draws: int) -> dict:
    ctx.use(s.use.dataset, "specialisations")
    X, r = s.matrix, s.home
    filled = s.reference()
    lq = location_quotients(X, s.totals, filled)
    country = _countries(X.index)
    same = country == country[r]
    lq_country = location_quotients(X.loc[same], s.totals, filled) if same.sum() > 1 else None
    known = X.columns[X.loc[r].notna()]
    ref_share = filled.sum(axis=0) / s.totals.sum()
    unit, unit_source = establishment_sizes(s, ctx.store)
    units = unit if np.ndim(unit) else pd.Series(unit, index=X.columns)
    stability = mt.specialisation_stability(X.loc[[r], known], threshold=threshold, draws=draws, method="establishments",
                                            unit=units[known], totals=X[known].sum(axis=0)).loc[r]
    low, high = lq_interval(X.loc[r].to_numpy(), s.totals[r], ref_share.to_numpy(), alpha=ALPHA,
                            unit=units.to_numpy())
    est, est_low, est_high, lq_est = _estimates_of(s, ref_share)
    rows = []
    for i, code in enumerate(X.columns):
        emp = X.at[r, code]
        if not (emp > 0) and not np.isnan(emp):
            continue
        st = stability.get(code, np.nan)
        value = lq.at[r, code]
        rows.append({"activity": code, "employment": emp, "lq": value, "lq_low": low[i], "lq_high": high[i],
                     "estimate": est[code], "estimate_low": est_low[code], "estimate_high": est_high[code],
                     "lq_estimate": lq_est[code],
                     "share_reference": ref_share[code],
                     "lq_country": None if lq_country is None else lq_country.at[r, code], "stability": st,
                     "specialised": None if np.isnan(value) else bool(value >= threshold),
                     "significant": None if np.isnan(value) else bool(low[i] >= threshold and emp >= MIN_STRENGTH),
                     "fragile": None if np.isnan(st) else bool(FRAGILE_BAND[0] < st < FRAGILE_BAND[1]),
                     "suppressed": bool(np.isnan(emp))})
    table = pd.DataFrame(rows).sort_values("lq", ascending=False, na_position="last")
    return {"region": r, "year": s.year, "level": s.level, "tier": s.use.tier, "dataset": s.use.dataset,
            "n_regions": len(X), "region_total": finite(s.totals[r]), "total_source": s.total_source,
            "hidden_share": s.hidden_share(), "rows": _rows(table), "n_suppressed": int(np.isnan(X.loc[r]).sum()),
            "strength_rule": {"min_employment": MIN_STRENGTH, "alpha": ALPHA, "unit_source": unit_source,
                              "unit_median": float(np.median(units))}}


def _estimates_of(s: Table, ref_share: pd.Series):
    """The home region's suppressed cells at their estimates, with their intervals and the
    LQ on the estimate against ``ref_share`` (NaN for cells published or not identified)."""
    nan = pd.Series(np.nan, index=s.matrix.columns)
    if s.estimates is None:
        return nan, nan, nan, nan
    r = s.home
    hidden = s.matrix.loc[r].isna()
    est = s.estimates.estimate.loc[r].where(hidden)
    lq = ((est / s.totals[r]) / ref_share.where(ref_share > 0)).where(s.identified().loc[r])
    return est, s.estimates.low.loc[r].where(hidden), s.estimates.high.loc[r].where(hidden), lq


def change(ctx: Context, threshold: float) -> dict:
    """Growth, LQ change and shift-share of the region against its country over the series."""
    se = ctx.series
    ctx.use(se.use.dataset, "specialisations")
    panel = se.panel.loc[se.panel.index.get_level_values("year").isin(se.years)]
    codes = [c for c in panel.columns if panel[c].notna().all()]
    panel = panel[codes]
    y0, y1 = se.years[0], se.years[-1]
    r, nat = se.home, se.country
    e0, e1 = panel.loc[(y0, r)], panel.loc[(y1, r)]
    n0, n1 = panel.loc[(y0, nat)], panel.loc[(y1, nat)]
    lq1 = (e1 / e1.sum()) / (n1 / n1.sum())
    lq0 = (e0 / e0.sum()) / (n0 / n0.sum())
    one = lambda e: pd.DataFrame([e.to_numpy()], index=[r], columns=codes)  # noqa: E731
    ss = mt.shift_share(one(e0), one(e1), reference0=n0, reference1=n1).set_index("activity")
    growth_nat = n1 / n0 - 1
    half = rounding_unit(panel) / 2
    breaks = series_breaks(panel.xs(r, level="region"))
    rows = []
    for code in codes:
        rows.append({"activity": code, "employment_start": e0[code], "employment": e1[code],
                     "growth": e1[code] / e0[code] - 1 if e0[code] else None, "growth_country": growth_nat[code],
                     "growth_low": (e1[code] - half) / (e0[code] + half) - 1 if e0[code] + half else None,
                     "growth_high": (e1[code] + half) / (e0[code] - half) - 1 if e0[code] > half else None,
                     "lq": lq1[code], "lq_start": lq0[code], "lq_change": lq1[code] - lq0[code],
                     "national_share": ss.at[code, "national_share"], "industry_mix": ss.at[code, "industry_mix"],
                     "competitive": ss.at[code, "competitive"], "competitive_uncertainty": 2 * half,
                     "breaks": breaks.get(code, [])})
    table = pd.DataFrame(rows)
    totals = {k: float(table[k].sum()) for k in ("national_share", "industry_mix", "competitive")}
    totals["change"] = float(e1.sum() - e0.sum())
    series = []
    for y in se.years:
        e, n = panel.loc[(y, r)], panel.loc[(y, nat)]
        share = (e / e.sum()) / (n / n.sum())
        series += [{"year": int(y), "activity": c, "lq": finite(share[c]), "employment": float(e[c])} for c in codes]
    return {"region": r, "reference": nat, "dataset": se.use.dataset, "level": se.level, "tier": se.use.tier,
            "period": [int(y0), int(y1)], "rows": _rows(table), "totals": totals, "lq_series": series,
            "rounding": 2 * half, "break_rule": BREAK_RATIO}


#: A year-on-year ratio beyond this (or below its inverse) is a break in the series, not growth.
BREAK_RATIO = 3.0


def rounding_unit(panel: pd.DataFrame) -> float:
    """The unit the series is published in: 1000 when every value is a whole thousand
    (Eurostat's regional accounts), else 1. Growth and shift-share carry ± half of it."""
    values = panel.to_numpy()
    values = values[np.isfinite(values) & (values != 0)]
    return 1000.0 if len(values) and np.all(np.mod(values, 1000) == 0) else 1.0


def series_breaks(own: pd.DataFrame, minimum: float = 50.0) -> dict[str, list[int]]:
    """Years in which an activity's employment jumps by more than :data:`BREAK_RATIO` times
    (or falls below its inverse) from the year before, where either year has at least
    ``minimum`` persons: a break to show (reclassification, a new register), not growth."""
    ratio = own / own.shift(1)
    big = (own >= minimum) | (own.shift(1) >= minimum)
    jumps = ((ratio > BREAK_RATIO) | (ratio < 1 / BREAK_RATIO)) & big
    return {c: [int(y) for y in jumps.index[jumps[c]]] for c in own.columns if jumps[c].any()}


# 3. Strength portfolio --------------------------------------------------------------------------

PORTFOLIO_RULES = {
    "established": "LQ ≥ 1 and LQ rising or stable over the period",
    "declining": "LQ ≥ 1 and LQ falling",
    "emerging": "LQ < 1 and LQ rising",
    "potential": "LQ < 1, not rising, and employment growing faster than in the country",
    "other": "LQ < 1, not rising, growing no faster than the country",
    "break": "the series breaks (a jump beyond ×3 or below ÷3 in one year): not classified",
}


def portfolio(ctx: Context, change_section: dict | None) -> dict:
    if change_section is None:
        return {"available": False, "reason": "no_series", "rules": PORTFOLIO_RULES}
    rows = []
    for row in change_section["rows"]:
        lq, d = row["lq"], row["lq_change"]
        g, gn = row["growth"], row["growth_country"]
        if row["breaks"]:
            cat = "break"
        elif lq >= 1:
            cat = "established" if d >= 0 else "declining"
        elif d > 0:
            cat = "emerging"
        elif g is not None and g > gn:
            cat = "potential"
        else:
            cat = "other"
        rows.append({**{k: row[k] for k in ("activity", "employment", "lq", "lq_change", "growth",
                                             "growth_country")}, "category": cat})
    return {"available": True, "level": change_section["level"], "period": change_section["period"],
            "rules": PORTFOLIO_RULES, "rows": rows}


# 4. Relatedness and opportunities ------------------------------------------------------------------

def relatedness(ctx: Context, *, threshold: float, weights, top: int = 12) -> dict:
    s = ctx.structure
    if s is None or s.level not in ADEQUATE:
        return {"available": False, "reason": "no_divisions"}, None
    ctx.use(s.use.dataset, "relatedness")
    r = s.home
    mats = space_matrices(s, threshold)
    M, phi, dens, pci, eci, cog, coi = (mats[k] for k in ("M", "phi", "density", "pci", "eci", "cog", "coi"))
    regions, acts = M.index, M.columns
    space_phi = phi
    used = bool(pci.notna().any())  # complexity steers the scores only where it passed the diagnostics
    if ctx.relatedness is not None:
        phi, dens, coi, cog = _external_relatedness(ctx, M, pci.fillna(0.0))
    scored = weights if used else (1.0, 0.0, 0.0)
    scores = mt.opportunity_scores(1 - dens, pci.fillna(0.0), cog, M, weights=scored)
    scores.loc[:, [a for a in acts if sections_of(a)[0] in NATURAL_RESOURCES]] = np.nan  # deposits, not capabilities
    quad = mt.opportunity_quadrants(dens.loc[[r]], pci, complexity_cut=0.0) if used else None
    m_r = M.loc[r]
    opp = []
    for code in scores.loc[r].dropna().sort_values(ascending=False).index[:top]:
        related = phi.loc[m_r[m_r == 1].index, code].sort_values(ascending=False).head(3)
        opp.append({"activity": code, "score": scores.at[r, code], "density": dens.at[r, code],
                    "pci": finite(pci[code]), "cog": finite(cog.at[r, code]) if used else None,
                    "quadrant": quad.at[r, code] if used else None, "employment": finite(s.matrix.at[r, code]),
                    "reasons": [{"activity": q, "proximity": float(v)} for q, v in related.items() if v > 0]})
    scatter = [{"activity": c, "density": float(dens.at[r, c]), "pci": finite(pci[c]),
                "specialised": bool(m_r[c]), "quadrant": quad.at[r, c] if used else None} for c in acts]
    key = f"{s.use.dataset}-v{s.use.slice.version}-{s.year}-{s.level}-{s.use.tier}-t{threshold:g}"
    space = industry_space(space_phi, key)
    nodes = [{"activity": c, "x": space["positions"][c][0], "y": space["positions"][c][1],
              "specialised": bool(m_r[c]), "pci": finite(pci[c]), "employment": finite(s.matrix.at[r, c])}
             for c in acts]
    country = _countries(regions)
    same = (country == country[r]).to_numpy()
    section = {
        "available": True, "region": r, "year": s.year, "level": s.level, "tier": s.use.tier,
        "n_regions": len(regions), "n_activities": len(acts),
        "complexity": complexity_section(mats["complexity"], r, same),
        "eci": float(eci[r]), "eci_rank": int((eci > eci[r]).sum() + 1),
        "eci_rank_country": int((eci[same] > eci[r]).sum() + 1), "n_regions_country": int(same.sum()),
        "coi": finite(coi[r]) if used else None, "diversity": int(m_r.sum()),
        "relatedness": ctx.relatedness_source or "proximity",
        "relatedness_info": ctx.relatedness.attrs.get("source") if ctx.relatedness is not None else None,
        "weights": weights if isinstance(weights, str) else list(weights),
        "weights_used": list(mt.PRESETS[weights] if isinstance(weights, str) and used else scored),
        "suppressed_cells_estimated": int(s.matrix.isna().sum().sum()) - s.unestimated(),
        "suppressed_cells_as_zero": s.unestimated(),
        "opportunities": _rows(pd.DataFrame(opp)) if opp else [], "scatter": scatter,
        "space": {"nodes": nodes, "edges": space["edges"]},
        "pci": [{"activity": c, "pci": finite(pci[c])} for c in acts],
    }
    return section, {"M": M, "phi": phi, "density": dens, "pci": pci}


def complexity_section(reading: dict, r: str, same) -> dict:
    """The complexity reading in the result: the measure that passed (or None), the region's
    value and rank by it, and each candidate's diagnostics (codes and numbers only)."""
    values = reading["region_values"]
    ranked = values.notna()
    value = values.get(r, np.nan)
    out = {"measure": reading["measure"], "activity_validated": reading["activity_validated"],
           "checked_against": reading["checked_against"], "excluded_sections": reading["excluded_sections"],
           "value": finite(value), "rank": None, "rank_country": None, "n_ranked": int(ranked.sum()),
           "candidates": {name: _diagnostics(d) for name, d in reading["diagnostics"].items()}}
    if np.isfinite(value):
        out["rank"] = int((values > value).sum() + 1)
        out["rank_country"] = int((values[same] > value).sum() + 1)
    return out


def _diagnostics(d: dict) -> dict:
    def rho(key):
        test = d.get(key) or {}
        return finite(test.get("rho")), finite(test.get("p")), test.get("n")

    rd, pd_, nd = rho("diversity")
    rg, pg, ng = rho("gdp_per_head")
    ra, pa, _ = rho("activity_income")
    spectrum = d.get("spectrum") or {}
    return {"rho_diversity": rd, "rho_gdp": rg, "p_gdp": pg, "n_gdp": ng, "rho_activity_income": ra,
            "p_activity_income": pa, "eigengap": finite(spectrum.get("eigengap")),
            "top_regions": list(d.get("top_regions", [])), "bottom_regions": list(d.get("bottom_regions", [])),
            "top_activities": list(d.get("top_activities", [])),
            "bottom_activities": list(d.get("bottom_activities", []))}


def _external_relatedness(ctx: Context, M: pd.DataFrame, pci: pd.Series):
    """Density and outlook under an external relatedness (negative values clipped to 0;
    activities it lacks are related to nothing but themselves, and noted)."""
    acts = list(M.columns)
    ext = ctx.relatedness
    lacking = [a for a in acts if a not in ext.index]
    if lacking:
        ctx.note("relatedness", "external_lacks", activities=lacking)
    phi = ext.reindex(index=acts, columns=acts).fillna(0.0).clip(lower=0.0)
    values = phi.to_numpy(copy=True)
    np.fill_diagonal(values, 1.0)
    phi = pd.DataFrame(values, index=acts, columns=acts)
    dens = mt.relatedness_density(M, phi)
    coi, cog = mt.complexity_outlook(M, phi, pci, density=dens)
    return phi, dens, pd.Series(np.asarray(coi), index=M.index), pd.DataFrame(np.asarray(cog), index=M.index,
                                                                               columns=acts)


# 5. Outside world ----------------------------------------------------------------------------

def outside(ctx: Context, mats: dict | None, *, peers: int, compare_with=None) -> dict:
    """Benchmark regions (structural similarity on the section mix and size) and partner
    regions (similar and complementary specialisations) among the reference set."""
    out = {"peers": [], "partners": [], "variables": [], "map": None, "available": False}
    s = ctx.structure
    if s is None or len(s.broad) < 3:
        return out
    feats, weights = peer_features(s)
    found = mt.structural_similarity(feats, s.home, weights=weights, k=min(peers, len(feats) - 1))
    chosen = [resolve_region(c).code for c in (compare_with or [])]
    missing = [c for c in chosen if c not in feats.index]
    if missing:
        ctx.note("outside", "not_in_reference", regions=missing, dataset=s.use.dataset)
    for c in chosen:
        if c not in found.index and c in feats.index:
            extra = mt.structural_similarity(feats, s.home, k=len(feats) - 1)
            found = pd.concat([found, extra.loc[[c]]])
    found = found.assign(name=[region_label(c) for c in found.index], chosen=[c in chosen for c in found.index])
    ctx.use(s.use.dataset, "outside")
    out.update(peers=_rows(found.reset_index(names="region")), home=s.home, map=s.use.tier, available=True,
               peer_pool={"dataset": s.use.dataset, "tier": s.use.tier, "n_regions": len(feats)},
               variables=[{"name": c, "weight": round(float(weights[c]), 4),
                           "source": "lau_nuts_2019" if c in SETTLEMENT else s.use.dataset} for c in feats.columns])
    if mats is not None:
        rca = mt.location_quotient(s.filled())
        scores = mt.partner_scores(rca, mats["phi"], s.home, threshold=1.0)
        partners = []
        for reg, row in scores.head(peers).iterrows():
            partners.append({"region": reg, "name": region_label(reg), "score": row.score, "similarity": row.similarity,
                             "complementarity": row.complementarity,
                             "shared": [x for x in row.shared.split(", ") if x],
                             "complementary": [x for x in row.complementary.split(", ") if x]})
        out["partners"] = _rows(pd.DataFrame(partners))
    return out


#: Settlement variables of the peer comparison (from the municipalities' degree of urbanisation).
SETTLEMENT = ("log_density", "city_share")


def peer_features(s: Table) -> tuple[pd.DataFrame, pd.Series]:
    """See :func:`_peer_features`; computed once per table (all its regions share them)."""
    key = (s.key, len(s.broad))
    if key not in _FEATURES:
        _FEATURES.clear()
        _FEATURES[key] = _peer_features(s)
    return _FEATURES[key]


_FEATURES: dict[tuple, tuple] = {}


def _peer_features(s: Table) -> tuple[pd.DataFrame, pd.Series]:
    """The variables peers are compared on, in three blocks of equal weight: the economy's
    structure (section shares), its size (log employment) and its settlement structure
    (log population density and the share of people in cities), so that a small rural
    region is not paired with a capital city however alike their sector mix."""
    shares = s.broad.div(s.broad.sum(axis=1, min_count=1), axis=0).add_prefix("share_")
    place = settlement(shares.index)
    feats = shares.assign(log_employment=np.log(s.totals.reindex(shares.index)),
                          log_density=np.log(place["density"]), city_share=place["city_share"])
    feats = feats[np.isfinite(feats["log_employment"])]
    n = shares.shape[1]
    weights = pd.Series({**{c: 1.0 / n for c in shares.columns}, "log_employment": 1.0,
                         "log_density": 0.5, "city_share": 0.5})
    return feats, weights


# 6. Declared priorities against the evidence -----------------------------------------------------

def home_lan(ctx: Context) -> list[str]:
    """The NUTS 3 (län) codes whose declared areas are the region's own."""
    region = ctx.region
    if region.tier == "kommun":
        return [region.nuts3]
    if region.tier == "fa":
        return sorted({k.nuts3 for k in map(resolve_region, regions_within(region.code, "kommun"))})
    if region.tier == "nuts3":
        return [region.code]
    return [c for c in prio.declared_areas()["nuts3"].unique() if c.startswith(region.code)]


def declared_priorities(ctx: Context, mats: dict | None, outside_world: dict) -> dict:
    if ctx.region.country != "SE":
        return {"available": False, "reason": "not_swedish"}
    own = home_lan(ctx)
    areas = prio.declared_areas()
    home = areas[areas["nuts3"].isin(own)]
    others = areas[~areas["nuts3"].isin(own)]
    rows = []
    s = ctx.structure
    for a in home.itertuples():
        match = match_area(a.area_sv, a.area_en)
        nace = sorted(c["code"] for c in match["codes"])
        evidence = None
        if s is not None and nace:
            evidence = area_evidence(s, [(c, 1.0) for c in nace], series=ctx.series,
                                     **({} if mats is None else {"density": mats["density"], "pci": mats["pci"],
                                                                 "M": mats["M"]}))
        rows.append({"region": a.region, "nuts3": a.nuts3, "strategy": a.strategy, "period": a.period,
                     "area_sv": a.area_sv, "area_en": a.area_en, "kind": a.area_kind, "source_url": a.source_url,
                     "source_date": a.source_date, "confidence": a.confidence, "nace_suggested": nace,
                     "nace_reasons": [{"code": c["code"], "source": c["source"], "matched_terms": c["matched_terms"],
                                       "score": round(float(c["score"]), 4)} for c in match["codes"]],
                     "horizontal": match["horizontal"], "themes": match["themes"],
                     "evidence": evidence, "verdict": verdict(evidence, bool(nace))})
    similar = prio.similar_areas(home, others)
    partner_codes = {p["region"] for p in outside_world.get("partners", [])}
    similar["partner"] = similar["nuts3"].str[:4].isin(partner_codes)
    listed = set(areas["nuts3"])
    return {"available": True, "areas": rows, "similar_elsewhere": _rows(similar),
            "not_listed": sorted(c for c in own if c not in listed),
            "source": "sweden/s3_priority_areas.csv (regions' own pages and strategies, Tillväxtverket, EU S3 Platform)"}
