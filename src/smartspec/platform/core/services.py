"""The platform's operations: audit, optimistic locking, snapshots, area evidence, imports."""

from __future__ import annotations

import math

from django.db import transaction
from django.forms.models import model_to_dict

from smartspec.data.classifications.nace import A10, ancestor_at, normalise_activity, sections_of
from smartspec.platform.core.models import (AnalysisSnapshot, AreaActivity, AuditEvent, PriorityArea, Strategy)


class ConflictError(Exception):
    """Someone else saved the object after it was loaded."""


def _jsonable(values: dict) -> dict:
    out = {}
    for k, v in values.items():
        if isinstance(v, (str, int, float, bool)) or v is None:
            out[k] = v
        elif isinstance(v, list):
            out[k] = [getattr(x, "pk", x) for x in v]
        else:
            out[k] = str(v)
    return out


def snapshot_of(obj) -> dict:
    return _jsonable(model_to_dict(obj))


def record(user, region, action: str, obj, before: dict | None = None, summary: str = "") -> AuditEvent:
    after = snapshot_of(obj) if action != "delete" else {}
    changes = {k: [before.get(k) if before else None, after.get(k)] for k in set(after) | set(before or {})
               if (before or {}).get(k) != after.get(k)}
    return AuditEvent.objects.create(user=user if user and user.is_authenticated else None, region=region,
                                     action=action, model=obj.__class__.__name__, object_id=str(obj.pk),
                                     summary=(summary or str(obj))[:300], changes=changes)


def save_versioned(obj, user, region, *, expected_version: int | None, before: dict | None = None):
    """Save ``obj`` if nobody else saved it since ``expected_version`` was read (optimistic locking)."""
    model = obj.__class__
    with transaction.atomic():
        if obj.pk is None:
            obj.save()
            record(user, region, "create", obj)
            return obj
        current = model.objects.select_for_update().filter(pk=obj.pk).values_list("lock_version", flat=True).first()
        if expected_version is not None and current != expected_version:
            raise ConflictError(obj)
        obj.lock_version = (current or 0) + 1
        obj.save()
        record(user, region, "update", obj, before=before)
    return obj


def take_snapshot(strategy: Strategy, user=None, **params) -> AnalysisSnapshot:
    from smartspec.analysis import analyse

    result = analyse(strategy.region.code, **params)
    snap = AnalysisSnapshot.objects.create(strategy=strategy, created_by=user, region_code=strategy.region.code,
                                           parameters=result["parameters"], datasets=result["datasets"], result=result)
    record(user, strategy.region, "create", snap, summary=f"analysis snapshot {snap}")
    return snap


MAX_RELATEDNESS_UPLOAD = 200 * 1024 * 1024


