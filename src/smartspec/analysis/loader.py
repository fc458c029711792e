"""The data loader: the chosen datasets as region × activity matrices at the data's own
regional tier and activity level, with the publisher's totals, loaded once per analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from smartspec import data
from smartspec.analysis.choice import (
    LEVEL_ORDER,
    CoverageError,
    Use,
    choose,
    main_slice,
)
from smartspec.data.cache import keyed_cached
from smartspec.data.classifications import Region, activity_name, resolve_region
from smartspec.data.classifications.nace import (
    A10,
    REV2,
    activity_level,
    ancestor_at,
    sections_of,
)
from smartspec.data.classifications.nuts import recode_nuts
from smartspec.data.classifications.regions import (
    canonical_region,
    region_parent_key,
    region_tier,
)
from smartspec.data.store import Store
from smartspec.errors import SmartspecError
from smartspec.metrics.robustness import DEFAULT_UNIT
from smartspec.metrics.suppression import (
    Suppressed,
    area_consistency,
    estimate_suppressed,
)

GDP = "nama_10r_3gdp"
INDICATORS = "nuts2_indicators"


@dataclass
class Table:
    """One year of a count dataset: the reference regions × activities at one level.

    ``matrix`` keeps suppressed cells missing. ``totals`` are the publisher's region
    totals where published (``TOTAL``, else the sum of the published sections), else
    the sum of the known parts; ``total_source`` says which, for the home region."""

    use: Use
    year: int
    matrix: pd.DataFrame
    totals: pd.Series
    total_source: str
    broad: pd.DataFrame  # regions × sections (or A10 groups), the publisher's where published
    home: str
    estimates: Suppressed | None = None  # suppressed cells estimated under the published totals
    store: Store = field(default_factory=Store)

    @property
    def key(self) -> str:
        """What identifies the table's content (see :func:`table_key`)."""
        return table_key(self.use, self.year, self.store)

    @cached_property
    def _filled(self) -> pd.DataFrame:
        if self.estimates is None:
            return self.matrix.fillna(0.0)
        est = self.estimates
        cells = est.estimate.where(self.identified(), est.low)
        return self.matrix.fillna(cells).fillna(0.0)

    @cached_property
    def _reference(self) -> pd.DataFrame:
        return self.matrix if self.estimates is None else self.matrix.fillna(self.estimates.estimate)

    def filled(self) -> pd.DataFrame:
        """The matrix with suppressed cells at their estimates where the published totals
        pin them down (:meth:`identified`), else at the low end of their interval — no
        specialisation is asserted on a split the totals leave open (Åland's transport:
        3,460 persons between water transport and post, in any proportion) — and 0 where no
        total constrains a cell (counted in :meth:`unestimated`)."""
        return self._filled

    def reference(self) -> pd.DataFrame:
        """The matrix for reference sums: suppressed cells at their point estimates (the best
        guess of a total; a cell no published total covers is left out)."""
        return self._reference

    def identified(self) -> pd.DataFrame:
        """Estimated cells whose interval is narrow: ``high − low ≤ IDENTIFIED × estimate``."""
        est = self.estimates
        return (est.high - est.low) <= IDENTIFIED * est.estimate.clip(lower=1.0)

    def unestimated(self) -> int:
        """Suppressed cells that no published total covers (left at 0 where a complete matrix is needed)."""
        missing = self.matrix.isna()
        return int((missing & self.estimates.estimate.isna()).sum().sum()) if self.estimates is not None \
            else int(missing.sum().sum())

    @property
    def level(self) -> str:
        return self.use.level

    def broad_level(self) -> str:
        """The level of ``broad``: A10 groups for A10 data, else sections."""
        return "A10" if self.level == "A10" else "section"

    def hidden_share(self) -> float | None:
        """Share of the home region's total that the known cells do not account for
        (suppression, rounding); None when the total is itself the sum of the parts."""
        if self.total_source == "parts":
            return None
        total = self.totals.get(self.home, np.nan)
        known = self.matrix.loc[self.home].sum()
        return float(max(0.0, 1 - known / total)) if total and np.isfinite(total) else None


