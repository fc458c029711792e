"""The sections of a regional analysis. Each returns plain JSON-ready dicts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from smartspec import metrics as mt
from smartspec.analysis import priorities as prio
from smartspec.analysis.context import (INDICATORS, NAMA, SBS, Context, finite, gdp_per_head, population_2014,
                                        sbs_filled)
from smartspec.analysis.space import industry_space
from smartspec.data.classifications.nace import A10
from smartspec.data.classifications.regions import resolve_region

FRAGILE_BAND = (0.1, 0.9)  # a binary call that holds in fewer than 90 % of resampled draws is fragile


def _rows(frame: pd.DataFrame) -> list[dict]:
    out = []
    for rec in frame.to_dict(orient="records"):
        out.append({k: (finite(v) if isinstance(v, (float, np.floating)) else
                        int(v) if isinstance(v, (np.integer,)) else bool(v) if isinstance(v, np.bool_) else v)
                    for k, v in rec.items()})
    return out


def region_label(code: str) -> str:
    """The region's name in Latin script (NUTS names some regions in Greek or Cyrillic)."""
    from smartspec.data.classifications.nuts import nuts_regions

    for version in (2024, 2021, 2016, 2013):
        table = nuts_regions(version).set_index("code")
        if code in table.index:
            return str(table.at[code, "name_latin"])
    return code


# 1. Profile ---------------------------------------------------------------------------------

def profile(ctx: Context) -> dict:
    out = {"available": True, "structure": [], "structure_source": None, "gdp_per_head": [], "total_employment": None}
    if ctx.a10_region:
        last = int(ctx.a10.index.get_level_values("year").max())
        ctx.use(NAMA, "profile")
        yearly = ctx.a10.xs(last, level="year")
        from smartspec import data

        countries = data.load(NAMA, regions=["SE", "EU27_2020"], years=[last], activities=list(A10))
        europe = countries[countries.region == "EU27_2020"].set_index("activity")["value"]
        rows = []
        own, nat = yearly.loc[ctx.a10_region, list(A10)], yearly.loc["SE", list(A10)]
        for code in A10:
            rows.append({"activity": code, "name": ctx.name(code), "employment": own[code],
                         "share": own[code] / own.sum(), "share_country": nat[code] / nat.sum(),
                         "share_europe": finite(europe.get(code, np.nan) / europe.reindex(list(A10)).sum())})
        out.update(structure=_rows(pd.DataFrame(rows)), structure_source={"dataset": NAMA, "year": last, "level": "A10"},
                   total_employment=float(own.sum()))
    elif ctx.division_region:
        ctx.use(SBS, "profile")
        own = ctx.sbs_sections.loc[ctx.division_region]
        country = ctx.sbs_countries.loc[ctx.division_region[:2]] if ctx.division_region[:2] in ctx.sbs_countries.index else None
        europe = ctx.sbs_countries.sum(min_count=1)
        rows = [{"activity": c, "name": ctx.name(c), "employment": own[c],
                 "share": own[c] / own.sum(min_count=1),
                 "share_country": None if country is None else country[c] / country.sum(),
                 "share_europe": europe[c] / europe.sum()} for c in own.index]
        out.update(structure=_rows(pd.DataFrame(rows)),
                   structure_source={"dataset": SBS, "year": ctx.sbs_year, "level": "section (business economy B–N, without K)"},
                   total_employment=finite(own.sum(min_count=1)))
    gdp = gdp_per_head(ctx)
    if gdp is not None:
        out["gdp_per_head"] = _rows(gdp)
    return out


# 2. Specialisations ---------------------------------------------------------------------------

def specialisations(ctx: Context, *, threshold: float, draws: int) -> dict:
    out = {"divisions": None, "a10": None}
    if ctx.division_region:
        ctx.use(SBS, "specialisations")
        X = ctx.sbs
        r = ctx.division_region
        lq_eu = mt.location_quotient(X, missing="ignore")
        same_country = X.index.str[:2] == r[:2]
        lq_country = mt.location_quotient(X.loc[same_country], missing="ignore")
        known = X.columns[X.loc[r].notna()]
        totals = X[known].sum(axis=0)
        europe_share = X.sum(axis=0) / X.sum().sum()
        stability = mt.specialisation_stability(X.loc[[r], known], threshold=threshold, draws=draws,
                                                totals=totals).loc[r]
        rows = []
        for code in X.columns:
            emp = X.at[r, code]
            if not (emp > 0) and not np.isnan(emp):
                continue
            st = stability.get(code, np.nan)
            lq = lq_eu.at[r, code]
            rows.append({"activity": code, "name": ctx.name(code), "employment": emp, "lq": lq,
                         "share_europe": europe_share[code], "region_total": X.loc[r].sum(),
                         "lq_country": lq_country.at[r, code], "stability": st,
                         "specialised": None if np.isnan(lq) else bool(lq >= threshold),
                         "fragile": None if np.isnan(st) else bool(FRAGILE_BAND[0] < st < FRAGILE_BAND[1]),
                         "suppressed": bool(np.isnan(emp))})
        table = pd.DataFrame(rows).sort_values("lq", ascending=False, na_position="last")
        out["divisions"] = {"region": r, "year": ctx.sbs_year, "reference": "europe", "rows": _rows(table),
                            "n_suppressed": int(np.isnan(X.loc[r]).sum())}
    if ctx.a10_region:
        out["a10"] = a10_change(ctx, threshold)
    return out


