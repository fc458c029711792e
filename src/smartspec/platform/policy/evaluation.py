"""Evaluation cycles and the self-assessment wheel; the monitoring exports and report."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from smartspec.platform.core import services as core
from smartspec.platform.core.downloads import CSV_STYLE, number, table_download
from smartspec.platform.core.forms import offer_active
from smartspec.platform.core.lifecycle import draft_for_changes
from smartspec.platform.core.models import Strategy
from smartspec.platform.core.permissions import can_coordinate, can_evaluate, require
from smartspec.platform.core.shortcuts import page_context, strategy_view
from smartspec.platform.policy import services
from smartspec.platform.policy.models import (
    WHEEL,
    Action,
    Assessment,
    Evaluation,
    EvaluationEntry,
)
from smartspec.platform.policy.views import indicator_chart
from smartspec.report.charts import svg


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["title", "subject", "area", "organisation"]

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        offer_active(self, area=strategy.areas.all(), organisation=strategy.actors.filter(kind="cluster"))

    def clean(self):
        """An evaluation of an area or an organisation names which one."""
        data = super().clean()
        subject = data.get("subject")
        if subject == Evaluation.Subject.AREA and not data.get("area"):
            self.add_error("area", _l("Choose the priority area to evaluate."))
        if subject == Evaluation.Subject.ORGANISATION and not data.get("organisation"):
            self.add_error("organisation", _l("Choose the cluster organisation or innovation network to evaluate."))
        return data


class EntryForm(forms.ModelForm):
    class Meta:
        model = EvaluationEntry
        fields = ["kind", "text", "indicators", "documents", "consultations"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "indicators": forms.CheckboxSelectMultiple,
                   "documents": forms.CheckboxSelectMultiple, "consultations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        offer_active(self, indicators=strategy.indicators.all(), documents=strategy.documents.all(),
                     consultations=strategy.consultations.all())


class DecisionForm(forms.Form):
    decision = forms.CharField(label=_l("Decision"), widget=forms.Textarea(attrs={"rows": 4}))


@strategy_view()
def evaluations(request, strategy):
    may = can_evaluate(request.user, strategy)
    form = EvaluationForm(request.POST or None, strategy=strategy)
    if request.method == "POST":
        require(may)
        if form.is_valid():
            ev = form.save(commit=False)
            ev.strategy = strategy
            ev.save()
            core.record(request.user, strategy.region, "create", ev)
            return redirect("evaluation", strategy.pk, ev.pk)
    return render(request, "policy/evaluations.html", page_context(request, strategy, evaluations=strategy.evaluations.all(),
                                                          form=form, may_evaluate=may))


@strategy_view()
def evaluation(request, strategy, pk):
    ev = get_object_or_404(strategy.evaluations, pk=pk)
    may = can_evaluate(request.user, strategy) and ev.revision_id is None
    form = EntryForm(request.POST or None, strategy=strategy)
    if request.method == "POST":
        require(may)
        if form.is_valid():
            with transaction.atomic():
                entry = form.save(commit=False)
                entry.evaluation, entry.author = ev, request.user
                entry.save()
                form.save_m2m()
                core.record(request.user, strategy.region, "create", entry, summary=f"{entry.kind} in {ev.title}")
            messages.success(request, _("Saved."))
            return redirect("evaluation", strategy.pk, ev.pk)
    entries = ev.entries.prefetch_related("indicators", "documents", "consultations").select_related("author")
    return render(request, "policy/evaluation.html", page_context(request, strategy, ev=ev, entries=entries, form=form,
                                                         may_evaluate=may, decision_form=DecisionForm()))


@require_POST
@strategy_view(coordinate=True)
def evaluation_decide(request, strategy, pk):
    """The coordinator's decision on an evaluation (of an adopted version too) revises the strategy:
    it goes into a new draft, or into the draft already open for the region and period."""
    ev = get_object_or_404(strategy.evaluations, pk=pk)
    form = DecisionForm(request.POST)
    if ev.revision_id or not form.is_valid():
        messages.error(request, _("Write the decision (an evaluation is decided once)."))
        return redirect("evaluation", strategy.pk, ev.pk)
    with transaction.atomic():
        new, made = draft_for_changes(strategy, request.user)
        ev.decision, ev.decided_at, ev.decided_by, ev.revision = form.cleaned_data["decision"], timezone.now(), request.user, new
        ev.save()
        core.record(request.user, strategy.region, "update", ev, summary=f"decision on {ev.title}: version {new.version}")
    if made:
        messages.success(request, _("Decision recorded; version %(v)d created for the revision.") % {"v": new.version})
    else:
        messages.success(request, _("Decision recorded; it goes into version %(v)d, the draft already open.")
                         % {"v": new.version})
    return redirect("versions", new.pk)


#: The wheel's steps and factors in words (the keys are stored with the scores).
WHEEL_LABELS = {
    "analysis": _l("Analysis"), "governance": _l("Governance"), "vision": _l("Vision"),
    "priorities": _l("Priority setting"), "policy_mix": _l("Policy mix"), "monitoring": _l("Monitoring and evaluation"),
    "regional_assets": _l("Regional assets"), "outward_dimension": _l("Outward dimension"),
    "entrepreneurial_dynamics": _l("Entrepreneurial dynamics"), "structure": _l("Governance structure"),
    "broad_participation": _l("Broad participation"), "management": _l("Process management"),
    "shared_vision": _l("Shared vision"), "broad_view_of_innovation": _l("Broad view of innovation"),
    "future_scenarios": _l("Future scenarios"), "critical_mass": _l("Critical mass"),
    "edp_driven_choice": _l("Choice driven by entrepreneurial discovery"), "coherent_portfolio": _l("Coherent portfolio"),
    "roadmap": _l("Roadmap"), "balanced_instruments": _l("Balanced instruments"), "pilot_projects": _l("Pilot projects"),
    "result_indicators": _l("Result indicators"), "monitoring_mechanism": _l("Monitoring mechanism"),
    "evaluation_and_revision": _l("Evaluation and revision"),
}


def wheel_label(key: str) -> str:
    return str(WHEEL_LABELS.get(key, key))


def labelled_wheel():
    """The wheel with each step's and factor's words: [(step, label, [(factor, label)])]."""
    return [(step, wheel_label(step), [(f, wheel_label(f)) for f in factors]) for step, factors in WHEEL]


def radar_spec(series: list[dict]) -> dict | None:
    """Vega radar chart of the wheel (one polygon per version), labelled in the user's language."""
    if not series:
        return None
    keys = [f for _, factors in WHEEL for f in factors]
    values = [{"series": s["label"], "key": k, "label": wheel_label(k), "value": s["scores"].get(k, 0)}
              for s in series for k in keys]
    return {
        "$schema": "https://vega.github.io/schema/vega/v6.json", "width": 720, "height": 520, "autosize": "none",
        "signals": [{"name": "radius", "update": "min(height / 2 - 50, width / 2 - 170)"}],
        "data": [{"name": "table", "values": values},
                 {"name": "keys", "source": "table", "transform": [{"type": "aggregate", "groupby": ["key", "label"]}]},
                 {"name": "rings", "values": [{"r": r} for r in range(1, 6)]}],
        "scales": [{"name": "angular", "type": "point", "range": {"signal": "[-PI, PI]"}, "padding": 0.5,
                    "domain": keys},
                   {"name": "radial", "type": "linear", "range": {"signal": "[0, radius]"}, "zero": True, "nice": False,
                    "domain": [0, 5], "domainMin": 0},
                   {"name": "color", "type": "ordinal", "domain": {"data": "table", "field": "series"},
                    "range": {"scheme": "category10"}}],
        "encode": {"enter": {"x": {"signal": "width / 2"}, "y": {"signal": "height / 2"}}},
        "legends": [{"fill": "color", "title": _("Version"), "orient": "none", "direction": "horizontal",
                     "legendX": {"signal": "-width / 2"}, "legendY": {"signal": "-height / 2"}}],
        "marks": [
            {"type": "symbol", "from": {"data": "rings"}, "zindex": 0,
             "encode": {"enter": {"x": {"value": 0}, "y": {"value": 0}, "shape": {"value": "circle"},
                                  "size": {"signal": "pow(2 * scale('radial', datum.r), 2)"},
                                  "stroke": {"value": "#e3e6ea"}, "fill": {"value": "transparent"}}}},
            {"type": "group", "name": "categories", "zindex": 1,
             "from": {"facet": {"data": "table", "name": "facet", "groupby": ["series"]}},
             "marks": [{"type": "line", "name": "category-line", "from": {"data": "facet"},
                        "encode": {"enter": {"interpolate": {"value": "linear-closed"},
                                             "x": {"signal": "scale('radial', datum.value) * cos(scale('angular', datum.key))"},
                                             "y": {"signal": "scale('radial', datum.value) * sin(scale('angular', datum.key))"},
                                             "stroke": {"scale": "color", "field": "series"}, "strokeWidth": {"value": 2},
                                             "fill": {"scale": "color", "field": "series"}, "fillOpacity": {"value": 0.12},
                                             "tooltip": {"signal": "datum.label + ': ' + datum.value"}}}}]},
            {"type": "rule", "from": {"data": "keys"}, "zindex": 0,
             "encode": {"enter": {"x": {"value": 0}, "y": {"value": 0},
                                  "x2": {"signal": "radius * cos(scale('angular', datum.key))"},
                                  "y2": {"signal": "radius * sin(scale('angular', datum.key))"},
                                  "stroke": {"value": "#ccc"}, "strokeWidth": {"value": 1}}}},
            {"type": "text", "from": {"data": "keys"},
             "encode": {"enter": {"x": {"signal": "(radius + 8) * cos(scale('angular', datum.key))"},
                                  "y": {"signal": "(radius + 8) * sin(scale('angular', datum.key))"},
                                  "text": {"field": "label"}, "fontSize": {"value": 11}, "limit": {"value": 150},
                                  "align": [{"test": "abs(abs(scale('angular', datum.key)) - PI / 2) < 0.2",
                                             "value": "center"},
                                            {"test": "abs(scale('angular', datum.key)) > PI / 2", "value": "right"},
                                            {"value": "left"}],
                                  "baseline": [{"test": "sin(scale('angular', datum.key)) > 0.8", "value": "top"},
                                               {"test": "sin(scale('angular', datum.key)) < -0.8", "value": "bottom"},
                                               {"value": "middle"}],
                                  "fill": {"value": "#333"}}}}]}


