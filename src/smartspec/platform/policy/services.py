"""Computed indicators (with history) and the status rule of monitoring."""

from __future__ import annotations

from django.db import transaction

from smartspec import data
from smartspec.data.classifications import resolve_region
from smartspec.errors import SmartspecError
from smartspec.platform.core.services import record
from smartspec.platform.policy.models import Indicator, Observation


def _activities(indicator: Indicator) -> list[tuple[str, float]]:
    if indicator.area is None:
        raise SmartspecError("this indicator needs a priority area (its NACE activities define what is counted)")
    acts = [(a.nace, a.weight) for a in indicator.area.activities.all()]
    if not acts:
        raise SmartspecError(f"area {indicator.area} has no NACE activities")
    return acts


def _gdp_per_head(region: str) -> tuple[dict[int, float], str, int]:
    """GDP per head by year as the analysis reads it (:func:`smartspec.analysis.loader.gdp_per_head`)."""
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports of core.services)
    from smartspec.analysis.loader import Context, gdp_per_head

    ctx = Context(region=resolve_region(region), lang="en", uses={})
    frame = gdp_per_head(ctx, region)
    if frame is None or not ctx.used:
        raise SmartspecError(f"no GDP per head is stored for {region}")
    frame = frame[frame["region"].notna()]
    dataset = next(iter(ctx.used))
    return dict(zip(frame["year"].astype(int), frame["region"].astype(float))), dataset, data.ensure(dataset)


def _series_use(region: str):
    """The employment series the analysis chooses for the region by coverage."""
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports of core.services)
    from smartspec.analysis.choice import choose

    use = choose(resolve_region(region)).get("series")
    if use is None:
        raise SmartspecError(f"no employment series covers {region}: import one (smartspec data import)")
    return use


def source_version(indicator: Indicator) -> tuple[str, int] | None:
    """The dataset and version a computed indicator reads now (None for manual ones): the
    GDP table, or the employment series the analysis chooses for the region by coverage."""
    if indicator.source == Indicator.Source.MANUAL:
        return None
    region = indicator.strategy.region.code
    if indicator.source == Indicator.Source.GDP_PER_HEAD:
        _, dataset, version = _gdp_per_head(region)
        return dataset, version
    use = _series_use(region)
    return use.dataset, use.slice.version


def compute_series(indicator: Indicator) -> tuple[dict[int, float], str, int]:
    """The indicator's values by year from the statistics: (series, dataset, version). Area
    employment and LQ (against the country) come from :func:`smartspec.analysis.evidence.area_series`."""
    region = indicator.strategy.region.code
    if indicator.source == Indicator.Source.GDP_PER_HEAD:
        return _gdp_per_head(region)
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports of core.services)
    from smartspec.analysis.evidence import area_series

    acts = _activities(indicator)
    by_year, dataset, version = area_series(region, acts, dataset=_series_use(region).dataset)
    key = "employment" if indicator.source == Indicator.Source.AREA_EMPLOYMENT else "lq"
    return {y: v[key] for y, v in by_year.items() if v[key] is not None}, dataset, version


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
