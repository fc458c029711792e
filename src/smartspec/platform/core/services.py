"""The platform's operations: audit, optimistic locking, snapshots, area evidence, imports."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import get_language

from smartspec.data import Store
from smartspec.data.classifications import resolve_region
from smartspec.data.classifications.nace import normalise_activity
from smartspec.errors import InputError, SmartspecError
from smartspec.platform.core.models import (
    AnalysisSnapshot,
    AreaActivity,
    AuditEvent,
    PriorityArea,
    Strategy,
)
from smartspec.report import i18n

# The analysis is imported in the functions that use it: smartspec.analysis (with scipy) costs
# ~150 ms at start-up, and every manage command (migrate, backup, restore …) imports this module
# through Django's URL checks without running an analysis.


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
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports)
    from smartspec.analysis import analyse

    result = analyse(strategy.region.code, **params)
    snap = AnalysisSnapshot.objects.create(strategy=strategy, created_by=user, region_code=strategy.region.code,
                                           parameters=result["parameters"], datasets=result["datasets"], result=result)
    record(user, strategy.region, "create", snap, summary=f"analysis snapshot {snap}")
    return snap


MAX_RELATEDNESS_UPLOAD = 200 * 1024 * 1024


def read_uploaded_relatedness(upload, level: str = "division"):
    """An uploaded job-flow table or relatedness matrix (CSV or Parquet) as ``(matrix, description)``
    at the activity ``level`` of the analysis' structure, read from a temporary copy that is removed
    afterwards."""
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports)
    from smartspec.analysis.relatedness_input import read_relatedness

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
            return read_relatedness(path, level=level)
        except InputError as exc:  # named by the upload's own name, not the server's path of its copy
            raise InputError(str(exc).replace(str(path), upload.name).replace(tmp, "")) from None
        except (ValueError, KeyError, OSError) as exc:  # a file pandas or pyarrow cannot read
            detail = str(exc).replace(str(path), upload.name).replace(tmp, "")
            raise InputError(f"{upload.name}: not a readable flow or relatedness table ({detail})") from None


def evidence(result: dict, activities, lang: str | None = None) -> dict:
    """An area's evidence on the data an analysis result was made from, computed by
    :func:`smartspec.analysis.evidence.for_result` (the web layer computes no indicator).
    ``{"available": False, "reason": …}`` when there is nothing to show.

    Besides the engine's keys (``basis`` measured | estimated | incomplete, ``employment``
    and ``lq`` on measured cells only, ``*_estimate``/``*_low``/``*_high``), it carries what the
    pages say in the viewer's language: ``level_name``, ``verdict_name``, ``basis_name`` ("on
    estimates"), ``coarser_name`` ("on a broader activity") and, when the figures are those of
    a region that contains the analysed one, ``figures_for`` ("Figures for SE31, the region
    that contains SE311") and ``growth_region`` (the series' region, which may be the own one)."""
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports)
    from smartspec.analysis.evidence import for_result

    activities = [(normalise_activity(c), float(w)) for c, w in activities]
    if not activities:
        return {"available": False, "activities": [], "reason": "no_nace"}
    if str(result.get("schema_version", "")).split(".")[0] != "2" or "data" not in result:
        return {"available": False, "activities": [], "reason": "old_schema"}
    try:
        ev = for_result(result, activities)
    except SmartspecError as exc:  # the snapshot's datasets are no longer stored, or do not cover the region
        return {"available": False, "activities": [], "reason": "data_missing", "error": str(exc)}
    if ev.get("available"):  # display names in the viewer's language
        lang = _lang(lang)
        ev = {**ev, "level_name": level_name(ev["level"], lang), "verdict_name": verdict_name(ev["verdict"], lang),
              "basis_name": i18n.t("basis_estimated", lang) if ev.get("basis") == "estimated" else "",
              "coarser_name": i18n.t("basis_coarser", lang) if ev.get("coarser_only") else "",
              **coarse_data(result, lang)}
    return ev


def coarse_data(result: dict, lang: str | None = None) -> dict:
    """``{"figures_for": "Figures for SE31, the region that contains SE311", "growth_region": …}``
    when the result's structure figures are those of a region containing the analysed one
    (the data are too coarse for it), else ``{}``: said next to every such number."""
    structure = (result.get("data") or {}).get("structure") or {}
    if not structure or structure.get("own", True):
        return {}
    series = next((u for u in result["data"].get("uses", []) if u["role"] == "series"), None)
    return {"figures_for": i18n.t("parent_badge", _lang(lang), parent=structure["home"], region=result["region"]["code"]),
            "growth_region": series["home"] if series else None}


def area_evidence(area: PriorityArea, snapshot: AnalysisSnapshot | None = None) -> dict:
    """The area's evidence from its evidence snapshot (else the strategy's latest). An area
    without codes that names horizontal themes says so (``horizontal``: the themes)."""
    acts = [(a.nace, a.weight) for a in area.activities.all()]
    snap = snapshot or area.evidence_snapshot or area.strategy.snapshots.first()
    if snap is None:
        return {"available": False, "activities": [], "reason": "no_snapshot", **_horizontal(area, acts)}
    return {**evidence(snap.result, acts), "snapshot": snap.pk, "snapshot_at": snap.created_at.isoformat(),
            **_horizontal(area, acts)}


