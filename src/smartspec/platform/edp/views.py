"""The entrepreneurial discovery process on the web."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from smartspec.platform.core import services as core_services
from smartspec.platform.core.models import AuditEvent, Role
from smartspec.platform.core.permissions import (
    can_coordinate,
    can_respond,
    require,
    visible_consultations,
)
from smartspec.platform.core.services import record
from smartspec.platform.core.shortcuts import page_context, strategy_view
from smartspec.platform.edp import charts, services
from smartspec.platform.edp.forms import ConsultationForm, DecisionForm
from smartspec.platform.edp.models import Candidate, Consultation, Criterion, Score
from smartspec.platform.onboarding import mail
from smartspec.platform.onboarding import services as onboarding
from smartspec.platform.onboarding.forms import ConsultationInviteForm


def _region_users(strategy):
    return get_user_model().objects.filter(region_roles__region=strategy.region,
                                           region_roles__role__in=[Role.STAKEHOLDER, Role.AREA_LEAD, Role.COORDINATOR]
                                           ).distinct().order_by("username")


@strategy_view()
def consultations(request, strategy):
    return render(request, "edp/list.html", page_context(request, strategy, consultations=visible_consultations(request.user, strategy)))


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
    c = get_object_or_404(visible_consultations(request.user, strategy).prefetch_related("criteria", "candidates"), pk=cid)
    mine = c.responses.filter(user=request.user).first()
    manages = onboarding.can_manage(request.user, strategy.region)
    show_results = manages or can_coordinate(request.user, strategy) or c.status == Consultation.Status.CLOSED
    return render(request, "edp/detail.html", page_context(
        request, strategy, c=c, mine=mine, may_respond=can_respond(request.user, c) and c.is_open,
        results=services.results(c) if show_results else None, decision=getattr(c, "decision", None),
        n_responses=c.responses.count(), n_invited=c.invited.count(), manages=manages,
        scale=_scale(c) if manages else None, invite_form=ConsultationInviteForm() if manages else None))


def _scale(c) -> dict:
    """The coordinator's view of a consultation at scale: response rates, scores and agreement
    by stakeholder type (numbers from edp.services, charts from edp.charts), pending invitations
    and the last reminder."""
    invited = list(c.invited.values_list("pk", flat=True))
    kinds = onboarding.kinds_of(invited)
    responded = list(c.responses.values_list("user_id", flat=True))
    rates, total = services.response_rates([(u, kinds.get(u, "")) for u in invited], responded)
    weights = dict(c.criteria.values_list("pk", "weight"))
    scores = [{"user": u, "candidate": cand, "criterion": k, "value": v} for u, cand, k, v in
              Score.objects.filter(response__consultation=c).values_list("response__user_id", "candidate_id",
                                                                         "criterion_id", "value")]
    by_type = services.scores_by_type(scores, weights, kinds)
    agree = services.agreement(by_type)
    names = dict(c.candidates.values_list("pk", "name"))
    labels = charts.kind_labels()
    return {"rates": [{**r, "label": labels.get(r["kind"], r["kind"])} for r in rates], "total": total,
            "rate_spec": charts.response_rate(rates), "scores_spec": charts.scores(by_type, names),
            "agreement_spec": charts.agreement(agree["pairs"]),
            "pairs": [{**p, "a_label": labels.get(p["a"]), "b_label": labels.get(p["b"])} for p in agree["pairs"]],
            "spread": [{**x, "name": names.get(x["candidate"])} for x in agree["spread"]],
            "pending": onboarding.pending(c), "last_reminder": _last_reminder(c)}


def _last_reminder(c):
    return AuditEvent.objects.filter(model="Consultation", object_id=str(c.pk), action="remind").first()


@require_POST
@strategy_view()
def remind(request, strategy, cid):
    """E-mail everyone invited who has not responded (with the invitation link to those not yet registered)."""
    require(onboarding.can_manage(request.user, strategy.region))
    c = get_object_or_404(strategy.consultations, pk=cid)
    if not c.is_open:
        messages.error(request, _("Reminders are sent while the consultation is open."))
        return redirect("consultation", strategy.pk, c.pk)
    responded = set(c.responses.values_list("user_id", flat=True))
    users = [u for u in c.invited.exclude(pk__in=responded) if u.email]
    known = {u.email.lower() for u in c.invited.all() if u.email}
    invitations = [i for i in onboarding.pending(c) if i.email.lower() not in known]
    for user in users:
        mail.send_reminder(request, c, user=user)
    for inv in invitations:
        mail.send_reminder(request, c, invitation=inv)
    n = len(users) + len(invitations)
    event = record(request.user, strategy.region, "remind", c, summary=f"{n} reminders for {c.title}")
    event.changes = {"reminders": n}
    event.save(update_fields=["changes"])
    messages.success(request, ngettext("%(n)d reminder sent.", "%(n)d reminders sent.", n) % {"n": n})
    return redirect("consultation", strategy.pk, c.pk)


@require_POST
@strategy_view(coordinate=True)
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
    c = get_object_or_404(strategy.consultations.prefetch_related("criteria", "candidates__area__activities"), pk=cid)
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
    evidence = _candidate_evidence(strategy, candidates)
    grid = [{"candidate": cand, "comment": comments.get(cand.pk, ""), "ev": evidence.get(cand.pk),
             "cells": [{"criterion": crit, "value": current.get((cand.pk, crit.pk))} for crit in criteria]}
            for cand in candidates]
    return render(request, "edp/respond.html", page_context(request, strategy, c=c, grid=grid, criteria=criteria,
                                                   errors=errors, existing=existing, values=range(1, 6)),
                  status=400 if errors else 200)


def _candidate_evidence(strategy, candidates) -> dict:
    """Each candidate area's evidence on the strategy's latest snapshot (core.services computes it)."""
    latest = strategy.snapshots.first()
    return {c.pk: core_services.area_evidence(c.area, latest) for c in candidates if c.area is not None}


@strategy_view(coordinate=True)
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
