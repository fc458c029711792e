"""A small read-only JSON API (with its OpenAPI description) for exporting and integrating:
the strategies a user may see, and their priority areas with evidence."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from smartspec import __version__
from smartspec.platform.core import services
from smartspec.platform.core.models import Strategy
from smartspec.platform.core.permissions import can_view


def _visible(request, strategy) -> bool:
    return strategy.status == Strategy.Status.ADOPTED or can_view(request.user, strategy)


def _strategy_json(s: Strategy) -> dict:
    return {"id": s.pk, "region": s.region.code, "region_name": s.region.name, "title": s.title,
            "period_start": s.period_start, "period_end": s.period_end, "status": s.status, "version": s.version,
            "is_demo": s.is_demo}


def _error(status, message):
    return JsonResponse({"error": message}, status=status)


def _find(sid):
    """The strategy with id ``sid`` (a path segment: anything that is not a positive integer finds nothing)."""
    return Strategy.objects.select_related("region").filter(pk=int(sid)).first() if str(sid).isdigit() else None


@csrf_exempt  # read-only: any other method is answered 405 by require_GET
@require_GET
def strategies(request):
    items = [_strategy_json(s) for s in Strategy.objects.select_related("region") if _visible(request, s)]
    return JsonResponse({"strategies": items})


def _visible_or_error(request, sid):
    """(strategy, None) if the caller may see it, else (None, the JSON error response)."""
    s = _find(sid)
    if s is None:
        return None, _error(404, "no such strategy")
    if not _visible(request, s):
        return None, _error(403, "not allowed")
    return s, None


@csrf_exempt  # read-only: any other method is answered 405 by require_GET
@require_GET
def strategy(request, sid):
    s, error = _visible_or_error(request, sid)
    if error:
        return error
    return JsonResponse({**_strategy_json(s), "vision": s.vision,
                         "goals": [{"title": g.title, "rationale": g.rationale} for g in s.goals.all()]})


#: An area's evidence as the API gives it (:func:`smartspec.analysis.evidence.area_evidence`):
#: ``employment`` and ``lq`` on measured cells only (null when a cell is suppressed); with
#: suppressed cells estimated under the published totals (``basis`` estimated) the
#: ``*_estimate`` values and their intervals; ``basis`` incomplete: not estimable, nothing said.
EVIDENCE_KEYS = ("basis", "employment", "employment_estimate", "employment_low", "employment_high",
                 "lq", "lq_estimate", "lq_low", "lq_high", "growth", "density", "pci", "activities", "level",
                 "complete", "suppressed", "coarser", "verdict", "dataset", "year", "region")
VERDICTS = ("strength", "small", "partial", "potential", "weak", "unknown", "no_nace", "no_data")


@csrf_exempt  # read-only: any other method is answered 405 by require_GET
@require_GET
def areas(request, sid):
    s, error = _visible_or_error(request, sid)
    if error:
        return error
    out = []
    for a, ev in services.evidence_rows(s):
        out.append({"id": a.pk, "name": a.name, "name_en": a.name_en, "kind": a.kind, "orientation": a.orientation,
                    "nace": [{"code": x.nace, "weight": x.weight} for x in a.activities.all()],
                    "evidence": {k: ev.get(k) for k in EVIDENCE_KEYS}})
    return JsonResponse({"areas": out})


@csrf_exempt  # read-only: any other method is answered 405 by require_GET
@require_GET
def openapi(request):
    strategy_schema = {"type": "object", "required": ["id", "region", "title", "status"], "properties": {
        "id": {"type": "integer"}, "region": {"type": "string"}, "region_name": {"type": "string"},
        "title": {"type": "string"}, "period_start": {"type": "integer"}, "period_end": {"type": "integer"},
        "status": {"type": "string", "enum": ["draft", "adopted", "superseded"]}, "version": {"type": "integer"},
        "is_demo": {"type": "boolean"}}}
    num = {"type": ["number", "null"]}
    text = {"type": ["string", "null"]}
    codes = {"type": "array", "items": {"type": "string"}}
    codes_or_null = {"type": ["array", "null"], "items": {"type": "string"}}
    error = {"description": "error", "content": {"application/json": {"schema": {
        "type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}}}
    sid = [{"name": "sid", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}]
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "smartspec API", "version": __version__},
        "paths": {
            "/api/v1/strategies/": {"get": {"operationId": "listStrategies", "responses": {"200": {
                "description": "strategies the caller may see", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["strategies"],
                    "properties": {"strategies": {"type": "array", "items": strategy_schema}}}}}}}}},
            "/api/v1/strategies/{sid}/": {"get": {"operationId": "getStrategy", "parameters": sid, "responses": {
                "200": {"description": "a strategy", "content": {"application/json": {"schema": strategy_schema}}},
                "403": error, "404": error}}},
            "/api/v1/strategies/{sid}/areas/": {"get": {"operationId": "listAreas", "parameters": sid, "responses": {
                "200": {"description": "priority areas with evidence", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["areas"], "properties": {"areas": {"type": "array", "items": {
                        "type": "object", "required": ["id", "name", "nace", "evidence"], "properties": {
                            "id": {"type": "integer"}, "name": {"type": "string"}, "kind": {"type": "string"},
                            "nace": {"type": "array", "items": {"type": "object"}},
                            "evidence": {"type": "object", "properties": {
                                "basis": {"type": ["string", "null"], "enum": ["measured", "estimated", "incomplete", None],
                                          "description": "measured: no cell suppressed; estimated: suppressed cells "
                                                         "estimated under the published totals; incomplete: not "
                                                         "estimable (employment and LQ unknown)"},
                                "employment": {**num, "description": "measured cells only: null when a cell is suppressed"},
                                "employment_estimate": num, "employment_low": num, "employment_high": num,
                                "lq": {**num, "description": "measured cells only: null when a cell is suppressed"},
                                "lq_estimate": num, "lq_low": num, "lq_high": num,
                                "growth": num, "density": num, "pci": num,
                                "complete": {"type": ["boolean", "null"]},
                                "activities": codes, "suppressed": codes_or_null, "coarser": codes_or_null,
                                "level": text, "dataset": text,
                                "region": {**text, "description": "the region the figures are for: one containing the "
                                                                  "strategy's region when its data are too coarse"},
                                "verdict": {"type": ["string", "null"], "enum": [*VERDICTS, None]},
                                "year": {"type": ["integer", "null"]}}}}}}}}}}},
                "403": error, "404": error}}},
        },
    }
    return JsonResponse(spec)