@strategy_view()
def assessment(request, strategy):
    may = can_coordinate(request.user, strategy)  # a self-assessment of any version, adopted too
    if request.method == "POST":
        require(may)
        scores = {}
        for _step, factors in WHEEL:
            for f in factors:
                raw = request.POST.get(f, "")
                if raw not in {"0", "1", "2", "3", "4", "5"}:
                    messages.error(request, _("Score every factor from 0 to 5."))
                    return redirect("assessment", strategy.pk)
                scores[f] = int(raw)
        a = Assessment.objects.create(strategy=strategy, created_by=request.user, scores=scores)
        core.record(request.user, strategy.region, "create", a, summary="self-assessment")
        return redirect("assessment", strategy.pk)
    versions = Strategy.objects.filter(region=strategy.region, period_start=strategy.period_start).order_by("version")
    series = []
    for v in versions:
        latest = v.assessments.first()
        if latest:
            series.append({"label": f"v{v.version}", "scores": latest.scores})
    current = strategy.assessments.first()
    return render(request, "policy/assessment.html", page_context(
        request, strategy, wheel=labelled_wheel(), current=current.scores if current else {}, radar=radar_spec(series),
        may_assess=may, values=range(6)))


def _indicator_rows(strategy, lang: str) -> list[dict]:
    rows = []
    for ind in strategy.indicators.prefetch_related("targets", "observations"):
        st = services.status(ind)
        acts = services.actuals(ind)
        rows.append({"name": ind.name, "type": ind.kind, "unit": ind.unit, "direction": ind.direction, "source": ind.source,
                     "area": ind.area.name if ind.area else "", "baseline_year": ind.baseline_year, "baseline": ind.baseline,
                     "targets": "; ".join(f"{t.year}: {number(t.value, lang)}" for t in ind.targets.all()),
                     "actuals": "; ".join(f"{y}: {number(v, lang)}" for y, v in sorted(acts.items()) if v is not None),
                     "status": st["status"], "latest_year": st.get("year"), "latest_actual": st.get("actual"),
                     "planned": st.get("expected")})
    return rows