def _horizontal(area: PriorityArea, acts) -> dict:
    return {"horizontal": list(area.themes)} if not acts and area.themes else {}


def evidence_rows(strategy: Strategy) -> list[tuple[PriorityArea, dict]]:
    """Every area of the strategy (archived ones left out) with its evidence, reading each snapshot once."""
    snaps: dict = {}
    latest = strategy.snapshots.first()
    rows = []
    for area in strategy.areas.active().prefetch_related("activities", "leads"):
        sid = area.evidence_snapshot_id or (latest.pk if latest else None)
        if sid is not None and sid not in snaps:
            snaps[sid] = latest if latest and latest.pk == sid else AnalysisSnapshot.objects.get(pk=sid)
        rows.append((area, area_evidence(area, snaps.get(sid)) if sid else
                     {"available": False, "activities": [], "reason": "no_snapshot",
                      **_horizontal(area, [a.nace for a in area.activities.all()])}))
    return rows


# --- the data choice of step 1 ----------------------------------------------------------------------

def _lang(lang: str | None = None) -> str:
    return "sv" if (lang or get_language() or "").startswith("sv") else "en"


def level_name(level: str, lang: str | None = None) -> str:
    """An activity level in the field's own terms (the report's names: SNI's in Swedish)."""
    return i18n.level_name(level, _lang(lang))


def tier_name(tier: str, lang: str | None = None) -> str:
    return i18n.tier_name(tier, _lang(lang))


def verdict_name(verdict: str, lang: str | None = None) -> str:
    """strength / small / partial / potential / weak / unknown / no_nace / no_data, as the report says it."""
    return i18n.t(verdict, _lang(lang)) if verdict in i18n.MESSAGES else verdict


OPTIONS_TTL = 300  # seconds; the key also changes whenever a dataset version is stored or removed
_options_cache: dict = {}


def _stored_key() -> tuple:
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports)
    from smartspec.analysis.choice import candidate_names

    stored = Store().datasets()
    versions = {d: int(v) for d, v in stored.groupby("dataset")["version"].max().items()} if len(stored) else {}
    return tuple((name, versions.get(name)) for name in candidate_names())


def dataset_options(region_code: str) -> dict[str, list[dict]]:
    """The datasets a coordinator may choose for the analysis of a region:
    ``structure`` — the stored datasets with region × activity counts that cover it (itself or a
    region containing it), each with the tier, level, home region and years it would use;
    ``reference`` — every dataset with such counts (the regions a structure is compared with).
    Cached for a few minutes, and recomputed when the store changes."""
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports)
    from smartspec.analysis.choice import CoverageError, choose, main_slice

    key = (region_code, _stored_key())
    hit = _options_cache.get(key)
    if hit and time.monotonic() - hit[0] < OPTIONS_TTL:
        return hit[1]
    region = resolve_region(region_code)
    structure, reference = [], []
    for name, _version in key[1]:
        try:
            s = main_slice(name)
        except SmartspecError:  # no region × activity counts (GDP, indicators), or not readable
            continue
        if s.levels:
            tier = max(s.regions, key=lambda t: len(s.regions[t])) if s.regions else ""
            reference.append({"dataset": name, "level": s.levels[0], "tier": tier,
                              "n_regions": len(s.regions.get(tier, ())), "years": [s.years[0], s.years[-1]]})
        try:
            use = choose(region, [name]).get("structure")
        except CoverageError:
            continue
        if use is not None:
            structure.append({"dataset": name, "level": use.level, "tier": use.tier, "home": use.home,
                              "own": use.own, "years": [use.slice.years[0], use.slice.years[-1]]})
    out = {"structure": structure, "reference": reference}
    _options_cache.clear()
    _options_cache[key] = (time.monotonic(), out)
    return out


def structure_level(region_code: str, datasets=None) -> str:
    """The activity level the analysis' relatedness will be computed at for this data choice
    (the coarser of structure and reference; division when the data are too coarse for it)."""
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports)
    from smartspec.analysis.choice import LEVEL_ORDER, choose

    uses = choose(resolve_region(region_code), datasets)
    levels = [uses[role].level for role in ("structure", "reference") if role in uses]
    level = max(levels, key=LEVEL_ORDER.index) if levels else "division"
    return level if level in ("division", "group", "class") else "division"


def analysis_datasets(region_code: str, structure: str = "", reference: str = "") -> list[str] | None:
    """The ``datasets`` argument of :func:`smartspec.analysis.analyse` for a choice made in
    step 1 (``""`` = chosen by coverage). A named role restricts the analysis to the named
    datasets, so the roles left open are filled with the datasets chosen by coverage."""
    if not structure and not reference:
        return None
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports)
    from smartspec.analysis.choice import choose

    auto = choose(resolve_region(region_code))
    out = []
    if structure:
        out.append(f"structure={structure}")
    elif "structure" in auto:
        out.append(f"structure={auto['structure'].dataset}")
    if "series" in auto:
        out.append(f"series={auto['series'].dataset}")
    if reference:
        out.append(f"reference={reference}")
    return out