def a10_change(ctx: Context, threshold: float) -> dict:
    ctx.use(NAMA, "specialisations")
    a10 = ctx.a10[list(A10)]
    years = sorted(a10.index.get_level_values("year").unique())
    y0, y1 = years[0], years[-1]
    r = ctx.a10_region
    nat = "SE"
    e0, e1 = a10.loc[(y0, r)], a10.loc[(y1, r)]
    n0, n1 = a10.loc[(y0, nat)], a10.loc[(y1, nat)]
    swedish = [c for c in a10.xs(y1, level="year").index if c.startswith("SE") and len(c) == len(r)]
    if r == nat:
        swedish = [nat]
    ref1 = a10.xs(y1, level="year").loc[swedish] if len(swedish) > 1 else None
    lq1 = (e1 / e1.sum()) / (n1 / n1.sum())
    lq0 = (e0 / e0.sum()) / (n0 / n0.sum())
    one = lambda e: pd.DataFrame([e.to_numpy()], index=[r], columns=list(A10))  # noqa: E731
    ss = mt.shift_share(one(e0), one(e1), reference0=n0, reference1=n1)
    ss = ss.set_index("activity")
    growth_nat = n1 / n0 - 1
    rows = []
    for code in A10:
        rows.append({"activity": code, "name": ctx.name(code), "employment_start": e0[code], "employment": e1[code],
                     "growth": e1[code] / e0[code] - 1 if e0[code] else None, "growth_country": growth_nat[code],
                     "lq": lq1[code], "lq_start": lq0[code], "lq_change": lq1[code] - lq0[code],
                     "national_share": ss.at[code, "national_share"], "industry_mix": ss.at[code, "industry_mix"],
                     "competitive": ss.at[code, "competitive"]})
    table = pd.DataFrame(rows)
    totals = {k: float(table[k].sum()) for k in ("national_share", "industry_mix", "competitive")}
    totals["change"] = float(e1.sum() - e0.sum())
    series = []
    for y in years:
        e, n = a10.loc[(y, r)], a10.loc[(y, nat)]
        for code in A10:
            series.append({"year": int(y), "activity": code, "lq": float((e[code] / e.sum()) / (n[code] / n.sum())),
                           "employment": float(e[code])})
    return {"region": r, "reference": nat, "period": [int(y0), int(y1)], "rows": _rows(table), "totals": totals,
            "lq_series": series, "peer_regions": len(swedish) if ref1 is not None else 1}


# 3. Strength portfolio --------------------------------------------------------------------------

PORTFOLIO_RULES = {
    "established": "LQ ≥ 1 and LQ rising or stable over the period",
    "declining": "LQ ≥ 1 and LQ falling",
    "emerging": "LQ < 1 and LQ rising",
    "potential": "LQ < 1, not rising, and employment growing faster than in the country",
    "other": "LQ < 1, not rising, growing no faster than the country",
}


def portfolio(ctx: Context, change: dict | None) -> dict:
    if change is None:
        return {"available": False, "reason": "no_series", "rules": PORTFOLIO_RULES}
    rows = []
    for row in change["rows"]:
        lq, d = row["lq"], row["lq_change"]
        g, gn = row["growth"], row["growth_country"]
        if lq >= 1:
            cat = "established" if d >= 0 else "declining"
        elif d > 0:
            cat = "emerging"
        elif g is not None and g > gn:
            cat = "potential"
        else:
            cat = "other"
        rows.append({**{k: row[k] for k in ("activity", "name", "employment", "lq", "lq_change", "growth",
                                             "growth_country")}, "category": cat})
    return {"available": True, "level": "A10", "period": change["period"], "rules": PORTFOLIO_RULES, "rows": rows}


# 4. Relatedness and opportunities ------------------------------------------------------------------

