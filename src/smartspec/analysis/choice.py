"""Which stored datasets can drive the analysis of a region, and what each is used for.

Any dataset in the store whose rows are region × activity × year counts can drive the
analysis: the mirror's tables, ``smartspec data fetch``, ``data import`` and the
microdata aggregates. The rules, stated in the report and in ``docs/methods.md``:

* **structure** (specialisations, relatedness, complexity, opportunities, partners,
  declared areas): the dataset that covers the region at the finest complete activity
  level, preferring, in this order, data at division level or finer for the region
  itself (direct, or summed up from a finer regional tier: kommun → FA region or län →
  NUTS 2 → country), then such data for the region that contains it, then coarser data.
  Ties go to the larger reference set, then the later year, then the smaller share of
  suppressed cells.
* **series** (change, shift-share, strength portfolio): the longest series for the
  region itself; ties go to the finer level, then the later last year.
* **reference** (optional, only when named): the regions a structure is compared with
  (e.g. one's own län × division data against Europe's NUTS 2 regions).

An activity level is *complete* when its codes cover every section that the dataset
covers (SBS's groups exist only for trade, so SBS is complete at division level).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from smartspec import data
from smartspec.data.catalog import KNOWN
from smartspec.data.classifications import Region
from smartspec.data.classifications.nace import A10, REV2, activity_level, sections_of
from smartspec.data.classifications.nace21 import classification_version
from smartspec.data.classifications.regions import (
    canonical_region,
    region_parent_key,
    region_tier,
)
from smartspec.data.classifications.regions import tier_order as TIER_ORDER
from smartspec.data.store import Store
from smartspec.errors import InputError, SmartspecError, UnknownCodeError

#: Activity levels, finest first; ``A10`` is Eurostat's ten-group breakdown.
LEVEL_ORDER = ("detailed", "class", "group", "division", "section", "A10")
ADEQUATE = LEVEL_ORDER[:4]  # relatedness and complexity need division level or finer
ROLES = ("structure", "series", "reference")
#: Measures preferred when a dataset holds several counts (employment before establishments).
PREFERRED_MEASURES = ("EMP", "V16910", "employees", "employment", "employments", "workers", "jobs", "persons")
_NOT_COUNT = re.compile(r"(%|^PC|_PC|RT$|rate|share|ratio|index|^I\d\d|EUR|SEK|NAC|PPS|USD|_HAB|per_|mean|avg)", re.I)
_COUNT_UNITS = {"", "per", "ths_per", "persons", "person", "number", "nr", "count", "jobs", "employments", "antal"}


class CoverageError(SmartspecError):
    """The chosen data do not cover the region, or cannot drive the analysis."""


@dataclass(frozen=True)
class Slice:
    """One count measure of one dataset version: its regions by tier, levels and years."""

    dataset: str
    version: int
    measure: str
    unit: str
    regions: dict  # tier → frozenset of canonical codes
    raw_regions: dict  # canonical code → code as stored
    levels: tuple[str, ...]  # complete activity levels, finest first
    codes: dict  # level → tuple of activity codes
    years: tuple[int, ...]
    n_missing: int
    n_cells: int
    classification: str = REV2

    @property
    def suppressed_share(self) -> float:
        return self.n_missing / self.n_cells if self.n_cells else 0.0


@dataclass(frozen=True)
class Use:
    """What one role of the analysis takes from a slice."""

    role: str
    slice: Slice
    tier: str  # regional tier of the rows used
    source_tier: str  # tier of the stored rows (finer when summed up)
    level: str
    home: str  # the region's code in these rows (itself, or the region containing it)
    own: bool  # False when ``home`` is a region containing the analysed one
    reason: dict = field(default_factory=dict)

    @property
    def dataset(self) -> str:
        return self.slice.dataset

    def describe(self) -> dict:
        s = self.slice
        return {"role": self.role, "dataset": s.dataset, "version": s.version, "measure": s.measure, "unit": s.unit,
                "tier": self.tier, "source_tier": self.source_tier, "level": self.level, "home": self.home,
                "own": self.own, "years": [int(s.years[0]), int(s.years[-1])], "n_years": len(s.years),
                "classification": s.classification,
                "reason": self.reason}


def is_count(measure: str, unit: str, min_value: float) -> bool:
    """Whether a measure is a count (persons, jobs, establishments): not a rate, share,
    index or money amount by its name or unit, and never negative."""
    if pd.notna(min_value) and min_value < 0:
        return False
    if _NOT_COUNT.search(str(unit)) or _NOT_COUNT.search(str(measure)):
        return False
    return str(unit).strip().lower() in _COUNT_UNITS or str(unit).strip() == ""


def complete_levels(codes) -> tuple[str, ...]:
    """The activity levels whose codes cover every section the codes cover, finest first.
    The section level may group adjacent sections as publishers do (SCB's ``B+C`` = ``B-C``)."""
    scope = set().union(*(sections_of(c) for c in codes if c != "TOTAL")) if codes else set()
    out = []
    for level in LEVEL_ORDER:
        found = codes_at(codes, level)
        if found and set().union(*(sections_of(c) for c in found)) == scope:
            out.append(level)
    return tuple(out)


def codes_at(codes, level: str) -> tuple[str, ...]:
    """The codes of a level: ``A10`` is Eurostat's ten groups; ``section`` the sections
    and, where a publisher groups adjacent sections, the groups that overlap nothing finer."""
    if level == "A10":
        return tuple(c for c in A10 if c in set(codes)) if set(A10) <= set(codes) else ()
    if level == "section":
        return section_partition(codes)
    return tuple(sorted(c for c in codes if activity_level(c) == level))


def section_partition(codes) -> tuple[str, ...]:
    """Sections, then ranges of sections (smallest first) that overlap none already taken."""
    taken: set[str] = set()
    out = []
    ranges = [c for c in codes if activity_level(c) == "aggregate"]
    for code in sorted(c for c in codes if activity_level(c) == "section") + sorted(ranges, key=lambda c: (
            len(sections_of(c)), c)):
        covers = set(sections_of(code))
        if not covers & taken:
            taken |= covers
            out.append(code)
    return tuple(sorted(out))


@lru_cache(maxsize=64)
def _slices(dataset: str, version: int, store_path: str) -> tuple[Slice, ...]:
    regions, activities = Store(store_path).summary(dataset, version)
    out = []
    for (measure, unit), acts in activities.groupby(["measure", "unit"], sort=True):
        codes = [c for c in acts["activity"] if c != "TOTAL"]
        if len(codes) < 2 or not is_count(measure, unit, acts["min_value"].min()):
            continue
        regs = regions[(regions["measure"] == measure) & (regions["unit"] == unit)]
        by_tier, raw = _tiers(regs["region"])
        years = sorted({int(y) for ys in acts["years"] for y in ys})
        out.append(Slice(dataset, int(version), measure, unit, by_tier, raw, complete_levels(codes),
                         {lv: codes_at(codes, lv) for lv in LEVEL_ORDER}, tuple(years),
                         int(acts["n_missing"].sum()), int(acts["n"].sum()), _version(dataset, codes)))
    return tuple(out)


def _version(dataset: str, codes) -> str:
    try:
        return classification_version(codes)
    except InputError as exc:
        raise CoverageError(f"{dataset}: {exc}") from None


def _tiers(codes) -> tuple[dict, dict]:
    by_tier: dict[str, set] = {}
    raw = {}
    for code in codes:
        canon = canonical_region(code)
        tier = region_tier(canon)
        if tier is None or canon.endswith("ZZ") or canon.endswith("ZZZ"):
            continue
        by_tier.setdefault(tier, set()).add(canon)
        raw[canon] = code
    return {t: frozenset(v) for t, v in by_tier.items()}, raw


def slices(dataset: str, store: Store | None = None) -> tuple[Slice, ...]:
    """The count slices of a dataset's latest version, or of ``NAME@VERSION`` (empty when
    it holds no counts)."""
    store = store or Store()
    name, version = _versioned(dataset, store)
    return _slices(name, version, str(store.path))


def _versioned(dataset: str, store: Store) -> tuple[str, int]:
    """``NAME`` → (NAME, latest version); ``NAME@3`` → (NAME, 3), checked to exist."""
    name, sep, version = dataset.partition("@")
    if not sep:
        return name, data.ensure(name, store)
    stored = store.datasets()
    versions = set(stored.loc[stored["dataset"] == name, "version"].astype(int))
    if not version.isdigit() or int(version) not in versions:
        raise CoverageError(f"no version {version!r} of {name!r}: stored versions are {sorted(versions)}")
    return name, int(version)


def main_slice(dataset: str, store: Store | None = None) -> Slice:
    """A dataset's count measure used by the analysis (the preferred measure, else the first)."""
    found = slices(dataset, store)
    if not found:
        stored = _measures(dataset.partition("@")[0], store or Store())
        raise CoverageError(f"{dataset} holds no region × activity counts: its measures {stored} are not counts "
                            "(rates, shares, money or indices), or it has fewer than two activities")
    rank = {m: i for i, m in enumerate(PREFERRED_MEASURES)}
    return min(found, key=lambda s: (rank.get(s.measure, len(rank)), s.measure, s.unit))


def _measures(dataset: str, store: Store) -> list[str]:
    version = data.ensure(dataset, store)
    _, acts = store.summary(dataset, version)
    return sorted({f"{m} ({u})" if u else m for m, u in zip(acts["measure"], acts["unit"])})


def locate(region: Region, s: Slice) -> tuple[str, str, str, bool] | None:
    """Where a slice has the region: ``(tier, source_tier, home, own)``; None if nowhere.

    Direct rows first, then rows summed up from a finer tier, then the nearest region
    that contains it."""
    tier = region.tier
    if region.code in s.regions.get(tier, ()):
        return tier, tier, region.code, True
    for finer in TIER_ORDER[:TIER_ORDER.index(tier)]:
        codes = s.regions.get(finer)
        if codes and region.code in set(region_parent_key(sorted(codes), tier).dropna()):
            return tier, finer, region.code, True
    for parent in region.parents:
        ptier = region_tier(parent)
        if parent in s.regions.get(ptier, ()):
            return ptier, ptier, parent, False
    return None


def _structure_key(use: Use) -> tuple:
    s = use.slice
    return (use.level not in ADEQUATE, not use.own, LEVEL_ORDER.index(use.level),
            -len(s.regions.get(use.tier, ())), -s.years[-1], s.suppressed_share, s.dataset)


def _series_key(use: Use) -> tuple:
    s = use.slice
    return (-len(s.years), LEVEL_ORDER.index(use.level), -s.years[-1], s.dataset)


def _uses(region: Region, found: list[Slice], role: str) -> list[Use]:
    out = []
    for s in found:
        where = locate(region, s)
        if where is None or not s.levels:
            continue
        tier, source_tier, home, own = where
        out.append(Use(role, s, tier, source_tier, s.levels[0], home, own))
    return out


def parse_datasets(names) -> dict[str | None, list[str]]:
    """``["a", "reference=b"]`` → ``{None: ["a"], "reference": ["b"]}``."""
    out: dict[str | None, list[str]] = {}
    for name in names or ():
        role, sep, rest = str(name).partition("=")
        if sep and role in ROLES:
            out.setdefault(role, []).append(rest)
        elif sep:
            raise CoverageError(f"unknown dataset role {role!r} in {name!r}: use one of {', '.join(ROLES)} "
                                "(e.g. reference=sbs_r_nuts06_r2)")
        else:
            out.setdefault(None, []).append(name)
    return out


def candidate_names(store: Store | None = None) -> list[str]:
    """Every dataset the analysis could use: the mirror's known tables and everything stored."""
    store = store or Store()
    names = set(store.datasets()["dataset"])
    names |= {code for code in KNOWN if data.mirror_paths(KNOWN[code])}
    return sorted(names)


def choose(region: Region, datasets=None, store: Store | None = None) -> dict[str, Use]:
    """The dataset each role uses for ``region``, with the reason (see the module's rules).

    ``ROLE=NAME`` fixes a role; the other roles are chosen by coverage among the datasets
    named without a role, or among all datasets when none is. Raises CoverageError naming
    the datasets when none covers the region."""
    store = store or Store()
    named = parse_datasets(datasets)
    for name in [n for names in named.values() for n in names]:
        _check_exists(name, store)
    if named.get(None):  # datasets named without a role: the choice is made among them
        pool = named[None]
        found = [main_slice(name, store) for name in pool]
    else:  # roles left open are chosen by coverage among all datasets
        pool = candidate_names(store)
        found = [s for name in pool for s in slices(name, store)]
    chosen: dict[str, Use] = {}
    structure = named.get("structure")
    structure_uses = _uses(region, [main_slice(n, store) for n in structure] if structure else found, "structure")
    if structure_uses:
        best = min(structure_uses, key=_structure_key)
        chosen["structure"] = _with_reason(best, structure_uses, "structure")
    series = named.get("series")
    version = chosen["structure"].slice.classification if "structure" in chosen else None
    series_uses = [u for u in _uses(region, [main_slice(n, store) for n in series] if series else found, "series")
                   if u.own and len(u.slice.years) > 1 and version in (None, u.slice.classification)]
    if series_uses:
        best = min(series_uses, key=_series_key)
        chosen["series"] = _with_reason(best, series_uses, "series")
    if named.get("reference"):
        ref = main_slice(named["reference"][0], store)
        if version and ref.classification != version:
            raise CoverageError(f"{ref.dataset} is coded in {ref.classification} and "
                                f"{chosen['structure'].dataset} in {version}: they cannot be compared code by code "
                                "(link the older one through the correspondence first)")
        if not ref.levels:
            raise CoverageError(f"{ref.dataset} has no complete activity level to compare with")
        tier = max(ref.regions, key=lambda t: len(ref.regions[t]))
        chosen["reference"] = Use("reference", ref, tier, tier, ref.levels[0], "", False,
                                  {"key": "named", "n_regions": len(ref.regions[tier])})
    if "structure" not in chosen and "series" not in chosen:
        raise CoverageError(_not_covered(region, pool, found))
    return chosen


def _check_exists(name: str, store: Store) -> None:
    try:
        _versioned(name, store)
    except UnknownCodeError:
        stored = sorted(set(store.datasets()["dataset"]) | set(KNOWN))
        raise CoverageError(f"no dataset {name!r}: known and stored datasets are {stored}") from None


def _with_reason(best: Use, options: list[Use], role: str) -> Use:
    s = best.slice
    reason = {"key": role, "level": best.level, "tier": best.tier, "own": best.own,
              "n_regions": len(s.regions.get(best.tier, ())) or None, "year": int(s.years[-1]),
              "first_year": int(s.years[0]), "n_years": len(s.years),
              "suppressed_share": round(s.suppressed_share, 4), "summed_from": None if best.source_tier == best.tier
              else best.source_tier, "alternatives": sorted({u.dataset for u in options} - {s.dataset})}
    return Use(best.role, s, best.tier, best.source_tier, best.level, best.home, best.own, reason)


def _not_covered(region: Region, pool, found) -> str:
    counts = sorted({s.dataset for s in found})
    without = sorted(set(pool) - set(counts))
    text = f"no dataset covers {region.code} ({region.name}, {region.tier})"
    if counts:
        covered = "; ".join(f"{s.dataset}: {', '.join(f'{len(v)} {t}' for t, v in sorted(s.regions.items()))}"
                            for s in found)
        text += f" among {', '.join(counts)} (they hold {covered})"
    if without:
        text += f"; {', '.join(without)} hold no region × activity counts"
    return text