@dataclass
class Series:
    """A panel for change: (year, region) × activities, the home region and its country."""

    use: Use
    panel: pd.DataFrame
    home: str
    country: str
    level: str
    years: list[int]

    @cached_property
    def _rows(self) -> dict:
        keep = self.panel.index.get_level_values(1).isin([self.home, self.country])
        return {key: row for key, row in zip(self.panel.index[keep], self.panel.to_numpy()[keep])}

    def row(self, year: int, region: str) -> pd.Series:
        """The home region's or the country's activities in ``year`` (cached: areas ask often)."""
        values = self._rows.get((year, region))
        if values is None:
            return self.panel.loc[(year, region)]
        return pd.Series(values, index=self.panel.columns, name=(year, region))


@dataclass
class Context:
    region: Region
    lang: str
    uses: dict
    structure: Table | None = None
    series: Series | None = None
    notes: list[dict] = field(default_factory=list)
    used: dict[str, set] = field(default_factory=dict)
    relatedness: pd.DataFrame | None = None  # an external relatedness (None: proximity)
    relatedness_source: str | None = None
    store: Store = field(default_factory=Store)

    def name(self, code: str) -> str:
        return activity_name(code, self.lang)

    def use(self, dataset: str, purpose: str) -> None:
        self.used.setdefault(dataset, set()).add(purpose)

    def note(self, section: str, key: str, **values) -> None:
        self.notes.append({"section": section, "key": key, **values})


def build_context(region_query, *, datasets=None, year=None, lang="en", store: Store | None = None) -> Context:
    """Resolve the region, choose the datasets (see :mod:`smartspec.analysis.choice`) and load them."""
    region = region_query if isinstance(region_query, Region) else resolve_region(region_query)
    store = store or Store()
    uses = choose(region, datasets, store)
    ctx = Context(region=region, lang=lang, uses=uses, store=store)
    if "structure" in uses:
        table = load_table(uses["structure"], year, store)
        if "reference" in uses:
            table = with_reference(table, load_table(uses["reference"], None, store), ctx)
        ctx.structure = table
        if not uses["structure"].own:
            ctx.note("data", "parent_region", region=region.code, parent=table.home)
        if uses["structure"].level not in LEVEL_ORDER[:4]:
            ctx.note("relatedness", "too_coarse", dataset=table.use.dataset, level=table.level)
    if "series" in uses:
        ctx.series = load_series(uses["series"], store)
        if ctx.series is None:
            ctx.note("specialisations", "no_reference_series", dataset=uses["series"].dataset, region=region.code)
    return ctx


def _frame(use: Use, regions, activities, years, store: Store) -> pd.DataFrame:
    """Tidy rows of one slice, region codes canonical and summed up to the use's tier."""
    s = use.slice
    raw = [s.raw_regions[c] for c in regions if c in s.raw_regions]
    frame = store.query(s.dataset, s.version, regions=raw, activities=list(activities), years=list(years),
                        measures=[s.measure], units=[s.unit])
    frame["region"] = frame["region"].map(canonical_region)
    if use.source_tier != use.tier:
        parents = region_parent_key(sorted(frame["region"].unique()), use.tier)
        frame = frame.assign(region=frame["region"].map(parents)).dropna(subset=["region"])
        frame = sum_known(frame, ["region", "activity", "year"])
    return frame


