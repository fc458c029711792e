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
from smartspec.platform.core.permissions import (
    can_edit,
    can_edit_area,
    can_monitor,
    is_frozen,
    require,
    roles,
)
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
from smartspec.report.charts import series_encoding, year_x


def _editable_areas(user, strategy):
    if can_edit(user, strategy):
        return strategy.areas.all()
    if Role.AREA_LEAD in roles(user, strategy.region) and not is_frozen(strategy):
        return strategy.areas.filter(leads=user)
    return strategy.areas.none()


VL = "https://vega.github.io/schema/vega-lite/v6.json"
STATUS_COLOURS = {Action.Status.PLANNED: "#9ecae1", Action.Status.RUNNING: "#0b5394", Action.Status.DONE: "#1b7837",
                  Action.Status.STOPPED: "#bababa"}


def gantt_spec(actions, lang="en"):
    """The actions on a time scale (UTC dates: a month is a month wherever the browser is), one
    row of bars per area, coloured by status. Texts in the active language (``lang`` is kept for callers)."""
    values = [{"action": a.title, "area": a.area.name, "start": a.start.isoformat(), "end": a.end.isoformat(),
               "status": a.get_status_display(), "budget": float(a.budget or 0)} for a in actions]
    if not values:
        return None
    years = {int(v["start"][:4]) for v in values} | {int(v["end"][:4]) for v in values}
    fmt = "%b %Y" if max(years) - min(years) <= 2 else "%Y"
    statuses = [s for s in Action.Status]
    bars = {"mark": {"type": "bar", "cornerRadius": 2, "height": {"band": 0.7}},
            "encoding": {"y": {"field": "action", "type": "nominal", "sort": None, "title": None,
                               "axis": {"labelLimit": 230}},
                         "x": {"field": "start", "type": "temporal", "title": None, "scale": {"type": "utc"},
                               "axis": {"format": fmt, "formatType": "utc", "labelAngle": 0, "grid": True,
                                        "tickCount": {"interval": "year" if fmt == "%Y" else "month",
                                                      "step": 1 if fmt == "%Y" else 3}}},
                         "x2": {"field": "end"},
                         "color": {"field": "status", "type": "nominal", "title": _("Status"),
                                   "legend": {"orient": "top"},
                                   "scale": {"domain": [s.label for s in statuses],
                                             "range": [STATUS_COLOURS[s] for s in statuses]}},
                         "tooltip": [{"field": "action", "title": _("Action")}, {"field": "area", "title": _("Area")},
                                     {"field": "start", "type": "temporal", "title": _("Start"), "format": "%Y-%m-%d",
                                      "formatType": "utc"},
                                     {"field": "end", "type": "temporal", "title": _("End"), "format": "%Y-%m-%d",
                                      "formatType": "utc"},
                                     {"field": "status", "title": _("Status")},
                                     {"field": "budget", "title": _("Budget"), "format": ",.0f"}]}}
    return {"$schema": VL, "data": {"values": values}, "spacing": 6,
            "facet": {"row": {"field": "area", "type": "nominal", "title": None, "sort": None,
                              "header": {"labelAngle": 0, "labelAlign": "left", "labelAnchor": "start",
                                         "labelOrient": "top", "labelFontWeight": "bold", "labelFontSize": 12,
                                         "labelPadding": 2, "labelBaseline": "bottom"}}},
            "resolve": {"scale": {"y": "independent"}},
            "spec": {"width": 620, "height": {"step": 20}, **bars}}


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


LEVELS = ("goal", "area", "action", "indicator")
LABEL_ROOM = 0.9  # of a column's width, for its labels
KIND_COLOURS = {"goal": "#6a3d9a", "area": "#0b5394", "action": "#d95f02", "indicator": "#1b7837"}


