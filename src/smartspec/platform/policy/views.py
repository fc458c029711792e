"""Steps 5 and 6: action plans, timeline, intervention logic, indicators and monitoring."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartspec.errors import SmartspecError
from smartspec.platform.core import services as core
from smartspec.platform.core.models import Role, Strategy
from smartspec.platform.core.permissions import can_edit, can_edit_area, require, roles
from smartspec.platform.core.shortcuts import conflict, page_context, strategy_view
from smartspec.platform.policy import services
from smartspec.platform.policy.forms import ActionForm, ActualForm, IndicatorForm
from smartspec.platform.policy.models import (
    Action,
    Indicator,
    Milestone,
    Observation,
    Target,
)


def _editable_areas(user, strategy):
    if can_edit(user, strategy):
        return strategy.areas.all()
    if Role.AREA_LEAD in roles(user, strategy.region):
        return strategy.areas.filter(leads=user)
    return strategy.areas.none()


def gantt_spec(actions, lang="en"):
    values = [{"action": a.title[:60], "area": a.area.name[:40], "start": a.start.isoformat(), "end": a.end.isoformat(),
               "status": a.get_status_display(), "budget": float(a.budget or 0)} for a in actions]
    if not values:
        return None
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": 760,
            "height": {"step": 22}, "data": {"values": values}, "mark": {"type": "bar", "cornerRadius": 2},
            "encoding": {"y": {"field": "action", "type": "nominal", "sort": None, "title": None},
                         "x": {"field": "start", "type": "temporal", "title": None,
                               "axis": {"format": "%b %Y", "labelAngle": 0, "tickCount": 8}},
                         "x2": {"field": "end"}, "color": {"field": "area", "type": "nominal", "title": None},
                         "tooltip": [{"field": "action"}, {"field": "area"}, {"field": "start", "type": "temporal"},
                                     {"field": "end", "type": "temporal"}, {"field": "status"},
                                     {"field": "budget", "format": ",.0f"}]}}


@strategy_view()
def plan(request, strategy):
    actions = Action.objects.filter(area__strategy=strategy).select_related("area", "lead").prefetch_related("milestones")
    area_id = request.GET.get("area")
    if area_id and area_id.isdigit():
        actions = actions.filter(area_id=int(area_id))
    return render(request, "policy/plan.html", page_context(request, strategy, actions=actions, gantt=gantt_spec(actions),
                                                   areas=strategy.areas.all(), area_id=area_id,
                                                   may_add=_editable_areas(request.user, strategy).exists()))


def action_edit(request, sid, pk=None):
    strategy = get_object_or_404(Strategy.objects.select_related("region"), pk=sid)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    action = get_object_or_404(Action.objects.filter(area__strategy=strategy), pk=pk) if pk else None
    require(can_edit_area(request.user, action.area) if action else _editable_areas(request.user, strategy).exists())
    areas = _editable_areas(request.user, strategy)
    form = ActionForm(request.POST or None, instance=action, strategy=strategy, areas=areas,
                      initial={"area": request.GET.get("area")} if not action else None)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        require(can_edit_area(request.user, obj.area))
        before = core.snapshot_of(Action.objects.get(pk=obj.pk)) if obj.pk else None
        try:
            with transaction.atomic():
                core.save_versioned(obj, request.user, strategy.region,
                                    expected_version=form.cleaned_data.get("lock_version"), before=before)
                form.save_m2m()
                obj.milestones.all().delete()
                Milestone.objects.bulk_create([Milestone(action=obj, due=d, title=t, done=x)
                                               for d, t, x in form.cleaned_data["milestones"]])
        except core.ConflictError:
            return conflict(request, strategy, "core/form.html", form=form, title=_("Action"), back=reverse("plan", args=[strategy.pk]))
        messages.success(request, _("Saved."))
        return redirect("plan", strategy.pk)
    return render(request, "core/form.html", page_context(request, strategy, form=form, title=_("Action"),
                                                 back=reverse("plan", args=[strategy.pk])))


@strategy_view()
def logic(request, strategy):
    """The intervention logic: goal → area → action → indicator, each node linked."""
    nodes, edges = [], []
    levels = {"goal": 0, "area": 1, "action": 2, "indicator": 3}
    counts = dict.fromkeys(levels, 0)

    def node(kind, obj, label):
        key = f"{kind}-{obj.pk}"
        if not any(n["id"] == key for n in nodes):
            nodes.append({"id": key, "kind": kind, "label": label if len(label) <= 30 else label[:29] + "…",
                          "full": label, "x": levels[kind], "y": counts[kind]})
            counts[kind] += 1
        return key

    for g in strategy.goals.prefetch_related("areas"):
        gk = node("goal", g, g.title)
        for a in g.areas.all():
            edges.append((gk, node("area", a, a.name)))
    for a in strategy.areas.prefetch_related("actions"):
        ak = node("area", a, a.name)
        for act in a.actions.all():
            edges.append((ak, node("action", act, act.title)))
    for ind in strategy.indicators.select_related("area", "action", "goal"):
        ik = node("indicator", ind, ind.name)
        parent = ("action", ind.action) if ind.action else ("area", ind.area) if ind.area else ("goal", ind.goal) if ind.goal else None
        if parent and parent[1]:
            edges.append((node(parent[0], parent[1], str(parent[1])), ik))
    pos = {n["id"]: n for n in nodes}
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": 1000,
            "height": max(200, 22 * max(counts.values() or [1])), "layer": [
                {"data": {"values": [{"x": pos[a]["x"], "y": pos[a]["y"], "x2": pos[b]["x"], "y2": pos[b]["y"]} for a, b in edges]},
                 "mark": {"type": "rule", "color": "#aaa"},
                 "encoding": {"x": {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": [-0.2, 3.8]}},
                              "y": {"field": "y", "type": "quantitative", "axis": None, "scale": {"reverse": True}},
                              "x2": {"field": "x2"}, "y2": {"field": "y2"}}},
                {"data": {"values": nodes}, "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 11},
                 "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
                              "text": {"field": "label"}}},
                {"data": {"values": nodes}, "mark": {"type": "circle", "size": 90},
                 "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
                              "tooltip": [{"field": "full", "title": " "}],
                              "color": {"field": "kind", "type": "nominal", "title": None,
                                        "scale": {"domain": list(levels)}}}}]}
    return render(request, "policy/logic.html", page_context(request, strategy, spec=spec if nodes else None))


def indicator_chart(ind, rows):
    values = [{"year": y, "series": _("actual"), "value": v} for y, v in sorted(rows["actuals"].items()) if v is not None]
    values += [{"year": t.year, "series": _("target"), "value": t.value} for t in ind.targets.all()]
    if ind.baseline is not None and ind.baseline_year:
        values.append({"year": ind.baseline_year, "series": _("baseline"), "value": ind.baseline})
    if not values:
        return None
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": 320, "height": 140,
            "data": {"values": values}, "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "year", "type": "ordinal", "title": None},
                         "y": {"field": "value", "type": "quantitative", "title": ind.unit or None, "scale": {"zero": False}},
                         "color": {"field": "series", "type": "nominal", "title": None},
                         "tooltip": [{"field": "series"}, {"field": "year"}, {"field": "value", "format": ",.2f"}]}}


@strategy_view()
def monitoring(request, strategy):
    """The dashboard of the strategy (or of one area with ?area=). Computed indicators are
    brought up to date with the data first: a re-import shows here without further steps."""
    rows = []
    indicators = strategy.indicators.select_related("area", "goal", "action").prefetch_related("targets")
    area_id = request.GET.get("area", "")
    if area_id.isdigit():
        indicators = indicators.filter(area_id=int(area_id))
    for ind in indicators:
        if ind.source != Indicator.Source.MANUAL:
            try:
                services.refresh(ind)
            except SmartspecError as exc:
                messages.warning(request, f"{ind.name}: {exc}")
    for ind in indicators:
        data = {"actuals": services.actuals(ind), "status": services.status(ind)}
        rows.append({"ind": ind, **data, "chart": indicator_chart(ind, data), "cid": f"ind-{ind.pk}",
                     "may_enter": ind.area and can_edit_area(request.user, ind.area) or can_edit(request.user, strategy)})
    counts = {k: sum(1 for r in rows if r["status"]["status"] == k) for k in ("on_track", "at_risk", "off_track", "no_data")}
    return render(request, "policy/monitoring.html", page_context(request, strategy, rows=rows, counts=counts,
                                                         areas=strategy.areas.all(), area_id=area_id))


@strategy_view(edit=True)
def indicator_edit(request, strategy, pk=None):
    ind = get_object_or_404(strategy.indicators, pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=ind, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.strategy = strategy
        before = core.snapshot_of(Indicator.objects.get(pk=obj.pk)) if obj.pk else None
        try:
            with transaction.atomic():
                core.save_versioned(obj, request.user, strategy.region,
                                    expected_version=form.cleaned_data.get("lock_version"), before=before)
                obj.targets.all().delete()
                Target.objects.bulk_create([Target(indicator=obj, year=y, value=v) for y, v in form.cleaned_data["targets"]])
                services.refresh(obj, request.user)
        except core.ConflictError:
            return conflict(request, strategy, "core/form.html", form=form, title=_("Indicator"),
                            back=reverse("monitoring", args=[strategy.pk]))
        except SmartspecError as exc:
            form.add_error("source", str(exc))
            return render(request, "core/form.html", page_context(request, strategy, form=form, title=_("Indicator"),
                                                          back=reverse("monitoring", args=[strategy.pk])))
        messages.success(request, _("Saved."))
        return redirect("monitoring", strategy.pk)
    return render(request, "core/form.html", page_context(request, strategy, form=form, title=_("Indicator"),
                                                 back=reverse("monitoring", args=[strategy.pk])))


@strategy_view()
def actual_add(request, strategy, pk):
    ind = get_object_or_404(strategy.indicators.select_related("area"), pk=pk)
    require(can_edit(request.user, strategy) or (ind.area is not None and can_edit_area(request.user, ind.area)))
    form = ActualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obs = Observation.objects.create(indicator=ind, year=form.cleaned_data["year"], value=form.cleaned_data["value"],
                                             recorded_by=request.user)
            core.record(request.user, strategy.region, "create", obs, summary=f"actual {obs.year} of {ind.name}")
        messages.success(request, _("Saved."))
        return redirect("monitoring", strategy.pk)
    return render(request, "core/form.html", page_context(request, strategy, form=form, title=f"{ind.name}: {_('actual')}",
                                                 back=reverse("monitoring", args=[strategy.pk])))


@require_POST
@strategy_view(edit=True)
def refresh_all(request, strategy):
    added = 0
    for ind in strategy.indicators.exclude(source=Indicator.Source.MANUAL):
        try:
            added += services.refresh(ind, request.user)
        except SmartspecError as exc:
            messages.error(request, f"{ind.name}: {exc}")
    messages.success(request, _("%(n)d computed values added from the statistics.") % {"n": added})
    return redirect("monitoring", strategy.pk)
