"""Computed indicators (with history) and the status rule of monitoring."""

from __future__ import annotations

from django.db import transaction

from smartspec import data
from smartspec.data.classifications.nace import A10, sections_of
from smartspec.errors import SmartspecError
from smartspec.platform.core.services import record
from smartspec.platform.policy.models import Indicator, Observation

NAMA, GDP = "nama_10r_3empers", "nama_10r_3gdp"


def _a10_groups(area) -> list[str]:
    groups = set()
    for act in area.activities.all():
        secs = set(sections_of(act.nace))
        groups |= {g for g in A10 if secs & set(sections_of(g))}
    return sorted(groups)


def source_version(indicator: Indicator) -> tuple[str, int] | None:
    """The dataset and version a computed indicator reads now (None for manual ones)."""
    if indicator.source == Indicator.Source.MANUAL:
        return None
    dataset = GDP if indicator.source == Indicator.Source.GDP_PER_HEAD else NAMA
    return dataset, data.ensure(dataset, data.Store())


def compute_series(indicator: Indicator) -> tuple[dict[int, float], str, int]:
    """The indicator's values by year from the statistics: (series, dataset, version)."""
    region = indicator.strategy.region.code
    store = data.Store()
    if indicator.source == Indicator.Source.GDP_PER_HEAD:
        version = data.ensure(GDP, store)
        frame = data.load(GDP, regions=[region], measures=["GDP"], version=version, store=store)
        frame = frame[(frame["unit"] == "EUR_HAB") & frame["value"].notna()]
        if frame.empty:
            raise SmartspecError(f"{GDP} has no GDP per head for {region}")
        return dict(zip(frame["year"].astype(int), frame["value"].astype(float))), GDP, version
    if indicator.area is None:
        raise SmartspecError("this indicator needs a priority area (its NACE activities define what is counted)")
    groups = _a10_groups(indicator.area)
    if not groups:
        raise SmartspecError(f"area {indicator.area} has no NACE activities")
    version = data.ensure(NAMA, store)
    frame = data.load(NAMA, regions=[region, "SE"], activities=list(A10), version=version, store=store)
    wide = frame.pivot_table(index=["year", "region"], columns="activity", values="value")
    complete = wide.reindex(columns=list(A10)).dropna()
    if region not in complete.index.get_level_values("region"):
        raise SmartspecError(f"{NAMA} has no A10 employment series for {region}")
    out = {}
    for year in sorted(set(complete.index.get_level_values("year"))):
        try:
            own, nat = complete.loc[(year, region)], complete.loc[(year, "SE")]
        except KeyError:
            continue
        emp = float(own[groups].sum())
        if indicator.source == Indicator.Source.AREA_EMPLOYMENT:
            out[int(year)] = emp
        else:
            out[int(year)] = (emp / own.sum()) / (nat[groups].sum() / nat.sum())
    return out, NAMA, version


def refresh(indicator: Indicator, user=None) -> int:
    """Store the computed values as new observations if the data changed; returns rows added.
    Earlier observations stay (the history of what the statistics said)."""
    current = source_version(indicator)
    if current is None:
        return 0
    latest = indicator.observations.filter(computed=True).order_by("-recorded_at").first()
    if latest and (latest.dataset, latest.dataset_version) == current:
        return 0
    series, dataset, version = compute_series(indicator)
    with transaction.atomic():
        Observation.objects.bulk_create([Observation(indicator=indicator, year=y, value=v, computed=True, dataset=dataset,
                                                     dataset_version=version, recorded_by=user) for y, v in series.items()])
        if indicator.baseline is None and indicator.baseline_year in series:
            indicator.baseline = series[indicator.baseline_year]
            indicator.save(update_fields=["baseline"])
        record(user, indicator.strategy.region, "update", indicator,
               summary=f"computed {indicator.name} from {dataset} v{version} ({len(series)} years)")
    return len(series)


def actuals(indicator: Indicator) -> dict[int, float]:
    """The current actual per year: the most recently recorded observation of each year."""
    out = {}
    for obs in indicator.observations.order_by("year", "recorded_at"):
        out[obs.year] = obs.value
    return out


def expected(indicator: Indicator, year: int) -> float | None:
    """The planned value in ``year``: linear from the baseline to the next target (or the last target)."""
    targets = sorted((t.year, t.value) for t in indicator.targets.all())
    if not targets or indicator.baseline is None or indicator.baseline_year is None:
        return None
    points = [(indicator.baseline_year, indicator.baseline)] + [t for t in targets if t[0] > indicator.baseline_year]
    for (y0, v0), (y1, v1) in zip(points, points[1:]):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return points[-1][1] if year > points[-1][0] else points[0][1]


def status(indicator: Indicator) -> dict:
    """On track / at risk / off track, from the latest actual against the planned path.

    progress = (actual − baseline) / (planned − baseline) at the actual's year, in the
    desired direction; on track if progress ≥ 1 − tolerance, at risk if ≥ 1 − 2·tolerance,
    else off track. When no change is planned (planned = baseline) the relative deviation
    from the baseline in the desired direction is compared with −tolerance and −2·tolerance.
    Without baseline, target or actual the status is "no data".
    """
    acts = {y: v for y, v in actuals(indicator).items() if v is not None}
    if not acts:
        return {"status": "no_data"}
    year = max(acts)
    actual = acts[year]
    plan = expected(indicator, year)
    if plan is None:
        return {"status": "no_data", "year": year, "actual": actual}
    base, tol = indicator.baseline, indicator.tolerance
    sign = 1.0 if indicator.direction == Indicator.Direction.UP else -1.0
    if plan == base:
        score = 1.0 + sign * (actual - base) / abs(base) if base else 1.0
    else:
        score = (actual - base) / (plan - base)
    state = "on_track" if score >= 1 - tol else "at_risk" if score >= 1 - 2 * tol else "off_track"
    return {"status": state, "year": year, "actual": actual, "expected": plan, "progress": score}
