"""The entrepreneurial discovery process on the web."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartspec.platform.core.models import Role
from smartspec.platform.core.permissions import can_edit, can_respond, require
from smartspec.platform.core.services import record
from smartspec.platform.core.shortcuts import page_context, strategy_view
from smartspec.platform.edp import services
from smartspec.platform.edp.forms import ConsultationForm, DecisionForm
from smartspec.platform.edp.models import Candidate, Consultation, Criterion


def _region_users(strategy):
    return get_user_model().objects.filter(region_roles__region=strategy.region,
                                           region_roles__role__in=[Role.STAKEHOLDER, Role.AREA_LEAD, Role.COORDINATOR]
                                           ).distinct().order_by("username")


@strategy_view()
def consultations(request, strategy):
    return render(request, "edp/list.html", page_context(request, strategy, consultations=strategy.consultations.all()))


@strategy_view(edit=True)
def consultation_new(request, strategy):
    form = ConsultationForm(request.POST or None, strategy=strategy, users=_region_users(strategy))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            c = form.save(commit=False)
            c.strategy = strategy
            c.save()
            c.invited.set(form.cleaned_data["invited"])
            Criterion.objects.bulk_create([Criterion(consultation=c, name=n, weight=w) for n, w in form.cleaned_data["criteria"]])
            Candidate.objects.bulk_create([Candidate(consultation=c, area=a, name=a.name) for a in form.cleaned_data["candidates"]])
            record(request.user, strategy.region, "create", c)
        return redirect("consultation", strategy.pk, c.pk)
    return render(request, "core/form.html", page_context(request, strategy, form=form, title=_("New consultation"),
                                                 back=reverse("consultations", args=[strategy.pk])))


@strategy_view()
def consultation(request, strategy, cid):
    c = get_object_or_404(strategy.consultations.prefetch_related("criteria", "candidates"), pk=cid)
    mine = c.responses.filter(user=request.user).first()
    show_results = can_edit(request.user, strategy) or c.status == Consultation.Status.CLOSED
    return render(request, "edp/detail.html", page_context(
        request, strategy, c=c, mine=mine, may_respond=can_respond(request.user, c) and c.is_open,
        results=services.results(c) if show_results else None, decision=getattr(c, "decision", None),
        n_responses=c.responses.count(), n_invited=c.invited.count()))


@require_POST
@strategy_view(edit=True)
def consultation_status(request, strategy, cid):
    c = get_object_or_404(strategy.consultations, pk=cid)
    new = request.POST.get("status")
    if new in (Consultation.Status.OPEN, Consultation.Status.CLOSED) and not hasattr(c, "decision"):
        c.status = new
        c.save(update_fields=["status"])
        record(request.user, strategy.region, "update", c, summary=f"consultation {c.title} → {new}")
    return redirect("consultation", strategy.pk, c.pk)


@strategy_view()
def respond(request, strategy, cid):
    c = get_object_or_404(strategy.consultations.prefetch_related("criteria", "candidates"), pk=cid)
    require(can_respond(request.user, c))
    if not c.is_open:
        messages.error(request, _("This consultation is closed."))
        return redirect("consultation", strategy.pk, c.pk)
    criteria, candidates = list(c.criteria.all()), list(c.candidates.all())
    existing = c.responses.filter(user=request.user).first()
    current = {(s.candidate_id, s.criterion_id): s.value for s in existing.scores.all()} if existing else {}
    comments = {m.candidate_id: m.text for m in existing.comments.all()} if existing else {}
    errors = []
    if request.method == "POST":
        scores, notes = {}, {}
        for cand in candidates:
            for crit in criteria:
                raw = request.POST.get(f"s-{cand.pk}-{crit.pk}", "")
                if raw not in {"1", "2", "3", "4", "5"}:
                    errors.append(_("Score %(cand)s on %(crit)s (1–5).") % {"cand": cand.name, "crit": crit.name})
                else:
                    scores[(cand.pk, crit.pk)] = int(raw)
            notes[cand.pk] = request.POST.get(f"c-{cand.pk}", "")[:4000]
        if not errors:
            try:
                services.save_response(c, request.user, scores, notes)
            except services.ClosedError:
                messages.error(request, _("This consultation closed before your response was saved."))
                return redirect("consultation", strategy.pk, c.pk)
            messages.success(request, _("Thank you: your response is saved. You can change it until the consultation closes."))
            return redirect("consultation", strategy.pk, c.pk)
        current = {k: int(v) for k, v in ((tuple(map(int, key[2:].split("-"))), val) for key, val in request.POST.items()
                                          if key.startswith("s-") and val.isdigit())}
        comments = notes
    grid = [{"candidate": cand, "comment": comments.get(cand.pk, ""),
             "cells": [{"criterion": crit, "value": current.get((cand.pk, crit.pk))} for crit in criteria]}
            for cand in candidates]
    return render(request, "edp/respond.html", page_context(request, strategy, c=c, grid=grid, criteria=criteria,
                                                   errors=errors, existing=existing, values=range(1, 6)),
                  status=400 if errors else 200)


@strategy_view(edit=True)
def decide(request, strategy, cid):
    c = get_object_or_404(strategy.consultations, pk=cid)
    if hasattr(c, "decision"):
        messages.info(request, _("The decision is already recorded."))
        return redirect("consultation", strategy.pk, c.pk)
    form = DecisionForm(request.POST or None, consultation=c)
    if request.method == "POST" and form.is_valid():
        services.decide(c, request.user, form.cleaned_data["text"], [x.pk for x in form.cleaned_data["chosen"]],
                        evidence=strategy.snapshots.first())
        messages.success(request, _("Decision recorded."))
        return redirect("consultation", strategy.pk, c.pk)
    return render(request, "edp/decide.html", page_context(request, strategy, c=c, form=form, results=services.results(c)))
