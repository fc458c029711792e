"""EDP: saving a stakeholder's response, aggregating the scores, recording the decision."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable

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


# --- EDP at scale: response rates, scores by stakeholder type, agreement between types --------------
# Pure functions over plain values (the views read them from the database), tested by hand.

NOT_STATED = ""  # a respondent whose stakeholder type is not known


def response_rates(invited: Iterable[tuple[int, str]], responded: Iterable[int]) -> tuple[list[dict], dict]:
    """Per stakeholder type: invited, responded and the rate; and the same for everyone.
    ``invited`` are ``(user id, type)`` pairs, ``responded`` the ids of those who responded."""
    done = set(responded)
    groups: dict[str, list[int]] = {}
    for uid, kind in invited:
        groups.setdefault(kind or NOT_STATED, []).append(uid)
    rows = [_rate(kind, uids, done) for kind, uids in sorted(groups.items())]
    return rows, _rate(None, [u for uids in groups.values() for u in uids], done)


def _rate(kind, uids: list[int], done: set) -> dict:
    n, k = len(uids), sum(1 for u in uids if u in done)
    return {"kind": kind, "invited": n, "responded": k, "rate": k / n if n else None}


def respondent_means(scores: Iterable[dict], weights: dict[int, float]) -> dict[tuple[int, int], float]:
    """``(user, candidate)`` → the respondent's weighted mean over the criteria they scored.
    ``scores`` are dicts with ``user``, ``candidate``, ``criterion`` and ``value``."""
    acc: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for s in scores:
        acc.setdefault((s["user"], s["candidate"]), []).append((weights[s["criterion"]], s["value"]))
    return {key: sum(w * v for w, v in pairs) / sum(w for w, _v in pairs) for key, pairs in acc.items()}


def scores_by_type(scores: Iterable[dict], weights: dict[int, float], kinds: dict[int, str]) -> list[dict]:
    """Per candidate and stakeholder type: the mean of the respondents' weighted means, and how many."""
    groups: dict[tuple[int, str], list[float]] = {}
    for (uid, cand), mean in respondent_means(scores, weights).items():
        groups.setdefault((cand, kinds.get(uid) or NOT_STATED), []).append(mean)
    return [{"candidate": cand, "kind": kind, "mean": statistics.fmean(v), "n": len(v)}
            for (cand, kind), v in sorted(groups.items())]


def ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties sharing the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rank correlation (Pearson's on the ranks); None for fewer than three
    pairs or when one side has no variation."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx, syy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else None


def agreement(by_type: list[dict]) -> dict:
    """How far the stakeholder types agree, from :func:`scores_by_type`:
    ``pairs`` — for two types, the rank correlation of the candidates' means over the candidates both scored;
    ``spread`` — per candidate scored by two types or more, the largest minus the smallest type mean."""
    table: dict[str, dict[int, float]] = {}
    for row in by_type:
        table.setdefault(row["kind"], {})[row["candidate"]] = row["mean"]
    kinds = sorted(table)
    pairs = []
    for i, a in enumerate(kinds):
        for b in kinds[i + 1:]:
            common = sorted(set(table[a]) & set(table[b]))
            pairs.append({"a": a, "b": b, "n": len(common),
                          "rho": spearman([table[a][c] for c in common], [table[b][c] for c in common])})
    per_cand: dict[int, list[float]] = {}
    for row in by_type:
        per_cand.setdefault(row["candidate"], []).append(row["mean"])
    spread = [{"candidate": c, "spread": max(v) - min(v), "n_types": len(v)}
              for c, v in sorted(per_cand.items()) if len(v) > 1]
    return {"pairs": pairs, "spread": spread}
