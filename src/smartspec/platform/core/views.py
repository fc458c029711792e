"""Views of the strategy (steps 1-4). Every view checks the user's role in the region."""

from __future__ import annotations

import json
import math

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartspec.data.classifications import activity_name, resolve_region
from smartspec.errors import InputError, SmartspecError
from smartspec.platform.core import forms as F
from smartspec.platform.core import lifecycle, services, steps
from smartspec.platform.core.downloads import table_download
from smartspec.platform.core.exchange import PLAN, export_strategy, restore
from smartspec.platform.core.imports import import_actors, public_message
from smartspec.platform.core.models import (
    AuditEvent,
    PriorityArea,
    Region,
    Role,
    Strategy,
)
from smartspec.platform.core.permissions import (
    can_coordinate,
    can_edit,
    can_edit_area,
    can_view,
    is_frozen,
    require,
    require_edit,
    roles,
    visible_consultations,
)
from smartspec.platform.core.shortcuts import conflict, page_context, strategy_view
from smartspec.report import chart_specs, i18n, named


def home(request):
    public = Strategy.objects.filter(status=Strategy.Status.ADOPTED).select_related("region")
    mine = []
    if request.user.is_authenticated:
        mine = [s for s in Strategy.objects.select_related("region") if can_view(request.user, s)]
    return render(request, "core/home.html", {"public": public, "mine": mine})


def public_strategy(request, region_code):
    """The adopted version of the region's strategy (of its latest period), readable by anyone;
    drafts never show here, so the page changes only when a version is adopted."""
    region = get_object_or_404(Region, code=region_code.upper())
    strategy = region.strategies.filter(status=Strategy.Status.ADOPTED).order_by("-period_start").first()
    if strategy is None:
        return render(request, "core/public.html", {"region": region, "strategy": None, "public": True}, status=404)
    areas = services.evidence_rows(strategy)
    return render(request, "core/public.html", {"strategy": strategy, "areas": areas, "figures_for": _figures_for(areas),
                                                "portfolio": _portfolio_spec(areas, request.LANGUAGE_CODE),
                                                "goals": strategy.goals.active(), "public": True})


@strategy_view()
def dashboard(request, strategy):
    areas = services.evidence_rows(strategy)
    return render(request, "core/dashboard.html", page_context(
        request, strategy, steps=steps.step_status(strategy), areas=areas, figures_for=_figures_for(areas),
        portfolio=_portfolio_spec(areas, request.LANGUAGE_CODE), consultations=visible_consultations(request.user, strategy)[:5]))


def _figures_for(rows) -> list[str]:
    """The "Figures for SE31, the region that contains SE311" notes of a list of areas' evidence."""
    return sorted({ev["figures_for"] for _, ev in rows if ev.get("figures_for")})


