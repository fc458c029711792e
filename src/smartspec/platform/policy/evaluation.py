"""Evaluation cycles and the self-assessment wheel; the monitoring exports and report."""

import csv
import io

import vl_convert as vlc
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
from smartspec.platform.core.lifecycle import revise
from smartspec.platform.core.models import Strategy
from smartspec.platform.core.permissions import can_edit, can_evaluate, require
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
from smartspec.report import safe_cell


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["title", "subject", "area", "organisation"]

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = strategy.areas.all()
        self.fields["organisation"].queryset = strategy.actors.filter(kind="cluster")


class EntryForm(forms.ModelForm):
    class Meta:
        model = EvaluationEntry
        fields = ["kind", "text", "indicators", "documents", "consultations"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "indicators": forms.CheckboxSelectMultiple,
                   "documents": forms.CheckboxSelectMultiple, "consultations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = strategy.indicators.all()
        self.fields["documents"].queryset = strategy.documents.all()
        self.fields["consultations"].queryset = strategy.consultations.all()


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
@strategy_view(edit=True)
def evaluation_decide(request, strategy, pk):
    """The coordinator's decision on an evaluation revises the strategy: a new version."""
    ev = get_object_or_404(strategy.evaluations, pk=pk)
    form = DecisionForm(request.POST)
    if ev.revision_id or not form.is_valid():
        messages.error(request, _("Write the decision (an evaluation is decided once)."))
        return redirect("evaluation", strategy.pk, ev.pk)
    with transaction.atomic():
        new = revise(strategy, request.user)
        ev.decision, ev.decided_at, ev.decided_by, ev.revision = form.cleaned_data["decision"], timezone.now(), request.user, new
        ev.save()
        core.record(request.user, strategy.region, "update", ev, summary=f"decision on {ev.title}: version {new.version}")
    messages.success(request, _("Decision recorded; version %(v)d created for the revision.") % {"v": new.version})
    return redirect("versions", new.pk)


def radar_spec(series: list[dict]) -> dict | None:
    """Vega radar chart of the wheel (one polygon per version)."""
    if not series:
        return None
    keys = [f for _, factors in WHEEL for f in factors]
    values = [{"series": s["label"], "key": k, "value": s["scores"].get(k, 0)} for s in series for k in keys]
    return {
        "$schema": "https://vega.github.io/schema/vega/v6.json", "width": 620, "height": 460, "autosize": "none",
        "signals": [{"name": "radius", "update": "height / 2 - 40"}],
        "data": [{"name": "table", "values": values},
                 {"name": "keys", "source": "table", "transform": [{"type": "aggregate", "groupby": ["key"]}]}],
        "scales": [{"name": "angular", "type": "point", "range": {"signal": "[-PI, PI]"}, "padding": 0.5,
                    "domain": keys},
                   {"name": "radial", "type": "linear", "range": {"signal": "[0, radius]"}, "zero": True, "nice": False,
                    "domain": [0, 5], "domainMin": 0},
                   {"name": "color", "type": "ordinal", "domain": {"data": "table", "field": "series"},
                    "range": {"scheme": "category10"}}],
        "encode": {"enter": {"x": {"signal": "width / 2"}, "y": {"signal": "height / 2"}}},
        "legends": [{"fill": "color", "orient": "none", "legendX": {"signal": "width / 2 - 90"}, "legendY": {"signal": "-height / 2 + 10"}}],
        "marks": [
            {"type": "group", "name": "categories", "zindex": 1,
             "from": {"facet": {"data": "table", "name": "facet", "groupby": ["series"]}},
             "marks": [{"type": "line", "name": "category-line", "from": {"data": "facet"},
                        "encode": {"enter": {"interpolate": {"value": "linear-closed"},
                                             "x": {"signal": "scale('radial', datum.value) * cos(scale('angular', datum.key))"},
                                             "y": {"signal": "scale('radial', datum.value) * sin(scale('angular', datum.key))"},
                                             "stroke": {"scale": "color", "field": "series"}, "strokeWidth": {"value": 2},
                                             "fill": {"scale": "color", "field": "series"}, "fillOpacity": {"value": 0.12}}}}]},
            {"type": "rule", "from": {"data": "keys"}, "zindex": 0,
             "encode": {"enter": {"x": {"value": 0}, "y": {"value": 0},
                                  "x2": {"signal": "radius * cos(scale('angular', datum.key))"},
                                  "y2": {"signal": "radius * sin(scale('angular', datum.key))"},
                                  "stroke": {"value": "#ccc"}, "strokeWidth": {"value": 1}}}},
            {"type": "text", "from": {"data": "keys"},
             "encode": {"enter": {"x": {"signal": "(radius + 8) * cos(scale('angular', datum.key))"},
                                  "y": {"signal": "(radius + 8) * sin(scale('angular', datum.key))"},
                                  "text": {"field": "key"}, "fontSize": {"value": 9},
                                  "align": [{"test": "abs(scale('angular', datum.key)) > PI / 2", "value": "right"},
                                            {"value": "left"}],
                                  "baseline": {"value": "middle"}, "fill": {"value": "#333"}}}}]}


@strategy_view()
def assessment(request, strategy):
    may = can_edit(request.user, strategy)
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
        request, strategy, wheel=WHEEL, current=current.scores if current else {}, radar=radar_spec(series),
        may_assess=may, values=range(6)))


def _indicator_rows(strategy):
    rows = []
    for ind in strategy.indicators.prefetch_related("targets", "observations"):
        st = services.status(ind)
        acts = services.actuals(ind)
        rows.append({"name": ind.name, "type": ind.kind, "unit": ind.unit, "direction": ind.direction, "source": ind.source,
                     "area": ind.area.name if ind.area else "", "baseline_year": ind.baseline_year, "baseline": ind.baseline,
                     "targets": "; ".join(f"{t.year}: {t.value:g}" for t in ind.targets.all()),
                     "actuals": "; ".join(f"{y}: {v:g}" for y, v in sorted(acts.items()) if v is not None),
                     "status": st["status"], "latest_year": st.get("year"), "latest_actual": st.get("actual"),
                     "planned": st.get("expected")})
    return rows


@strategy_view()
def monitoring_export(request, strategy, fmt):
    rows = _indicator_rows(strategy)
    header = list(rows[0]) if rows else ["name"]
    name = f"monitoring-{strategy.region.code}-v{strategy.version}"
    if fmt == "xlsx":
        import openpyxl  # lazy: openpyxl costs ~65 ms at start-up (every manage command imports the views)

        book = openpyxl.Workbook()
        ws = book.active
        ws.title = "indicators"
        ws.append(header)
        for r in rows:
            ws.append([safe_cell(r[k]) for k in header])
        buf = io.BytesIO()
        book.save(buf)
        response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows([[safe_cell(r[k]) for k in header] for r in rows])
        response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        return monitoring_report(request, strategy, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def monitoring_report(request, strategy, fmt):
    """The monitoring report as HTML (self-contained, charts as SVG) or PDF, in the user's language."""
    items = []
    for ind in strategy.indicators.prefetch_related("targets", "observations").select_related("area", "action"):
        data = {"actuals": services.actuals(ind), "status": services.status(ind)}
        spec = indicator_chart(ind, data)
        items.append({"ind": ind, "status": data["status"], "svg": vlc.vegalite_to_svg(spec) if spec else ""})
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