def relatedness(ctx: Context, *, threshold: float, weights, top: int = 12) -> dict:
    if not ctx.division_region:
        return {"available": False, "reason": "no_divisions"}
    ctx.use(SBS, "relatedness")
    X = sbs_filled(ctx)
    r = ctx.division_region
    suite = mt.complexity_suite(X.to_numpy(), threshold=threshold)
    regions, acts = X.index, X.columns
    M = pd.DataFrame(suite["M"], index=regions, columns=acts)
    phi = pd.DataFrame(suite["proximity"], index=acts, columns=acts)
    dens = pd.DataFrame(suite["density"], index=regions, columns=acts)
    pci = pd.Series(suite["pci"], index=acts)
    eci = pd.Series(suite["eci"], index=regions)
    cog = pd.DataFrame(suite["cog"], index=regions, columns=acts)
    coi = pd.Series(suite["coi"], index=regions)
    space_phi = phi
    if ctx.relatedness is not None:
        phi, dens, coi, cog = _external_relatedness(ctx, M, pci)
    dist = 1 - dens
    scores = mt.opportunity_scores(dist, pci, cog, M, weights=weights)
    quad = mt.opportunity_quadrants(dens.loc[[r]], pci, complexity_cut=0.0)
    m_r = M.loc[r]
    opp = []
    for code in scores.loc[r].dropna().sort_values(ascending=False).index[:top]:
        related = phi.loc[m_r[m_r == 1].index, code].sort_values(ascending=False).head(3)
        opp.append({"activity": code, "name": ctx.name(code), "score": scores.at[r, code], "density": dens.at[r, code],
                    "pci": pci[code], "cog": cog.at[r, code], "quadrant": quad.at[r, code],
                    "employment": finite(ctx.sbs.at[r, code]),
                    "reasons": [{"activity": q, "name": ctx.name(q), "proximity": float(v)} for q, v in related.items() if v > 0]})
    scatter = [{"activity": c, "name": ctx.name(c), "density": float(dens.at[r, c]), "pci": float(pci[c]),
                "specialised": bool(m_r[c]), "quadrant": quad.at[r, c]} for c in acts]
    space = industry_space(space_phi, f"{SBS}-{ctx.sbs_year}-division-t{threshold:g}")
    nodes = [{"activity": c, "name": ctx.name(c), "x": space["positions"][c][0], "y": space["positions"][c][1],
              "specialised": bool(m_r[c]), "pci": float(pci[c]), "employment": finite(ctx.sbs.at[r, c])} for c in acts]
    same = regions.str[:2] == r[:2]
    return {
        "available": True, "region": r, "year": ctx.sbs_year, "n_regions": len(regions), "n_activities": len(acts),
        "eci": float(eci[r]), "eci_rank": int((eci > eci[r]).sum() + 1),
        "eci_rank_country": int((eci[same] > eci[r]).sum() + 1), "n_regions_country": int(same.sum()),
        "coi": float(coi[r]), "diversity": int(m_r.sum()), "relatedness": ctx.relatedness_source or "proximity",
        "relatedness_info": ctx.relatedness.attrs.get("source") if ctx.relatedness is not None else None,
        "weights": weights if isinstance(weights, str) else list(weights),
        "suppressed_cells_as_zero": int(ctx.sbs.isna().sum().sum()),
        "opportunities": _rows(pd.DataFrame(opp)) if opp else [], "scatter": scatter,
        "space": {"nodes": nodes, "edges": space["edges"]},
        "pci": [{"activity": c, "name": ctx.name(c), "pci": float(pci[c])} for c in acts],
        "_matrices": {"M": M, "phi": phi, "density": dens, "pci": pci},
    }


def _external_relatedness(ctx: Context, M: pd.DataFrame, pci: pd.Series):
    """Density and outlook under an external relatedness (negative values clipped to 0;
    divisions it lacks are related to nothing but themselves, and noted)."""
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

def outside(ctx: Context, rel: dict, *, peers: int, compare_with=None) -> dict:
    out = {"peers": [], "partners": [], "variables": [], "map": None}
    code = ctx.region.code
    if ctx.region.level == 3 and ctx.a10_region:
        feats, variables, pool = _lan_features(ctx)
        out["map"] = "lan"
    elif ctx.division_region:
        feats, variables, pool = _nuts2_features(ctx)
        code = ctx.division_region
        out["map"] = "nuts2"
    else:
        return {**out, "available": False}
    found = mt.structural_similarity(feats, code, k=peers)
    chosen = [resolve_region(c).code for c in (compare_with or [])]
    for c in chosen:
        if c not in found.index and c in feats.index:
            extra = mt.structural_similarity(feats, code, k=len(feats))
            found = pd.concat([found, extra.loc[[c]]])
    found = found.assign(name=[region_label(c) for c in found.index], chosen=[c in chosen for c in found.index])
    out["peers"] = _rows(found.reset_index(names="region"))
    out["peer_pool"] = pool
    out["variables"] = variables
    out["home"] = code
    if rel.get("available"):
        mats = rel["_matrices"]
        rca = mt.location_quotient(sbs_filled(ctx))
        scores = mt.partner_scores(rca, mats["phi"], ctx.division_region, threshold=1.0)
        top = scores.head(peers)
        partners = []
        for reg, row in top.iterrows():
            partners.append({"region": reg, "name": region_label(reg), "score": row.score, "similarity": row.similarity,
                             "complementarity": row.complementarity,
                             "shared": [s for s in row.shared.split(", ") if s],
                             "complementary": [s for s in row.complementary.split(", ") if s]})
        out["partners"] = _rows(pd.DataFrame(partners))
    out["available"] = True
    return out