def logic_layout(goals, areas, actions, indicators):
    """Nodes and edges of the intervention logic, laid out in four columns (goal, area, action,
    indicator) so that lines stay short: every area's actions and indicators in one block
    beside it, the areas ordered by their goals, each goal at the middle of its areas. Only
    linked items are drawn; the rest are returned apart.

    goals: [(key, label, [area keys])]; areas: [(key, label)]; actions: [(key, label, area key)];
    indicators: [(key, label, parent key or None)]. Returns (nodes, edges, unlinked labels)."""
    labels = {item[0]: (kind, item[1]) for kind, items in zip(LEVELS, (goals, areas, actions, indicators))
              for item in items}
    edges = [(g[0], a) for g in goals for a in g[2] if a in labels]
    edges += [(item[2], item[0]) for item in (*actions, *indicators) if item[2] in labels]
    children = {}
    for a, b in edges:
        children.setdefault(a, []).append(b)
    linked = {k for e in edges for k in e}
    y = _pack_areas([a[0] for a in areas if a[0] in linked], [g[0] for g in goals], edges, children)
    _place_goals([g[0] for g in goals if g[0] in linked], children, y)
    nodes = [{"id": k, "kind": labels[k][0], "label": labels[k][1], "x": LEVELS.index(labels[k][0]), "y": y[k]}
             for k in labels if k in y]
    return nodes, edges, [labels[k][1] for k in labels if k not in linked]


def _pack_areas(areas, goals, edges, children) -> dict:
    """Rows of the areas' blocks (actions with their indicators, then the area's own indicators),
    the areas in the mean order of their goals; each parent at the middle of its children."""
    rank = {g: i for i, g in enumerate(goals)}
    of_area = {}
    for a, b in edges:
        if a in rank:
            of_area.setdefault(b, []).append(rank[a])
    order = sorted(areas, key=lambda a: sum(of_area.get(a, [len(goals)])) / len(of_area.get(a, [0])))
    y, cursor = {}, 0.0
    for area in order:
        start = cursor
        for child in children.get(area, []):
            leaves = children.get(child, [])
            for i, leaf in enumerate(leaves):
                y[leaf] = cursor + i
            y[child] = cursor + (max(len(leaves), 1) - 1) / 2
            cursor += max(len(leaves), 1)
        cursor = max(cursor, start + 1)
        y[area] = (start + cursor - 1) / 2
        cursor += 0.6  # a gap between the areas' blocks
    for g in goals:  # a goal's own indicators go below the blocks
        for leaf in children.get(g, []):
            if leaf not in y:
                y[leaf], cursor = cursor, cursor + 1
    return y


def _place_goals(goals, children, y):
    """Each goal at the middle of what it links to, one row apart at least."""
    want = {g: sum(y[c] for c in children[g]) / len(children[g]) for g in goals}
    last = None
    for g in sorted(goals, key=lambda g: want[g]):
        y[g] = want[g] if last is None else max(want[g], last + 1)
        last = y[g]


def logic_spec(nodes, edges):
    """The intervention logic as a Vega-Lite chart: one column per level, headed in the user's language."""
    if not nodes:
        return None
    pos = {n["id"]: n for n in nodes}
    rows = max(n["y"] for n in nodes) + 1
    titles = [_("Goals"), _("Priority areas"), _("Actions"), _("Indicators")]
    heads = [{"x": i, "y": -1.2, "label": titles[i]} for i in range(len(LEVELS))]
    x = {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": [-0.05, 3.95]}}
    yy = {"field": "y", "type": "quantitative", "axis": None, "scale": {"domain": [-1.6, rows], "reverse": True}}
    # a line leaves its item after the label's room and ends at the next item's dot: no line over a label
    lines = [{"x": pos[a]["x"] + LABEL_ROOM, "y": pos[a]["y"], "x2": pos[b]["x"] - 0.02, "y2": pos[b]["y"]} for a, b in edges]
    return {"$schema": VL, "width": 1080, "height": int(22 * (rows + 2)), "config": {"view": {"stroke": None}},
            "layer": [
                {"data": {"values": lines},
                 "mark": {"type": "rule", "color": "#9aa5b1", "strokeWidth": 1},
                 "encoding": {"x": x, "y": yy, "x2": {"field": "x2"}, "y2": {"field": "y2"}}},
                {"data": {"values": nodes}, "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 11, "limit": 222,
                                                     "baseline": "bottom", "dy": -2},
                 "encoding": {"x": x, "y": yy, "text": {"field": "label"}}},
                {"data": {"values": [{**n, "x2": n["x"] + LABEL_ROOM} for n in nodes if n["id"] in {a for a, _b in edges}]},
                 "mark": {"type": "rule", "color": "#d5dae0", "strokeDash": [1, 2]},
                 "encoding": {"x": x, "y": yy, "x2": {"field": "x2"}}},
                {"data": {"values": heads}, "mark": {"type": "text", "align": "left", "fontWeight": "bold", "fontSize": 13},
                 "encoding": {"x": x, "y": yy, "text": {"field": "label"}}},
                {"data": {"values": nodes}, "mark": {"type": "circle", "size": 80, "opacity": 1},
                 "encoding": {"x": x, "y": yy, "tooltip": [{"field": "label", "title": " "}],
                              "color": {"field": "kind", "type": "nominal", "legend": None,
                                        "scale": {"domain": list(KIND_COLOURS), "range": list(KIND_COLOURS.values())}}}}]}