def sum_known(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum ``value`` by ``keys``; a group with a missing part stays missing (flag ``c``)."""
    grouped = frame.groupby(keys, sort=False)["value"]
    out = grouped.sum().to_frame("value")
    missing = frame["value"].isna().groupby([frame[k] for k in keys], sort=False).any()
    out.loc[missing.reindex(out.index).to_numpy(), "value"] = np.nan
    out["flag"] = np.where(out["value"].isna(), "c", "")
    return out.reset_index()


def _wide(frame: pd.DataFrame, index: str = "region") -> pd.DataFrame:
    """``index`` × activities. A cell stored as missing (suppressed) stays missing; a cell
    absent from the rows is zero (register aggregates list only the activities present)."""
    wide = frame.pivot_table(index=index, columns="activity", values="value", aggfunc="first", dropna=False)
    wide = wide.fillna(0.0)
    gaps = frame.loc[frame["value"].isna(), [index, "activity"]]
    if len(gaps):
        rows, cols = wide.index.get_indexer(gaps[index]), wide.columns.get_indexer(gaps["activity"])
        values = wide.to_numpy(copy=True)
        values[rows, cols] = np.nan
        wide = pd.DataFrame(values, index=wide.index, columns=wide.columns)
    wide.columns.name, wide.index.name = "activity", index
    return wide.sort_index()


def _regions(use: Use) -> list[str]:
    return sorted(use.slice.regions.get(use.source_tier, ()))


def _pick_year(use: Use, year) -> int:
    years = use.slice.years
    if year is None:
        return int(years[-1])
    if year not in years:
        raise CoverageError(f"{use.dataset} has no data for {year}: it covers {years[0]}–{years[-1]}")
    return int(year)


def load_table(use: Use, year, store: Store) -> Table:
    """The reference matrix of a structure (or reference) use for one year. What does not
    depend on the home region (the matrix, totals, estimates) is read once per process and
    dataset version, and shared by the analyses of all its regions."""
    year = _pick_year(use, year)
    key = table_key(use, year, store)
    if key not in _SHARED:
        if len(_SHARED) >= 4:
            _SHARED.pop(next(iter(_SHARED)))
        _SHARED[key] = _shared_table(use, year, store, key)
    matrix, totals, sources, broad, estimates = _SHARED[key]
    home = use.home if use.home in matrix.index else ""
    if use.role == "structure" and not home:
        raise CoverageError(f"{use.dataset} has no known {use.level} values for {use.home} in {year}")
    return Table(use, year, matrix, totals, sources.get(home, "parts") if home else "parts", broad, home, estimates,
                 store)


#: Tables read in this process, by :func:`table_key`: (matrix, totals, total sources, broad, estimates).
_SHARED: dict[str, tuple] = {}


def _shared_table(use: Use, year: int, store: Store, key: str) -> tuple:
    s = use.slice
    codes = s.codes[use.level]
    broad_codes = s.codes["A10"] if use.level == "A10" else s.codes["section"]
    frame = _frame(use, _regions(use), set(codes) | set(broad_codes) | {"TOTAL"}, [year], store)
    wide = _wide(frame)
    matrix = wide.reindex(columns=list(codes))
    matrix = matrix.loc[matrix.notna().any(axis=1) & (matrix.fillna(0).sum(axis=1) > 0)]
    matrix = matrix.loc[:, matrix.isna().any(axis=0) | (matrix.sum(axis=0) > 0)]  # activities no region has
    broad = matrix if use.level in ("A10", "section") else _broad(wide.reindex(index=matrix.index), matrix,
                                                                  broad_codes, s.classification)
    totals, sources = _totals(wide.reindex(matrix.index), matrix, broad)
    estimates = keyed_cached("estimates", key, lambda: estimate_cells(use, year, matrix, wide.reindex(matrix.index),
                                                                      store), depends=(estimate_suppressed,))
    return matrix, totals, sources, broad, estimates


def table_key(use: Use, year: int, store: Store) -> str:
    """What identifies a table's content: the dataset version (and its content hash), the
    measure, year, level and tiers; for results that all regions of a dataset share."""
    s = use.slice
    return (f"{s.dataset}@{s.version}#{store.file_hash(s.dataset, s.version)}:{s.measure}:{s.unit}:{year}:"
            f"{use.level}:{use.tier}:{use.source_tier}")


#: An estimate is taken as a value (not only as its interval) when its interval is at most this
#: share of it wide (± 25 %).
IDENTIFIED = 0.5

#: Persons by which a published total and the sum of its parts may differ through rounding.
ATOL = 5.0


def estimate_cells(use: Use, year: int, matrix: pd.DataFrame, wide: pd.DataFrame, store: Store) -> Suppressed | None:
    """Estimates and intervals of the matrix's suppressed cells under every total the
    publisher gives in the same table: the regions' sections and totals, and the
    countries' values by activity and section (those that the regions add up to, or
    cap); see :func:`smartspec.metrics.suppression.estimate_suppressed`."""
    if not matrix.isna().to_numpy().any():
        return None
    version = use.slice.classification
    sections = {c: ancestor_at(c, "section", version) or sections_of(c)[0] for c in matrix.columns}
    published = sorted(c for c in set(sections.values()) if c in wide.columns and c not in matrix.columns)
    kw: dict = {"atol": ATOL}
    if published:
        kw.update(groups=sections, group_totals=wide[published])
    if "TOTAL" in wide and wide["TOTAL"].notna().any():
        kw["row_totals"] = wide["TOTAL"]
    if use.tier != "country" and use.slice.regions.get("country"):
        kw.update(_country_constraints(use, year, matrix, published, store))
    return estimate_suppressed(matrix, **kw)


def _country_constraints(use: Use, year: int, matrix: pd.DataFrame, published, store: Store) -> dict:
    areas = region_parent_key(list(matrix.index), "country").dropna()
    countries = sorted(set(areas) & use.slice.regions["country"])
    if not countries:
        return {}
    c_use = Use(use.role, use.slice, "country", "country", use.level, "", True)
    rows = _wide(_frame(c_use, countries, list(matrix.columns) + list(published), [year], store))
    consistency = area_consistency(matrix.loc[areas.index], areas, rows.reindex(columns=matrix.columns), atol=ATOL)
    usable = consistency.index[consistency != "contradicts"]
    out = {"areas": areas.reindex(matrix.index), "col_totals": rows.reindex(index=usable, columns=matrix.columns),
           "col_exact": consistency == "exact"}
    if published:
        out["col_group_totals"] = rows.reindex(index=usable, columns=published)
    return out


def _broad(wide: pd.DataFrame, matrix: pd.DataFrame, published, version: str) -> pd.DataFrame:
    """Regions × sections: the publisher's section where published, else the sum of its
    cells at the matrix's level (missing when one of them is)."""
    summed = to_sections(matrix, version)
    for code in published:
        summed[code] = wide[code]
    return summed.reindex(columns=sorted(summed.columns))


