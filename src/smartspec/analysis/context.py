"""What data cover a region, loaded once per analysis."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smartspec import data
from smartspec.data.classifications import Region, activity_name, resolve_region
from smartspec.data.classifications.nace import A10
from smartspec.data.classifications.nuts import nuts_level
from smartspec.errors import SmartspecError

SBS = "sbs_r_nuts06_r2"
NAMA = "nama_10r_3empers"
GDP = "nama_10r_3gdp"
INDICATORS = "nuts2_indicators"
KNOWN_DATASETS = (SBS, NAMA, GDP, INDICATORS)


class CoverageError(SmartspecError):
    """The chosen data do not cover the region."""


@dataclass
class Context:
    region: Region
    lang: str
    datasets: tuple[str, ...]
    notes: list[dict] = field(default_factory=list)
    used: dict[str, set] = field(default_factory=dict)
    sbs: pd.DataFrame | None = None  # NUTS2 × division, one year, suppressed = NaN
    sbs_sections: pd.DataFrame | None = None
    sbs_countries: pd.DataFrame | None = None
    sbs_year: int | None = None
    division_region: str | None = None  # the NUTS2 region used for division-level sections
    a10: pd.DataFrame | None = None  # (year, region) × A10, persons
    a10_region: str | None = None
    relatedness: pd.DataFrame | None = None  # an external division × division relatedness (None: proximity)
    relatedness_source: str | None = None

    def name(self, code: str) -> str:
        return activity_name(code, self.lang)

    def use(self, dataset: str, purpose: str) -> None:
        self.used.setdefault(dataset, set()).add(purpose)

    def note(self, section: str, key: str, **values) -> None:
        self.notes.append({"section": section, "key": key, **values})


def build_context(region_query: str, *, datasets=None, year=None, lang="en") -> Context:
    region = resolve_region(region_query)
    if region.kind == "kommun":
        raise CoverageError(f"{region.code} {region.name} is a kommun; the mirror's datasets start at län level. "
                            f"Analyse its län instead: smartspec analyse {region.nuts3}")
    chosen = tuple(datasets) if datasets else KNOWN_DATASETS
    unknown = [d for d in chosen if d not in KNOWN_DATASETS]
    if unknown:
        raise CoverageError(f"the analysis knows the datasets {list(KNOWN_DATASETS)}, not {unknown}")
    ctx = Context(region=region, lang=lang, datasets=chosen)
    if SBS in chosen:
        _load_sbs(ctx, year)
    if NAMA in chosen:
        _load_a10(ctx, year)
    if ctx.division_region is None and ctx.a10_region is None:
        covered = ", ".join(chosen)
        raise CoverageError(f"no dataset among {covered} covers {region.code} ({region.name}): the SBS table covers "
                            "European NUTS 2 regions (and their NUTS 3 regions through them); the A10 employment "
                            "series covers Sweden's regions")
    return ctx


def _load_sbs(ctx: Context, year) -> None:
    sbs_year = year or 2014
    frame = data.load(SBS, years=[sbs_year])
    if frame.empty:
        raise CoverageError(f"{SBS} has no data for {sbs_year} (it covers 2014)")
    wide = frame.pivot_table(index="region", columns="activity", values="value", aggfunc="first", dropna=False)
    act_level = pd.Series({c: ("division" if len(c) == 2 and c.isdigit() else "section" if len(c) == 1 else "group")
                           for c in wide.columns})
    nuts2 = wide.loc[[r for r in wide.index if nuts_level(r) == 2 and not r.endswith("ZZ")]]
    div = nuts2.loc[:, act_level[act_level == "division"].index]
    div = div.loc[div.fillna(0).sum(axis=1) > 0]
    ctx.sbs = div.sort_index()
    ctx.sbs_sections = nuts2.loc[div.index, act_level[act_level == "section"].index]
    countries = wide.loc[[r for r in wide.index if nuts_level(r) == 0]]
    ctx.sbs_countries = countries.loc[:, act_level[act_level == "section"].index]
    ctx.sbs_year = sbs_year
    code = ctx.region.code
    candidate = code if ctx.region.level == 2 else code[:4] if ctx.region.level == 3 else None
    if candidate and candidate in ctx.sbs.index:
        ctx.division_region = candidate
        if candidate != code:
            ctx.note("relatedness", "parent_region", region=code, parent=candidate)
    elif candidate:
        ctx.note("relatedness", "not_covered", dataset=SBS, region=candidate)
    else:
        ctx.note("relatedness", "too_coarse", dataset=SBS, level=ctx.region.level)


def _load_a10(ctx: Context, year) -> None:
    frame = data.load(NAMA)
    frame = frame[frame["activity"].isin(A10 + ("TOTAL",)) & frame["value"].notna()]
    if ctx.region.code not in set(frame["region"]):
        ctx.note("specialisations", "no_series", dataset=NAMA, region=ctx.region.code)
        return
    last = year if year and year in set(frame["year"]) else None
    wide = frame.pivot_table(index=["year", "region"], columns="activity", values="value", aggfunc="first")
    # keep years in which the region has every A10 group (2018 has totals only)
    complete = wide.xs(ctx.region.code, level="region")[list(A10)].notna().all(axis=1)
    years = sorted(y for y, ok in complete.items() if ok and (last is None or y <= last))
    ctx.a10 = wide.loc[wide.index.get_level_values("year").isin(years)]
    ctx.a10_region = ctx.region.code


def sbs_filled(ctx: Context) -> pd.DataFrame:
    """The Europe-wide division matrix with suppressed cells counted as 0 — used only
    where a method needs a complete matrix (co-occurrence network); stated in the report."""
    return ctx.sbs.fillna(0.0)


def gdp_per_head(ctx: Context) -> pd.DataFrame | None:
    """GDP per head (EUR) of the region and a comparison series, by year."""
    code = ctx.region.code
    if GDP in ctx.datasets and code.startswith("SE"):
        g = data.load(GDP, regions=[code, "SE"], measures=["GDP"])
        g = g[g["unit"] == "EUR_HAB"]
        if not g.empty:
            ctx.use(GDP, "profile")
            wide = g.pivot_table(index="year", columns="region", values="value")
            return pd.DataFrame({"year": wide.index, "region": wide.get(code), "comparison": wide.get("SE"),
                                 "comparison_label": "Sverige" if ctx.lang == "sv" else "Sweden"}).reset_index(drop=True)
    if INDICATORS in ctx.datasets and ctx.region.level == 2:
        ind = data.load(INDICATORS, measures=["region_gdp", "region_population"])
        wide = ind.pivot_table(index=["year", "region"], columns="measure", values="value").dropna()
        per_head = (wide["region_gdp"] * 1e6 / wide["region_population"]).rename("v").reset_index()
        if code in set(per_head["region"]):
            ctx.use(INDICATORS, "profile")
            median = per_head.groupby("year")["v"].median()
            own = per_head[per_head["region"] == code].set_index("year")["v"]
            return pd.DataFrame({"year": own.index, "region": own.values, "comparison": median.reindex(own.index).values,
                                 "comparison_label": "NUTS 2-median" if ctx.lang == "sv" else "NUTS 2 median"})
    return None


def population_2014(ctx: Context) -> pd.Series:
    """Population of NUTS2 regions (latest year up to 2014), for structural similarity."""
    ind = data.load(INDICATORS, measures=["region_population"])
    ind = ind[ind["year"] <= max(2014, ctx.sbs_year or 2014)].dropna(subset=["value"])
    latest = ind.sort_values("year").groupby("region").last()["value"]
    return latest


def finite(x) -> float | None:
    """A JSON-safe float (None for NaN)."""
    return None if x is None or (isinstance(x, float) and not np.isfinite(x)) or pd.isna(x) else float(x)