def read_uploaded_relatedness(upload):
    """An uploaded job-flow table or relatedness matrix (CSV or Parquet) as ``(matrix, description)``
    at division level, read from a temporary copy that is removed afterwards."""
    import tempfile
    from pathlib import Path

    from smartspec.data.relatedness import read_relatedness
    from smartspec.errors import InputError

    suffix = Path(upload.name).suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InputError(f"{upload.name}: expected a .csv or .parquet file")
    if upload.size > MAX_RELATEDNESS_UPLOAD:
        raise InputError(f"{upload.name}: {upload.size:,} bytes is more than the 200 MB allowed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        with open(path, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        try:
            return read_relatedness(path, level="division")
        except InputError:
            raise
        except (ValueError, KeyError, OSError) as exc:  # a file pandas or pyarrow cannot read
            raise InputError(f"{upload.name}: not a readable flow or relatedness table ({exc})") from None


def _division_table(result: dict) -> dict[str, dict]:
    sec = result["sections"]
    rows = {r["activity"]: dict(r) for r in (sec["specialisations"]["divisions"] or {}).get("rows", [])}
    for s in sec["relatedness"].get("scatter", []) if sec["relatedness"].get("available") else []:
        rows.setdefault(s["activity"], {"activity": s["activity"]}).update(density=s["density"], pci=s["pci"])
    return rows


def _a10_of(code: str) -> str | None:
    section = sections_of(code)[0]
    return next((g for g in A10 if section in sections_of(g)), None)


def evidence(result: dict, activities: list[tuple[str, float]]) -> dict:
    """An area's evidence from a snapshot: employment, LQ, growth, relatedness density and
    complexity, aggregated over its NACE activities (weights multiply employment; density
    and PCI are employment-weighted means, falling back to plain means)."""
    table = _division_table(result)
    a10 = {r["activity"]: r for r in (result["sections"]["specialisations"].get("a10") or {}).get("rows", [])}
    divisions = []
    for code, weight in activities:
        code = normalise_activity(code)
        div = ancestor_at(code, "division") if len(code) > 2 and "-" not in code else None
        targets = [div] if div else ([code] if code in table else [d for d in table if _covers(code, d)])
        divisions += [(d, weight) for d in targets if d in table]
    if not divisions:
        return {"available": False, "divisions": []}
    emp = region_total = share_eu = 0.0
    known = True
    dens, pcis, grow = [], [], []
    for d, w in divisions:
        row = table[d]
        if row.get("employment") is None:
            known = False
        else:
            emp += w * row["employment"]
            region_total = row.get("region_total") or region_total
            share_eu += w * (row.get("share_europe") or 0.0)
        if row.get("density") is not None:
            dens.append((row["density"], w * (row.get("employment") or 0) + 1e-9))
            pcis.append((row["pci"], w * (row.get("employment") or 0) + 1e-9))
        g = a10.get(_a10_of(d))
        if g and g.get("growth") is not None:
            grow.append((g["growth"], w * (row.get("employment") or 0) + 1e-9))
    lq = (emp / region_total) / share_eu if region_total and share_eu else None
    return {"available": True, "divisions": sorted({d for d, _ in divisions}), "employment": emp if known else None,
            "employment_known_part": emp, "complete": known, "lq": lq, "density": _wmean(dens), "pci": _wmean(pcis),
            "growth": _wmean(grow), "growth_level": "A10" if grow else None}


def _covers(code: str, division: str) -> bool:
    try:
        return sections_of(division)[0] in sections_of(code)
    except Exception:
        return False


def _wmean(pairs):
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if pairs and total and not any(math.isnan(v) for v, _ in pairs) else None


def area_evidence(area: PriorityArea, snapshot: AnalysisSnapshot | None = None) -> dict:
    snap = snapshot or area.evidence_snapshot or area.strategy.snapshots.first()
    if snap is None:
        return {"available": False, "divisions": [], "reason": "no_snapshot"}
    acts = [(a.nace, a.weight) for a in area.activities.all()]
    return {**evidence(snap.result, acts), "snapshot": snap.pk, "snapshot_at": snap.created_at.isoformat()}


def evidence_rows(strategy: Strategy) -> list[tuple[PriorityArea, dict]]:
    """Every area of the strategy with its evidence, reading each snapshot once."""
    snaps: dict = {}
    latest = strategy.snapshots.first()
    rows = []
    for area in strategy.areas.prefetch_related("activities", "leads"):
        sid = area.evidence_snapshot_id or (latest.pk if latest else None)
        if sid is not None and sid not in snaps:
            snaps[sid] = latest if latest and latest.pk == sid else AnalysisSnapshot.objects.get(pk=sid)
        rows.append((area, area_evidence(area, snaps.get(sid)) if sid else {"available": False, "divisions": []}))
    return rows


def set_activities(area: PriorityArea, codes: list[tuple[str, float]]) -> None:
    area.activities.all().delete()
    AreaActivity.objects.bulk_create([AreaActivity(area=area, nace=normalise_activity(c), weight=w) for c, w in codes])


def import_declared_areas(strategy: Strategy, user=None, nuts3: list[str] | None = None) -> list[PriorityArea]:
    """Create the region's declared S3 areas (mirror file) as priority areas, with their
    source and a keyword-based NACE suggestion; existing names are left alone."""
    from smartspec.analysis.priorities import declared_areas, suggested_nace

    codes = nuts3 or ([strategy.region.code] if len(strategy.region.code) == 5 else None)
    table = declared_areas()
    rows = table[table["nuts3"].isin(codes)] if codes else table[table["nuts3"].str.startswith(strategy.region.code)]
    created = []
    kinds = {"strength": PriorityArea.Kind.STRENGTH, "development": PriorityArea.Kind.GROWTH,
             "enabling": PriorityArea.Kind.ENABLING}
    with transaction.atomic():
        for r in rows.itertuples():
            if strategy.areas.filter(name=r.area_sv).exists():
                continue
            area = PriorityArea.objects.create(
                strategy=strategy, name=r.area_sv, name_en=r.area_en, kind=kinds.get(r.area_kind, PriorityArea.Kind.STRENGTH),
                description=f"{r.region}: {r.strategy} ({r.period})", source_url=r.source_url[:500],
                keywords=", ".join(sorted(set(r.area_en.lower().split()) - {"and", "of", "the", "in", "for", "with"}))[:500])
            set_activities(area, [(c, 1.0) for c in suggested_nace(r.area_sv, r.area_en)])
            record(user, strategy.region, "create", area, summary=f"imported declared area {area.name}")
            created.append(area)
    return created


def _has_actions(strategy: Strategy, running: bool = False) -> bool:
    from smartspec.platform.policy.models import Action

    qs = Action.objects.filter(area__strategy=strategy)
    return (qs.exclude(status="planned") if running else qs).exists()


STEPS = ("analysis", "governance", "vision", "priorities", "policy", "monitoring")


def step_status(strategy: Strategy) -> list[dict]:
    """Where the six S3 steps stand, from what the strategy holds."""
    from smartspec.platform.edp.models import Decision

    decided = Decision.objects.filter(consultation__strategy=strategy).exists()
    facts = {
        "analysis": (strategy.snapshots.exists(), strategy.swot.exists()),
        "governance": (strategy.bodies.filter(kind="steering").exists(), strategy.bodies.filter(members__isnull=False).exists()),
        "vision": (bool(strategy.vision.strip()), strategy.goals.exists()),
        "priorities": (strategy.areas.exists(), decided),
        "policy": (_has_actions(strategy), _has_actions(strategy, running=True)),
        "monitoring": (strategy.indicators.exists(), strategy.indicators.filter(observations__isnull=False).exists()),
    }
    out = []
    for step in STEPS:
        a, b = facts[step]
        out.append({"step": step, "state": "done" if a and b else "started" if a or b else "todo"})
    return out