def establishment_sizes(table: Table, store: Store) -> tuple[pd.Series | float, str]:
    """Persons per establishment by activity, from the dataset's own establishment counts
    when it has them (register aggregates do), else the EU business economy's average
    (:data:`smartspec.metrics.robustness.DEFAULT_UNIT`): the lump in which employment
    comes, for the stability of small specialisations."""
    s = table.use.slice
    frame = store.query(s.dataset, s.version, years=[table.year], measures=["establishments"],
                        activities=list(table.matrix.columns))
    if frame.empty:
        return DEFAULT_UNIT, "default"
    counts = frame.groupby("activity")["value"].sum()
    sizes = (table.matrix.sum(axis=0) / counts.reindex(table.matrix.columns)).where(lambda v: v >= 1)
    return sizes.fillna(DEFAULT_UNIT), "establishments"


def _totals(wide: pd.DataFrame, matrix: pd.DataFrame, broad: pd.DataFrame):
    """The publisher's totals by region (TOTAL, else the sum of the sections when all are
    known), else the sum of the known parts."""
    parts = matrix.sum(axis=1)
    totals, source = parts.copy(), pd.Series("parts", index=matrix.index)
    if broad.shape[1]:
        known = broad.notna().all(axis=1)
        totals[known], source[known] = broad.sum(axis=1)[known], "sections"
    if "TOTAL" in wide:
        known = wide["TOTAL"].notna()
        totals[known], source[known] = wide["TOTAL"][known], "TOTAL"
    return totals, source