def set_activities(area: PriorityArea, codes: list[tuple[str, float]], reasons: dict | None = None) -> None:
    """Replace the area's NACE codes. ``reasons`` (code → why it was suggested) is kept with
    the codes; without it, a code the area keeps keeps its reason, and a new code has none."""
    if reasons is None:
        reasons = {a.nace: a.reason for a in area.activities.all() if a.reason}
    reasons = {normalise_activity(c): r for c, r in reasons.items()}
    area.activities.all().delete()
    AreaActivity.objects.bulk_create([AreaActivity(area=area, nace=(code := normalise_activity(c)), weight=w,
                                                   reason=reasons.get(code)) for c, w in codes])


def declared_lan(strategy: Strategy, nuts3: list[str] | None = None) -> tuple[list[str], list[str]]:
    """The län (NUTS 3 codes) whose declared S3 areas are the strategy region's own, and those
    of them that the compiled list (the mirror's ``sweden/s3_priority_areas.csv``) lacks:
    missing there, which says nothing about whether the län has priorities (Västerbotten).
    ``([], [])`` for a region outside Sweden."""
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports)
    from smartspec.analysis.priorities import declared_areas
    from smartspec.data.classifications.regions import regions_within

    listed = set(declared_areas()["nuts3"])
    if nuts3:
        lan = list(nuts3)
    else:
        code = strategy.region.code
        try:
            region = resolve_region(code)
        except SmartspecError:  # a code the classifications do not know: the län listed under it
            lan = sorted(c for c in listed if c.startswith(code))
        else:
            if region.country != "SE":
                return [], []
            if region.tier == "kommun":
                lan = [region.nuts3]
            elif region.tier == "fa":
                lan = sorted({resolve_region(k).nuts3 for k in regions_within(region.code, "kommun")})
            elif region.tier == "nuts3":
                lan = [region.code]
            else:
                lan = regions_within(region.code, "nuts3")
    return lan, [c for c in lan if c not in listed]


def _reason(match: dict) -> dict:
    return {"source": match["source"], "matched_terms": list(match["matched_terms"]),
            "score": round(float(match["score"]), 4), "level": match.get("level")}


def import_declared_areas(strategy: Strategy, user=None, nuts3: list[str] | None = None) -> list[PriorityArea]:
    """Create the region's declared S3 areas (mirror file) as priority areas, with their
    source and the NACE codes matched to their names by meaning
    (:func:`smartspec.analysis.matching.match_area`), each code with why it was matched
    (``AreaActivity.reason``); a horizontal theme (sustainability, digitalisation …) gets no
    codes and its themes named (``PriorityArea.themes``). Existing names are left alone.
    :func:`declared_lan` says which of the region's län the compiled list lacks."""
    # lazy: the analysis costs ~150 ms at start-up (see the note at the imports)
    from smartspec.analysis.matching import match_area
    from smartspec.analysis.priorities import declared_areas

    lan, _missing = declared_lan(strategy, nuts3)
    table = declared_areas()
    rows = table[table["nuts3"].isin(lan)]
    created = []
    kinds = {"strength": PriorityArea.Kind.STRENGTH, "development": PriorityArea.Kind.GROWTH,
             "enabling": PriorityArea.Kind.ENABLING}
    with transaction.atomic():
        for r in rows.itertuples():
            if strategy.areas.filter(name=r.area_sv).exists():
                continue
            match = match_area(r.area_sv, r.area_en)
            codes = [] if match["horizontal"] else match["codes"]
            area = PriorityArea.objects.create(
                strategy=strategy, name=r.area_sv, name_en=r.area_en, kind=kinds.get(r.area_kind, PriorityArea.Kind.STRENGTH),
                description=f"{r.region}: {r.strategy} ({r.period})", source_url=r.source_url[:500],
                themes=list(match["themes"]),
                keywords=", ".join(sorted(set(r.area_en.lower().split()) - {"and", "of", "the", "in", "for", "with"}))[:500])
            set_activities(area, [(m["code"], 1.0) for m in codes], reasons={m["code"]: _reason(m) for m in codes})
            record(user, strategy.region, "create", area, summary=f"imported declared area {area.name}")
            created.append(area)
    return created


def warm_evidence() -> int:
    """Compute the evidence of every current strategy's areas once, so that no visitor pays
    for loading the data (about 2 s a process): run where the server starts (its wsgi module,
    before gunicorn forks its workers with ``--preload``). Returns the areas computed."""
    n = 0
    for strategy in Strategy.objects.exclude(status=Strategy.Status.SUPERSEDED).select_related("region"):
        n += len(evidence_rows(strategy))
    return n