def _portfolio_spec(areas, lang, view: str = "lq_growth", width: int = 560):
    """All areas on one chart: LQ × growth, or relatedness density × complexity (bubble = employment)."""
    values = [{"area": a.name, "lq": ev["lq_estimate"], "growth": ev["growth"], "employment": ev["employment_estimate"],
               "density": ev["density"], "pci": ev["pci"], "kind": a.get_kind_display(),
               "basis": ev.get("basis_name") or "", "estimated": ev.get("basis") == "estimated"}
              for a, ev in areas if ev.get("available") and ev.get("lq_estimate") is not None]
    if not values:
        return None
    if view == "density_pci":
        x, y, xt, yt, rule = "density", "pci", _("Relatedness density"), _("Complexity (PCI)"), None
    else:
        x, xt, rule = "lq", "LQ", 1
        y = "growth" if all(v["growth"] is not None for v in values) else "pci"
        yt = _("Growth") if y == "growth" else _("Complexity (PCI)")
    # LQ on a log scale: 0.5 and 2 lie equally far from 1, and one very high LQ does not crowd the rest
    xscale = {"type": "log", "nice": False, "padding": 24} if x == "lq" and all(v["lq"] > 0 for v in values) \
        else {"zero": False, "padding": 24}
    _label_points(values, x, y, log_x="type" in xscale)
    layers = [
        {"mark": {"type": "circle", "stroke": "#333", "strokeWidth": 0.5},
         "encoding": {"opacity": {"condition": {"test": "datum.estimated", "value": 0.35}, "value": 0.75},
                      "x": {"field": x, "type": "quantitative", "title": xt, "scale": xscale},
                      "y": {"field": y, "type": "quantitative", "title": yt,
                            **({"axis": {"format": "%"}} if y == "growth" else {})},
                      "size": {"field": "employment", "type": "quantitative", "scale": {"range": [80, 2500]},
                               "title": _("Employment"), "legend": {"orient": "bottom", "tickCount": 4}},
                      "color": {"field": "kind", "type": "nominal", "title": _("Kind"), "legend": {"orient": "bottom"}},
                      "tooltip": [{"field": "area", "title": _("Area")}, {"field": x, "title": xt, "format": ".2f"},
                                  {"field": y, "title": yt, "format": ".1%" if y == "growth" else ".2f"},
                                  {"field": "employment", "title": _("Employment"), "format": ",.0f"},
                                  {"field": "kind", "title": _("Kind")}, {"field": "basis", "title": "≈"}]}},
        {"mark": {"type": "text", "dy": -14, "fontSize": 9, "opacity": 0.8, "limit": 160},
         "encoding": {"x": {"field": x, "type": "quantitative"}, "y": {"field": y, "type": "quantitative"},
                      "text": {"field": "label"}}}]
    if rule is not None:
        layers.append({"mark": {"type": "rule", "strokeDash": [4, 3]}, "encoding": {"x": {"datum": rule}}})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": width, "height": 320,
            "data": {"values": values}, "layer": layers}


def _label_points(values, x, y, *, log_x=False, near=(0.13, 0.07)):
    """Label the bubbles whose labels do not collide (largest first); areas at the same point
    share one label ("A +2"). The others keep their tooltip."""
    def pos(v):
        return (math.log(v[x]) if log_x else v[x]), (v[y] if v[y] is not None else 0)
    pts = [pos(v) for v in values]
    span = [max(p[i] for p in pts) - min(p[i] for p in pts) or 1 for i in (0, 1)]
    kept = []
    for v in sorted(values, key=lambda v: -(v["employment"] or 0)):
        px, py = pos(v)
        same = [w for w in values if pos(w) == (px, py)]
        clash = any(abs(px - kx) / span[0] < near[0] and abs(py - ky) / span[1] < near[1] for kx, ky in kept)
        v["label"] = "" if clash or v is not same[0] else v["area"] + (f" +{len(same) - 1}" if len(same) > 1 else "")
        if v["label"]:
            kept.append((px, py))


# --- generic edit helper ------------------------------------------------------------------------

def _edit(request, strategy, form, *, template, back, title, instance_region=None):
    """Validate and save a form with optimistic locking and audit; re-render on error or conflict."""
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        before = services.snapshot_of(form.instance.__class__.objects.get(pk=obj.pk)) if obj.pk else None
        if hasattr(obj, "strategy_id") and not obj.strategy_id:
            obj.strategy = strategy
        try:
            if hasattr(obj, "lock_version"):
                services.save_versioned(obj, request.user, strategy.region, expected_version=form.cleaned_data.get("lock_version"),
                                        before=before)
            else:
                with transaction.atomic():
                    obj.save()
                    services.record(request.user, strategy.region, "update" if before else "create", obj, before=before)
            form.save_m2m()
        except services.ConflictError:
            return conflict(request, strategy, template, form=form, title=title, back=back)
        messages.success(request, _("Saved."))
        return redirect(back)
    return render(request, template, page_context(request, strategy, form=form, title=title, back=back))


# --- step 1: analysis ---------------------------------------------------------------------------

def _lang(request) -> str:
    return request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("sv", "en") else "en"