def _nuts2_features(ctx: Context):
    ctx.use(INDICATORS, "outside")
    shares = ctx.sbs_sections.div(ctx.sbs_sections.sum(axis=1, min_count=1), axis=0)
    pop = np.log(population_2014(ctx)).rename("log_population")
    feats = shares.join(pop, how="inner")
    n = shares.shape[1]
    feats = feats[feats["log_population"].notna()]
    variables = [{"name": "log_population", "weight": 1.0, "source": INDICATORS}] + \
        [{"name": f"share_{c}", "weight": 1.0 / n * n, "source": SBS} for c in shares.columns]
    feats.columns = ["share_" + c if c != "log_population" else c for c in feats.columns]
    return feats, variables, "NUTS 2 regions of Europe in both tables"


def _lan_features(ctx: Context):
    last = int(ctx.a10.index.get_level_values("year").max())
    yearly = ctx.a10.xs(last, level="year")
    lan = yearly.loc[[c for c in yearly.index if c.startswith("SE") and len(c) == 5], list(A10)]
    shares = lan.div(lan.sum(axis=1), axis=0).add_prefix("share_")
    feats = shares.assign(log_employment=np.log(lan.sum(axis=1)))
    variables = [{"name": c, "weight": 1.0, "source": NAMA} for c in feats.columns]
    return feats, variables, f"Sweden's 21 län (A10 structure {last})"


# 6. Declared priorities against the evidence -----------------------------------------------------

def declared_priorities(ctx: Context, rel: dict, outside_world: dict) -> dict:
    code = ctx.region.code
    if not code.startswith("SE"):
        return {"available": False, "reason": "not_swedish"}
    if ctx.region.level == 3:
        own = [code]
    else:
        own = [c for c in prio.declared_areas()["nuts3"].unique() if c.startswith(code)]
    areas = prio.declared_areas()
    home = areas[areas["nuts3"].isin(own)]
    others = areas[~areas["nuts3"].isin(own)]
    rows = []
    mats = rel.get("_matrices") if rel.get("available") else None
    for a in home.itertuples():
        nace = prio.suggested_nace(a.area_sv, a.area_en)
        evidence = _area_evidence(ctx, mats, nace) if mats is not None and nace else None
        rows.append({"region": a.region, "nuts3": a.nuts3, "strategy": a.strategy, "period": a.period,
                     "area_sv": a.area_sv, "area_en": a.area_en, "kind": a.area_kind, "source_url": a.source_url,
                     "source_date": a.source_date, "confidence": a.confidence, "nace_suggested": nace,
                     "evidence": evidence, "verdict": _verdict(evidence, nace)})
    similar = prio.similar_areas(home, others)
    partner_codes = {p["region"] for p in outside_world.get("partners", [])}
    similar["partner"] = similar["nuts3"].str[:4].isin(partner_codes)
    return {"available": True, "areas": rows, "similar_elsewhere": _rows(similar),
            "source": "sweden/s3_priority_areas.csv (regions' own pages and strategies, Tillväxtverket, EU S3 Platform)"}


def _area_evidence(ctx: Context, mats: dict, nace: list[str]) -> dict | None:
    r = ctx.division_region
    codes = [c for c in nace if c in mats["M"].columns]
    if not codes:
        return None
    X = ctx.sbs
    emp = X.loc[r, codes]
    europe = X[codes].sum().sum()
    share_r = emp.sum() / X.loc[r].sum()
    share_eu = europe / X.sum().sum()
    dens = mats["density"].loc[r, codes]
    return {"divisions": codes, "employment": finite(emp.sum(min_count=1)),
            "lq": finite(share_r / share_eu) if share_eu else None,
            "specialised_in": [c for c in codes if mats["M"].at[r, c] == 1],
            "density": float(dens.mean()), "density_median": float(mats["density"].loc[r].median()),
            "pci_max": float(mats["pci"][codes].max()), "suppressed": [c for c in codes if np.isnan(X.at[r, c])]}


def _verdict(evidence: dict | None, nace: list[str]) -> str:
    if not nace:
        return "no_nace"
    if evidence is None:
        return "no_data"
    if evidence["lq"] is not None and evidence["lq"] >= 1:
        return "strength"
    if evidence["specialised_in"]:
        return "partial"
    if evidence["density"] >= evidence["density_median"]:
        return "potential"
    return "weak"