def to_sections(matrix: pd.DataFrame, version: str = REV2) -> pd.DataFrame:
    """Sum a matrix's columns up to the sections of their classification version (a missing
    part leaves the section missing)."""
    section = {c: ancestor_at(c, "section", version) or sections_of(c)[0] for c in matrix.columns}
    return matrix.T.groupby(section, sort=True).sum(min_count=1).T.where(
        ~matrix.isna().T.groupby(section, sort=True).any().T)


def to_level(matrix: pd.DataFrame, level: str) -> pd.DataFrame:
    """Sum a matrix's columns up to a coarser level (a missing part leaves the sum missing)."""
    if level == "A10":
        target = {c: next(g for g in A10 if sections_of(c)[0] in sections_of(g)) for c in matrix.columns}
    else:
        target = {c: ancestor_at(c, level) for c in matrix.columns}
    grouped = matrix.T.groupby(target, sort=True)
    return grouped.sum(min_count=1).T.where(~matrix.isna().T.groupby(target, sort=True).any().T)


def with_reference(own: Table, ref: Table, ctx: Context) -> Table:
    """The home region's row from its own data, compared with another dataset's regions
    (at the coarser of the two levels; regions that contain or equal the home are left out)."""
    level = max(own.level, ref.level, key=LEVEL_ORDER.index)
    home_row = to_level(own.matrix.loc[[own.home]], level) if own.level != level else own.matrix.loc[[own.home]]
    ref_matrix = to_level(ref.matrix, level) if ref.level != level else ref.matrix
    keep = [r for r in ref_matrix.index if not own.home.startswith(r) and r != own.home]
    matrix = pd.concat([ref_matrix.loc[keep], home_row]).reindex(columns=ref_matrix.columns)
    totals = pd.concat([ref.totals.loc[keep], own.totals.loc[[own.home]]])
    broad = pd.concat([ref.broad.loc[keep], own.broad.loc[[own.home]]]) if own.broad.shape[1] else to_sections(matrix)
    ctx.note("data", "reference", dataset=ref.use.dataset, n_regions=len(keep), level=level)
    use = Use(own.use.role, own.use.slice, own.use.tier, own.use.source_tier, level, own.home, own.use.own,
              {**own.use.reason, "reference": ref.use.dataset})
    return Table(use, own.year, matrix, totals, own.total_source, broad, own.home, None, own.store)


def load_series(use: Use, store: Store) -> Series | None:
    """The region's and its country's panel at the series' level (summed up to divisions
    when finer), over all years of the slice; a country's against the EU aggregate (None
    when the dataset has none)."""
    s = use.slice
    country = region_parent_key([use.home], "country").iloc[0] or use.home[:2]
    codes = s.codes[use.level]
    if use.tier == "country":  # a country is compared with the EU aggregate the publisher gives
        return _against_union(use, codes, store)
    key = region_parent_key(_regions(use), use.tier) if use.source_tier != use.tier else None
    home_rows = [use.home] if key is None else list(key[key == use.home].index)
    frame = _frame(use, home_rows, codes, s.years, store)
    level = use.level if LEVEL_ORDER.index(use.level) >= LEVEL_ORDER.index("division") else "division"
    own = _wide(frame, "year")
    ref = _country_panel(use, country, codes, store)
    return _series(use, {use.home: own, country: ref}, country, level)


def _series(use: Use, panels: dict, reference: str, level: str) -> Series:
    panel = _stack(panels)
    if level != use.level:
        panel = to_level(panel, level)
    complete = panel.notna().all(axis=1).groupby(level="year").all()
    years = sorted(int(y) for y, ok in complete.items() if ok)
    if len(years) < 2:
        years = sorted(int(y) for y in panel.index.get_level_values("year").unique())
    return Series(use, panel, use.home, reference, level, years)


#: The EU aggregates a country is compared with, in order of preference.
UNIONS = ("EU27_2020", "EU28")