@strategy_view()
def monitoring_export(request, strategy, fmt):
    """The indicators as XLSX or CSV (for Excel in the user's language), or the monitoring report."""
    if fmt not in ("xlsx", "csv"):
        return monitoring_report(request, strategy, fmt)
    lang = request.LANGUAGE_CODE if request.LANGUAGE_CODE in CSV_STYLE else "en"
    rows = _indicator_rows(strategy, lang)
    header = list(rows[0]) if rows else ["name"]
    return table_download(header, [[r[k] for k in header] for r in rows], fmt,
                          f"monitoring-{strategy.region.code}-v{strategy.version}", lang, sheet="indicators")


def monitoring_report(request, strategy, fmt):
    """The monitoring report as HTML (self-contained, charts as SVG) or PDF, in the user's language."""
    items = []
    for ind in strategy.indicators.prefetch_related("targets", "observations").select_related("area", "action"):
        data = {"actuals": services.actuals(ind), "status": services.status(ind)}
        spec = indicator_chart(ind, data)
        items.append({"ind": ind, "status": data["status"], "svg": svg(spec, request.LANGUAGE_CODE) if spec else ""})
    actions = Action.objects.filter(area__strategy=strategy).select_related("area")
    html = render_to_string("policy/report.html", {"strategy": strategy, "items": items, "actions": actions,
                                                   "evaluations": strategy.evaluations.all(), "now": timezone.now()},
                            request=request)
    if fmt == "pdf":
        import weasyprint  # lazy: WeasyPrint costs ~500 ms at start-up (every manage command imports the views)

        response = HttpResponse(weasyprint.HTML(string=html).write_pdf(), content_type="application/pdf")
    elif fmt == "html":
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="monitoring-{strategy.region.code}.{fmt}"'
    return response