def _run_form(strategy, data=None):
    """The data choice of step 1, its options from the datasets that cover the region."""
    try:
        options = services.dataset_options(strategy.region.code)
    except SmartspecError:  # the region is not one the classifications know: only the default choice
        options = None
    return F.AnalysisRunForm(data, options=options)


def _data_rows(result: dict, lang: str) -> list[dict]:
    """What each role of the analysis used: dataset, level, tier, region and years."""
    rows = []
    structure = result["data"].get("structure") or {}
    series = result["data"].get("series") or {}
    for u in result["data"].get("uses", []):
        first, last = series["years"] if u["role"] == "series" and series.get("years") else u["years"]
        if u["role"] == "structure" and structure.get("year"):
            first = last = structure["year"]
        years = str(first) if first == last else f"{first}–{last}"
        rows.append({**u, "year_label": years, "level_label": services.level_name(u["level"], lang),
                     "tier_label": services.tier_name(u["tier"], lang)})
    return rows


MEASURE_SHORT = {"eci": "ECI", "fitness": "Fitness", "genepy": "GENEPY"}


def _complexity(result: dict, lang: str) -> dict | None:
    """The complexity reading of step 1 in the report's words: the measure that passed the
    diagnostics (or that none did, so complexity is left out of the opportunity scores), and
    each candidate's diagnostics."""
    rel = result["sections"]["relatedness"]
    cx = rel.get("complexity")
    if not rel.get("available") or not cx:
        return None
    measure = cx.get("measure")
    if measure:
        text = i18n.t("complexity_chosen", lang, measure=i18n.t(f"measure_{measure}", lang), region=rel["region"],
                      rank=cx.get("rank"), n=cx.get("n_ranked"), rank_c=cx.get("rank_country"),
                      n_c=rel.get("n_regions_country"))
        if not cx.get("activity_validated", True):
            text += " " + i18n.t("complexity_unvalidated", lang)
    else:
        text = i18n.t("complexity_none", lang)
    rows = []
    for name, d in (cx.get("candidates") or {}).items():
        key = f"measure_{name}"
        rows.append({**d, "name": name, "chosen": name == measure,
                     "label": i18n.t(key, lang) if key in i18n.MESSAGES else name,
                     "top_activities": [_named_code(c, lang) for c in d.get("top_activities") or []],
                     "bottom_activities": [_named_code(c, lang) for c in d.get("bottom_activities") or []]})
    return {"measure": measure, "short": MEASURE_SHORT.get(measure, measure), "rank": cx.get("rank"),
            "n_ranked": cx.get("n_ranked"), "text": text, "candidates": rows}


def _named_code(code: str, lang: str) -> dict:
    try:
        return {"code": code, "name": activity_name(code, lang)}
    except (SmartspecError, KeyError):
        return {"code": code, "name": ""}


def _maps_intro(result: dict, lang: str) -> str | None:
    """The report's words over the kommun maps, or why there are none."""
    maps, region = result["sections"].get("maps") or {}, result["region"]
    if maps.get("available") and maps.get("layers"):
        area = i18n.t("maps_lan_of", lang, region=region["name"]) if region.get("tier") == "kommun" else region["name"]
        return i18n.t("maps_intro", lang, area=area, n=sum(1 for x in maps["layers"] if x["kind"] == "strength"),
                      dataset=maps["dataset"], year=maps["year"], level=services.level_name(maps["level"], lang))
    if maps.get("reason") == "no_kommun_data":
        return i18n.t("maps_no_kommun_data", lang)
    return None