@strategy_view()
def logic(request, strategy):
    """The intervention logic: goal → area → action → indicator, only what is linked."""
    goals = [(f"goal-{g.pk}", g.title, [f"area-{a.pk}" for a in g.areas.all()])
             for g in strategy.goals.active().prefetch_related("areas")]  # archived items are left out
    areas = [(f"area-{a.pk}", a.name) for a in strategy.areas.active()]
    actions = [(f"action-{a.pk}", a.title, f"area-{a.area_id}")
               for a in Action.objects.filter(area__strategy=strategy).active()]
    indicators = [(f"indicator-{i.pk}", i.name, f"action-{i.action_id}" if i.action_id else f"area-{i.area_id}"
                   if i.area_id else f"goal-{i.goal_id}" if i.goal_id else None) for i in strategy.indicators.active()]
    nodes, edges, unlinked = logic_layout(goals, areas, actions, indicators)
    return render(request, "policy/logic.html", page_context(request, strategy, spec=logic_spec(nodes, edges),
                                                             unlinked=unlinked))


def indicator_chart(ind, rows):
    """Actual, baseline and targets of an indicator on a linear year scale, in the report's colours."""
    names = {"actual": _("actual"), "target": _("target"), "baseline": _("baseline")}
    values = [{"year": y, "series": names["actual"], "value": v} for y, v in sorted(rows["actuals"].items()) if v is not None]
    values += [{"year": t.year, "series": names["target"], "value": t.value} for t in ind.targets.all()]
    if ind.baseline is not None and ind.baseline_year:
        values.append({"year": ind.baseline_year, "series": names["baseline"], "value": ind.baseline})
    if not values:
        return None
    return {"$schema": VL, "width": 320, "height": 150, "data": {"values": values},
            "mark": {"type": "line", "point": {"size": 40}},
            "encoding": {"x": year_x([v["year"] for v in values]),
                         "y": {"field": "value", "type": "quantitative", "title": ind.unit or None, "scale": {"zero": False}},
                         **series_encoding(names),
                         "tooltip": [{"field": "series", "title": _("Series")}, {"field": "year", "title": _("Year")},
                                     {"field": "value", "title": ind.unit or _("Value"), "format": ",.2f"}]}}


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
                     "may_enter": can_monitor(request.user, strategy, ind.area)})
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
    require(can_monitor(request.user, strategy, ind.area))  # actuals are recorded on an adopted version too
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
@strategy_view(coordinate=True)
def refresh_all(request, strategy):
    added = 0
    for ind in strategy.indicators.exclude(source=Indicator.Source.MANUAL):
        try:
            added += services.refresh(ind, request.user)
        except SmartspecError as exc:
            messages.error(request, f"{ind.name}: {exc}")
    messages.success(request, _("%(n)d computed values added from the statistics.") % {"n": added})
    return redirect("monitoring", strategy.pk)