def _against_union(use: Use, codes, store: Store) -> Series | None:
    s = use.slice
    own = _wide(_frame(use, [use.home], codes, s.years, store), "year")
    rows = store.query(s.dataset, s.version, regions=list(UNIONS), activities=list(codes), measures=[s.measure],
                       units=[s.unit])
    for union in UNIONS:
        found = rows[rows["region"] == union]
        if len(found):
            return _series(use, {use.home: own, union: _wide(found, "year")}, union, use.level)
    return None


def _stack(panels: dict) -> pd.DataFrame:
    """(year, region) × activities from per-region panels: an activity one region lacks
    is zero there; a cell stored as missing stays missing."""
    columns = sorted(set().union(*(p.columns for p in panels.values())))
    filled = {r: p.reindex(columns=columns) for r, p in panels.items()}
    stacked = pd.concat({r: p.fillna(0.0).where(~p.isna() | ~p.columns.isin(panels[r].columns))
                         for r, p in filled.items()}, names=["region"])
    return stacked.swaplevel().sort_index()


def _country_panel(use: Use, country: str, codes, store: Store) -> pd.DataFrame:
    """The country's published rows when the slice has them, else the sum of its regions."""
    s = use.slice
    if country in s.regions.get("country", ()):
        c_use = Use(use.role, s, "country", "country", use.level, country, True)
        frame = _frame(c_use, [country], codes, s.years, store)
    else:
        key = region_parent_key(_regions(use), "country")
        frame = _frame(use, list(key[key == country].index), codes, s.years, store)
        frame = sum_known(frame.assign(region=country), ["region", "activity", "year"])
    return _wide(frame, "year")


# Estimates of suppressed cells for any slice of a dataset -------------------------------------------

def estimated_cells(dataset: str, frame: pd.DataFrame, store: Store | None = None) -> pd.DataFrame:
    """``frame`` (tidy rows of ``dataset``) with ``estimate, estimate_low, estimate_high`` for its
    suppressed cells, estimated as the analysis does (per year, activity level and regional
    tier, under the published totals); NaN for published cells and for cells no total covers."""
    store = store or Store()
    s = main_slice(dataset, store)
    out = frame.assign(estimate=np.nan, estimate_low=np.nan, estimate_high=np.nan)
    hidden = out["value"].isna() & (out["measure"] == s.measure) & (out["unit"] == s.unit)
    keys = pd.DataFrame({"year": out["year"], "level": out["activity"].map(activity_level),
                         "tier": out["region"].map(lambda c: region_tier(canonical_region(c)))})
    for (year, level, tier), rows in keys[hidden].groupby(["year", "level", "tier"]):
        if level not in s.levels or tier not in s.regions:
            continue
        table = load_table(Use("reference", s, tier, tier, level, "", True), int(year), store)
        if table.estimates is None:
            continue
        for i in rows.index:
            region, code = canonical_region(out.at[i, "region"]), out.at[i, "activity"]
            if region in table.matrix.index and code in table.matrix.columns:
                for col, frame_ in (("estimate", table.estimates.estimate), ("estimate_low", table.estimates.low),
                                    ("estimate_high", table.estimates.high)):
                    out.at[i, col] = frame_.at[region, code]
    return out


# Headline indicators (GDP per head) --------------------------------------------------------------