@strategy_view()
def analysis(request, strategy):
    snap = strategy.snapshots.first()
    specs, result, data_rows, current, hidden = {}, None, [], False, None
    complexity, maps_intro, figures_for = None, None, None
    if snap:
        current = str(snap.result.get("schema_version", "")).split(".")[0] == "2"
    if current:
        lang = _lang(request)
        specs = {k: v for k, v in chart_specs(snap.result, lang=lang).items()
                 if k in ("lq", "portfolio", "space", "scatter", "map", "kommun_maps")}
        result = named(snap.result, lang)
        data_rows = _data_rows(snap.result, lang)
        share = (snap.result["data"].get("structure") or {}).get("hidden_share")
        hidden = None if share is None else 100 * share
        complexity = _complexity(snap.result, lang)
        scatter = snap.result["sections"]["relatedness"].get("scatter") or []
        if not any(x.get("pci") is not None for x in scatter):
            specs.pop("scatter", None)  # no measure passed, or its activity values did not: no complexity axis
        maps_intro = _maps_intro(snap.result, lang)
        figures_for = services.coarse_data(snap.result, lang).get("figures_for")
    return render(request, "core/analysis.html", page_context(request, strategy, snapshot=snap, specs=specs, r=result,
                                                      complexity=complexity, maps_intro=maps_intro, figures_for=figures_for,
                                                      data_rows=data_rows, hidden_pct=hidden, outdated=bool(snap) and not current,
                                                      run_form=_run_form(strategy) if can_edit(request.user, strategy) else None,
                                                      snapshots=strategy.snapshots.all(), swot=strategy.swot.all(),
                                                      documents=strategy.documents.all()))


