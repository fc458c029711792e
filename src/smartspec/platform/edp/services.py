"""EDP: saving a stakeholder's response, aggregating the scores, recording the decision."""

from __future__ import annotations

import statistics

from django.db import transaction

from smartspec.platform.core.services import record
from smartspec.platform.edp.models import (
    Comment,
    Consultation,
    Decision,
    Response,
    Score,
)


class ClosedError(Exception):
    pass


def save_response(consultation: Consultation, user, scores: dict[tuple[int, int], int], comments: dict[int, str]) -> Response:
    """Create or replace the user's one response, atomically, while the consultation is open."""
    if not consultation.is_open:
        raise ClosedError(consultation)
    with transaction.atomic():
        response, created = Response.objects.select_for_update().get_or_create(consultation=consultation, user=user)
        response.scores.all().delete()
        response.comments.all().delete()
        Score.objects.bulk_create([Score(response=response, candidate_id=c, criterion_id=k, value=v)
                                   for (c, k), v in scores.items()])
        Comment.objects.bulk_create([Comment(response=response, candidate_id=c, text=t)
                                     for c, t in comments.items() if t.strip()])
        response.save()  # updated_at
        record(user, consultation.strategy.region, "create" if created else "update", response,
               summary=f"EDP response to {consultation.title}")
    return response


def results(consultation: Consultation) -> list[dict]:
    """Per candidate: each respondent's weighted mean score over the criteria, then the mean,
    the standard deviation and the range across respondents, and per-criterion means."""
    criteria = list(consultation.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    by = {}
    for s in Score.objects.filter(response__consultation=consultation).values("candidate_id", "criterion_id",
                                                                              "response_id", "value"):
        by.setdefault(s["candidate_id"], {}).setdefault(s["response_id"], {})[s["criterion_id"]] = s["value"]
    out = []
    for cand in consultation.candidates.all():
        per_resp = by.get(cand.pk, {})
        totals = [sum(weights[k] * v for k, v in vals.items()) / sum(weights[k] for k in vals)
                  for vals in per_resp.values() if vals]
        crit = {c.name: statistics.fmean([vals[c.pk] for vals in per_resp.values() if c.pk in vals])
                if any(c.pk in vals for vals in per_resp.values()) else None for c in criteria}
        out.append({"candidate": cand.pk, "name": cand.name, "area": cand.area_id, "n": len(totals),
                    "mean": statistics.fmean(totals) if totals else None,
                    "sd": statistics.pstdev(totals) if len(totals) > 1 else (0.0 if totals else None),
                    "min": min(totals) if totals else None, "max": max(totals) if totals else None,
                    "criteria": crit,
                    "comments": list(cand.comments.filter(response__consultation=consultation)
                                     .values_list("text", flat=True))})
    out.sort(key=lambda r: -(r["mean"] or 0))
    return out


def decide(consultation: Consultation, user, text: str, chosen_ids: list[int], evidence=None) -> Decision:
    """Record the decision with the aggregated input as it stood; closes the consultation."""
    with transaction.atomic():
        decision = Decision.objects.create(consultation=consultation, text=text, decided_by=user, evidence=evidence,
                                           results=results(consultation))
        decision.chosen.set(consultation.candidates.filter(pk__in=chosen_ids))
        consultation.status = Consultation.Status.CLOSED
        consultation.save(update_fields=["status"])
        record(user, consultation.strategy.region, "create", decision, summary=f"decision on {consultation.title}")
    return decision