def gdp_per_head(ctx: Context, code: str) -> pd.DataFrame | None:
    """GDP per head (EUR) of a region and a comparison series, by year; None when not published.

    Swedish NUTS regions: regional accounts (``nama_10r_3gdp``) against Sweden. Other NUTS 2
    regions: the NUTS 2 indicators against their median, recoding the code to NUTS 2016
    when it was published under another version."""
    if code.startswith("SE") and code in _available(GDP):
        g = data.load(GDP, regions=[code, "SE"], measures=["GDP"])
        g = g[g["unit"] == "EUR_HAB"]
        if not g.empty:
            ctx.use(GDP, "profile")
            wide = g.pivot_table(index="year", columns="region", values="value")
            return pd.DataFrame({"year": wide.index, "region": wide.get(code), "comparison": wide.get("SE"),
                                 "comparison_code": "SE"}).reset_index(drop=True)
    if len(code) != 4 or not code[:2].isalpha():
        return None
    per_head = _nuts2_gdp_per_head()
    if per_head is None:
        return None
    if code not in set(per_head["region"]):
        recoded = recode_nuts([code], 2013, 2016).iloc[0]
        if recoded is None or recoded not in set(per_head["region"]):
            ctx.note("profile", "no_gdp", region=code, dataset=INDICATORS)
            return None
        ctx.note("profile", "recoded", region=code, code=recoded, dataset=INDICATORS)
        code = recoded
    ctx.use(INDICATORS, "profile")
    median = per_head.groupby("year")["v"].median()
    own = per_head[per_head["region"] == code].set_index("year")["v"]
    return pd.DataFrame({"year": own.index, "region": own.values, "comparison": median.reindex(own.index).values,
                         "comparison_code": "NUTS2_MEDIAN"})


def _available(dataset: str) -> set[str]:
    try:
        version = data.ensure(dataset)
    except SmartspecError:  # an optional indicator: absent is fine
        return set()
    return _regions_of(dataset, version, str(Store().path))


@lru_cache(maxsize=16)
def _regions_of(dataset: str, version: int, store_path: str) -> frozenset[str]:
    regions, _ = Store(store_path).summary(dataset, version)
    return frozenset(regions["region"])


def _nuts2_gdp_per_head() -> pd.DataFrame | None:
    if not _available(INDICATORS):
        return None
    return _gdp_table(data.ensure(INDICATORS), str(Store().path)).copy()


@lru_cache(maxsize=4)
def _gdp_table(version: int, store_path: str) -> pd.DataFrame:
    ind = data.load(INDICATORS, measures=["region_gdp", "region_population"], version=version,
                    store=Store(store_path))
    wide = ind.pivot_table(index=["year", "region"], columns="measure", values="value").dropna()
    return (wide["region_gdp"] * 1e6 / wide["region_population"]).rename("v").reset_index()


def reference_gdp_per_head(table: Table) -> pd.Series | None:
    """GDP per head of the table's reference regions in (or nearest to) the table's year,
    for checking what a complexity measure means: NUTS 2 regions from the NUTS 2
    indicators (codes recoded to NUTS 2016 where needed), Swedish NUTS regions from the
    regional accounts; None for other tiers (kommuner, FA regions)."""
    codes = list(table.matrix.index)
    if table.use.tier == "nuts2":
        per = _nuts2_gdp_per_head()
        if per is None:
            return None
        wide = per.pivot_table(index="region", columns="year", values="v")
    elif all(c.startswith("SE") for c in codes) and _available(GDP):
        g = data.load(GDP, regions=codes, measures=["GDP"])
        wide = g[g["unit"] == "EUR_HAB"].pivot_table(index="region", columns="year", values="value")
    else:
        return None
    if wide.empty:
        return None
    # each region's value nearest to the table's year (a later year before an earlier one at equal distance)
    order = sorted(wide.columns, key=lambda y: (abs(y - table.year), y < table.year))
    values = wide[order].bfill(axis=1).iloc[:, 0].dropna()
    if table.use.tier == "nuts2":  # indicator codes are NUTS 2016; the table's may be older
        back = recode_nuts(list(values.index), 2016, 2013)
        values = pd.concat([values, pd.Series(values.to_numpy(), index=back.to_numpy()).dropna()])
        values = values[values.index.notna() & ~values.index.duplicated()]
        forward = recode_nuts([c for c in codes if c not in values.index], 2013, 2016)
        values = pd.concat([values, values.reindex(forward.dropna().to_numpy()).set_axis(forward.dropna().index)])
    out = values.reindex(codes).astype(float)
    return out.dropna() if out.notna().any() else None


def finite(x) -> float | None:
    """A JSON-safe float (None for NaN)."""
    return None if x is None or (isinstance(x, float) and not np.isfinite(x)) or pd.isna(x) else float(x)