@require_POST
@strategy_view(edit=True)
def run_analysis(request, strategy):
    form = _run_form(strategy, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("analysis", strategy.pk)
    try:
        datasets = services.analysis_datasets(strategy.region.code, form.cleaned_data["structure"],
                                              form.cleaned_data["reference"])
        upload = request.FILES.get("relatedness")
        relatedness = None
        if upload:  # read at the level the relatedness will be computed at
            level = services.structure_level(strategy.region.code, datasets)
            relatedness = services.read_uploaded_relatedness(upload, level=level)
        snap = services.take_snapshot(strategy, request.user, lang=_lang(request), relatedness=relatedness,
                                      datasets=datasets)
    except SmartspecError as exc:
        messages.error(request, public_message(exc))
        return redirect("analysis", strategy.pk)
    messages.success(request, _("New analysis snapshot %(snap)s stored; earlier ones are kept.") % {"snap": snap})
    return redirect("analysis", strategy.pk)


@strategy_view()
def snapshot_json(request, strategy, snap_id):
    snap = get_object_or_404(strategy.snapshots, pk=snap_id)
    return JsonResponse(snap.result, json_dumps_params={"ensure_ascii": False})


@strategy_view(edit=True)
def swot_add(request, strategy):
    return _edit(request, strategy, F.SwotForm(request.POST or None), template="core/form.html",
                 back=reverse("analysis", args=[strategy.pk]), title=_("SWOT entry"))


@strategy_view(edit=True)
def document_add(request, strategy):
    return _edit(request, strategy, F.DocumentForm(request.POST or None), template="core/form.html",
                 back=reverse("analysis", args=[strategy.pk]), title=_("Document"))


# --- step 2: governance and actors -------------------------------------------------------------------

@strategy_view()
def actors(request, strategy):
    return render(request, "core/actors.html", page_context(request, strategy, actors=strategy.actors.all(),
                                                    import_form=F.ActorImportForm()))


@strategy_view()
def actors_export(request, strategy, fmt):
    """The actor register as XLSX or CSV (for Excel in the user's language); cells that a
    spreadsheet would run as formulas are neutralised."""
    header = ["name", "type", "contact", "email", "nace", "website"]
    rows = [[a.name, a.kind, a.contact_name, a.contact_email, a.nace, a.website] for a in strategy.actors.all()]
    return table_download(header, rows, fmt, f"actors-{strategy.region.code}", _lang(request), sheet="actors")


@strategy_view(edit=True)
def actor_edit(request, strategy, pk=None):
    actor = get_object_or_404(strategy.actors, pk=pk) if pk else None
    return _edit(request, strategy, F.ActorForm(request.POST or None, instance=actor, strategy=strategy),
                 template="core/form.html",
                 back=reverse("actors", args=[strategy.pk]), title=_("Actor"))


@require_POST
@strategy_view(edit=True)
def actor_import(request, strategy):
    form = F.ActorImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = import_actors(strategy, request.user, upload.name, upload.read())
        except SmartspecError as exc:
            messages.error(request, public_message(exc))
        else:
            messages.success(request, _("%(n)d actors imported.") % {"n": len(created)})
    else:
        messages.error(request, _("Choose a CSV or XLSX file."))
    return redirect("actors", strategy.pk)


@strategy_view()
def governance(request, strategy):
    bodies = strategy.bodies.prefetch_related("members__actor", "meetings", "areas")
    return render(request, "core/governance.html", page_context(request, strategy, bodies=bodies))


@strategy_view(edit=True)
def body_edit(request, strategy, pk=None):
    body = get_object_or_404(strategy.bodies, pk=pk) if pk else None
    return _edit(request, strategy, F.BodyForm(request.POST or None, instance=body), template="core/form.html",
                 back=reverse("governance", args=[strategy.pk]), title=_("Governance body"))


@strategy_view(edit=True)
def member_add(request, strategy, pk):
    body = get_object_or_404(strategy.bodies, pk=pk)
    form = F.MemberForm(request.POST or None, instance=None)
    form.fields["actor"].queryset = strategy.actors.all()
    if request.method == "POST" and form.is_valid():
        form.instance.body = body
    return _edit(request, strategy, form, template="core/form.html", back=reverse("governance", args=[strategy.pk]),
                 title=_("Member of %(body)s") % {"body": body.name})


@strategy_view(edit=True)
def meeting_add(request, strategy, pk):
    body = get_object_or_404(strategy.bodies, pk=pk)
    form = F.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.body = body
    return _edit(request, strategy, form, template="core/form.html", back=reverse("governance", args=[strategy.pk]),
                 title=_("Meeting of %(body)s") % {"body": body.name})


# --- step 3: vision -------------------------------------------------------------------------------

@strategy_view()
def vision(request, strategy):
    return render(request, "core/vision.html", page_context(request, strategy, goals=strategy.goals.prefetch_related("areas")))


@strategy_view(edit=True)
def vision_edit(request, strategy):
    return _edit(request, strategy, F.VisionForm(request.POST or None, instance=strategy), template="core/form.html",
                 back=reverse("vision", args=[strategy.pk]), title=_("Vision"))


@strategy_view(edit=True)
def goal_edit(request, strategy, pk=None):
    goal = get_object_or_404(strategy.goals, pk=pk) if pk else None
    form = F.GoalForm(request.POST or None, instance=goal)
    F.offer_active(form, areas=strategy.areas.all())
    return _edit(request, strategy, form, template="core/form.html", back=reverse("vision", args=[strategy.pk]),
                 title=_("Goal"))


@strategy_view(edit=True)
def strategy_edit(request, strategy):
    return _edit(request, strategy, F.StrategyForm(request.POST or None, instance=strategy), template="core/form.html",
                 back=reverse("dashboard", args=[strategy.pk]), title=_("Strategy"))


# --- step 4: priority areas ----------------------------------------------------------------------------

@strategy_view()
def areas(request, strategy):
    rows = services.evidence_rows(strategy)
    return render(request, "core/areas.html", page_context(request, strategy, rows=rows, figures_for=_figures_for(rows),
                                                   portfolio=_portfolio_spec(rows, request.LANGUAGE_CODE, width=400),
                                                   portfolio_rel=_portfolio_spec(rows, request.LANGUAGE_CODE, "density_pci", 400)))


@strategy_view()
def area_detail(request, strategy, pk):
    area = get_object_or_404(strategy.areas.prefetch_related("activities", "goals"), pk=pk)
    ev = services.area_evidence(area)
    reasons = [x for x in area.activities.all() if x.reason]
    return render(request, "core/area_detail.html", page_context(request, strategy, area=area, ev=ev, reasons=reasons,
                                                         may_edit=can_edit_area(request.user, area)))


def area_edit(request, sid, pk=None):
    """Coordinators create and edit areas; an area lead edits the areas they lead."""
    strategy = get_object_or_404(Strategy.objects.select_related("region"), pk=sid)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    area = get_object_or_404(strategy.areas, pk=pk) if pk else None
    if area is None or is_frozen(strategy):
        require_edit(request.user, strategy)
    else:
        require(can_edit_area(request.user, area))
    initial = {}
    if area is None and request.GET.get("nace"):
        initial = {"nace": request.GET["nace"], "name": request.GET.get("name", "")}
    form = F.AreaForm(request.POST or None, instance=area, strategy=strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.strategy = strategy
        before = services.snapshot_of(PriorityArea.objects.get(pk=obj.pk)) if obj.pk else None
        try:
            with transaction.atomic():
                obj.evidence_snapshot = obj.evidence_snapshot or strategy.snapshots.first()
                services.save_versioned(obj, request.user, strategy.region,
                                        expected_version=form.cleaned_data.get("lock_version"), before=before)
                form.save_m2m()
                services.set_activities(obj, F.parse_weighted(form.cleaned_data["nace"]))
        except services.ConflictError:
            return conflict(request, strategy, "core/area_form.html", form=form, area=area)
        messages.success(request, _("Saved."))
        for warning in form.warnings:  # NACE codes the analysis data do not cover
            messages.warning(request, warning)
        return redirect("area_detail", strategy.pk, obj.pk)
    return render(request, "core/area_form.html", page_context(request, strategy, form=form, area=area))


@strategy_view()
def area_evidence_preview(request, strategy):
    """HTMX: the evidence of a NACE definition, while the user types it."""
    try:
        acts = F.parse_weighted(request.GET.get("nace", ""))
    except (SmartspecError, ValueError) as exc:
        return render(request, "core/_evidence.html", {"error": str(exc)})
    snap = strategy.snapshots.first()
    ev = services.evidence(snap.result, acts) if snap else {"available": False, "reason": "no_snapshot"}
    return render(request, "core/_evidence.html", {"ev": ev, "snapshot": snap})


@require_POST
@strategy_view(edit=True)
def areas_import(request, strategy):
    """The region's declared areas from the compiled list; a län the list lacks is said to be
    missing there (not to have no priorities), and an import that adds nothing says why."""
    lang = _lang(request)
    try:
        lan, missing = services.declared_lan(strategy)
        created = services.import_declared_areas(strategy, request.user, nuts3=lan) if lan else []
    except SmartspecError as exc:
        messages.error(request, public_message(exc))
        return redirect("areas", strategy.pk)
    if not lan:
        messages.warning(request, i18n.t("not_swedish", lang))
        return redirect("areas", strategy.pk)
    if created:
        themes = sum(1 for a in created if a.themes and not a.activities.exists())
        text = _("%(n)d declared areas imported from s3_priority_areas.csv.") % {"n": len(created)}
        if themes:
            text += " " + _("%(n)d of them are horizontal themes, imported without NACE codes.") % {"n": themes}
        messages.success(request, text)
    if missing:
        messages.warning(request, i18n.t("not_listed", lang, regions=", ".join(_lan_names(missing))))
    elif not created:
        messages.info(request, _("No new declared areas: those of %(lan)s are already in the strategy.")
                      % {"lan": ", ".join(_lan_names(lan))})
    return redirect("areas", strategy.pk)


def _lan_names(codes) -> list[str]:
    out = []
    for code in codes:
        try:
            out.append(f"{resolve_region(code).name} ({code})")
        except SmartspecError:
            out.append(code)
    return out


AUDIT_ACTIONS = {"create": gettext_lazy("created"), "update": gettext_lazy("changed"), "delete": gettext_lazy("deleted")}
AUDIT_HIDDEN = {"id", "lock_version", "strategy", "created_at", "updated_at"}


class _AuditNames:
    """Names of the objects an audit trail refers to (looked up once each)."""

    def __init__(self):
        self.models = {m.__name__: m for m in django_apps.get_models()}
        self.cache = {}
        self.english = get_language() == "en"  # the stored summaries are English: shown to English readers only

    def name(self, model, pk):
        key = (model, str(pk))
        if key not in self.cache:
            obj = model._default_manager.filter(pk=pk).first() if model and str(pk).isdigit() else None
            self.cache[key] = str(obj) if obj is not None else None
        return self.cache[key]

    def value(self, field, value) -> str:
        """A stored value in words: a choice's label, a related object's name, a local time."""
        if value in (None, "", [], {}):
            return "∅"
        if field is not None and getattr(field, "flatchoices", None):
            return str(dict(field.flatchoices).get(value, value))
        if field is not None and field.is_relation and field.related_model:
            ids = value if isinstance(value, list) else [value]
            return ", ".join(self.name(field.related_model, i) or f"#{i}" for i in ids)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, str) and (when := parse_datetime(value)) and timezone.is_aware(when):
            return date_format(timezone.localtime(when), "Y-m-d H:i")
        if isinstance(value, (list, tuple)):
            return ", ".join(map(str, value))
        return str(number_format(value) if isinstance(value, float) else value)

    def row(self, event) -> dict:
        """An audit event in words: who by name, when in local time, what with the model's and fields' names."""
        model = self.models.get(event.model)
        fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")} if model else {}
        changes = [{"field": str(getattr(fields.get(k), "verbose_name", k.replace("_", " "))),
                    "before": self.value(fields.get(k), v[0]), "after": self.value(fields.get(k), v[1])}
                   for k, v in sorted(event.changes.items()) if k not in AUDIT_HIDDEN and isinstance(v, list) and len(v) == 2]
        user, name = event.user, self.name(model, event.object_id)
        return {"at": timezone.localtime(event.at), "who": (user.get_full_name() or user.username) if user else "–",
                "action": AUDIT_ACTIONS.get(event.action, event.action), "created": event.action == "create",
                "kind": str(model._meta.verbose_name) if model else event.model, "object": name or event.summary,
                "summary": event.summary if name and event.summary != name and self.english else "", "changes": changes}


@strategy_view(coordinate=True)
def audit(request, strategy):
    events = AuditEvent.objects.filter(region=strategy.region).select_related("user")[:300]
    names = _AuditNames()
    rows = [names.row(e) for e in events]
    return render(request, "core/audit.html", page_context(request, strategy, events=rows,
                                                           time_zone=timezone.get_current_timezone_name()))


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")




# --- versions, exchange ----------------------------------------------------------------------------

@strategy_view()
def strategy_export(request, strategy):
    """The strategy as JSON; ``?anonymise=1`` pseudonymises respondents, ``?snapshots=1`` adds the analyses."""
    anonymise = request.GET.get("anonymise") == "1"
    doc = export_strategy(strategy, anonymise=anonymise, include_snapshots=request.GET.get("snapshots") == "1")
    body = json.dumps(doc, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"strategy-{strategy.region.code}-{strategy.period_start}-v{strategy.version}{'-anonymised' if anonymise else ''}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def strategy_import(request):
    upload = request.FILES.get("file")
    if upload is None or upload.size > 20 * 1024 * 1024:
        messages.error(request, _("Choose a strategy JSON file (at most 20 MB)."))
        return redirect("home")
    try:
        doc = json.loads(upload.read().decode("utf-8"))
        code = doc["region"]["code"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        messages.error(request, _("%(name)s is not a strategy JSON export.") % {"name": upload.name})
        return redirect("home")
    region = Region.objects.filter(code=code).first()
    allowed = request.user.is_superuser or (region is not None and Role.COORDINATOR in roles(request.user, region))
    require(allowed)
    try:
        imported = restore(doc, request.user)
    except (InputError, KeyError, ValueError) as exc:
        messages.error(request, _("Import failed, nothing was stored: %(err)s") % {"err": public_message(exc)})
        return redirect("home")
    s = imported.strategy
    messages.success(request, _("Imported as version %(v)d.") % {"v": s.version})
    for note in imported.notes[:20]:
        messages.warning(request, note)
    if len(imported.notes) > 20:
        messages.warning(request, _("… and %(n)d more notes.") % {"n": len(imported.notes) - 20})
    return redirect("dashboard", s.pk)


@strategy_view()
def versions(request, strategy):
    """The versions of the strategy's region and period, and what changed: by default between
    this version and the one it revises, or between any two chosen."""
    visible = [s for s in lifecycle.siblings(strategy).select_related("parent").order_by("version")
               if can_view(request.user, s)]
    a, b = _compared(request, strategy, visible)
    changes = lifecycle.diff(export_strategy(a, sections=PLAN), export_strategy(b, sections=PLAN)) if a and b else None
    labels = {"areas": _("Priority areas"), "goals": _("Goals"), "actions": _("Actions"), "indicators": _("Indicators"),
              "actors": _("Actors")}
    shown = lifecycle.render_diff(changes) if changes else None
    sections = [(labels.get(k, k), v) for k, v in (shown or {}).items() if k != "strategy"]
    coordinator = can_coordinate(request.user, strategy)
    return render(request, "core/versions.html", page_context(
        request, strategy, versions=visible, changes=shown, sections=sections, a=a, b=b,
        draft=lifecycle.open_draft(strategy), may_revise=coordinator and lifecycle.can_revise(strategy),
        may_adopt=coordinator and strategy.is_draft))


def _compared(request, strategy, visible):
    """The two versions to compare: ``?a=&b=``, else the strategy's parent (or the version before it) and the strategy."""
    ids = {s.pk: s for s in visible}
    if request.GET.get("a", "").isdigit() and request.GET.get("b", "").isdigit():
        a, b = ids.get(int(request.GET["a"])), ids.get(int(request.GET["b"]))
        if a is None or b is None:
            raise Http404
        return a, b
    earlier = [s for s in visible if s.version < strategy.version]
    parent = ids.get(strategy.parent_id) or (earlier[-1] if earlier else None)
    return (parent, strategy) if parent else (None, None)


def _draft_link(draft) -> str:
    return format_html('<a href="{}">{}</a>', reverse("dashboard", args=[draft.pk]),
                       _("Open the draft (version %(v)d)") % {"v": draft.version})


@require_POST
@strategy_view(coordinate=True)
def revise(request, strategy):
    """Start a revision: a new draft made from this version (refused while a draft is open)."""
    try:
        new = lifecycle.revise(strategy, request.user)
    except lifecycle.LifecycleError as exc:
        messages.error(request, format_html("{} {}", exc, _draft_link(exc.draft)) if exc.draft else str(exc))
        return redirect("versions", strategy.pk)
    messages.success(request, _("Version %(v)d created as a draft; version %(old)d is kept as it was.")
                     % {"v": new.version, "old": strategy.version})
    return redirect("dashboard", new.pk)


@require_POST
@strategy_view(coordinate=True)
def adopt(request, strategy):
    """Adopt this draft: the version adopted so far for the region and period is superseded."""
    try:
        previous = lifecycle.adopt(strategy, request.user)
    except lifecycle.LifecycleError as exc:
        messages.error(request, str(exc))
        return redirect("versions", strategy.pk)
    except IntegrityError:  # another version was adopted at the same moment
        messages.error(request, _("Another version was adopted at the same time; nothing was changed."))
        return redirect("versions", strategy.pk)
    text = _("Version %(v)d is adopted and now the public strategy.") % {"v": strategy.version}
    if previous is not None:
        text += " " + _("Version %(old)d is superseded.") % {"old": previous.version}
    messages.success(request, text)
    return redirect("versions", strategy.pk)
