"""A whole strategy as JSON (schema ``smartspec-strategy`` 1.0, docs/strategy-schema.md):
export, import, revisions (a new version made from the export of the old one) and the
diff between two versions."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from smartspec import __version__
from smartspec.errors import InputError
from smartspec.platform.core.models import (
    Actor,
    Document,
    Goal,
    GovernanceBody,
    Meeting,
    Member,
    PriorityArea,
    Region,
    Strategy,
    SwotEntry,
)
from smartspec.platform.core.services import record, set_activities
from smartspec.platform.policy.models import (
    Action,
    Indicator,
    Milestone,
    Observation,
    Target,
)

SCHEMA, VERSION = "smartspec-strategy", "1.0"


def export_strategy(s: Strategy) -> dict:
    actors = list(s.actors.all())
    akey = {a.pk: f"actor-{i}" for i, a in enumerate(actors, 1)}
    bodies = list(s.bodies.prefetch_related("members", "meetings"))
    bkey = {b.pk: f"body-{i}" for i, b in enumerate(bodies, 1)}
    areas = list(s.areas.prefetch_related("activities"))
    rkey = {a.pk: f"area-{i}" for i, a in enumerate(areas, 1)}
    actions = list(Action.objects.filter(area__strategy=s).prefetch_related("partners", "milestones"))
    ckey = {a.pk: f"action-{i}" for i, a in enumerate(actions, 1)}
    goals = list(s.goals.prefetch_related("areas"))
    gkey = {g.pk: f"goal-{i}" for i, g in enumerate(goals, 1)}
    return {
        "schema": SCHEMA, "schema_version": VERSION, "smartspec_version": __version__,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "region": {"code": s.region.code, "name": s.region.name},
        "strategy": {"title": s.title, "period_start": s.period_start, "period_end": s.period_end, "status": s.status,
                     "version": s.version, "vision": s.vision, "is_demo": s.is_demo},
        "actors": [{"key": akey[a.pk], "name": a.name, "kind": a.kind, "contact_name": a.contact_name,
                    "contact_email": a.contact_email, "nace": a.nace, "website": a.website} for a in actors],
        "bodies": [{"key": bkey[b.pk], "name": b.name, "kind": b.kind, "mandate": b.mandate,
                    "members": [{"person": m.person, "actor": akey.get(m.actor_id), "role": m.role} for m in b.members.all()],
                    "meetings": [{"date": m.date.isoformat(), "minutes": m.minutes, "decisions": m.decisions}
                                 for m in b.meetings.all()]} for b in bodies],
        "areas": [{"key": rkey[a.pk], "name": a.name, "name_en": a.name_en, "description": a.description, "kind": a.kind,
                   "orientation": a.orientation, "keywords": a.keywords, "organisation": akey.get(a.organisation_id),
                   "steering_group": bkey.get(a.steering_group_id), "source_url": a.source_url, "themes": a.themes,
                   "activities": [{"nace": x.nace, "weight": x.weight, **({"reason": x.reason} if x.reason else {})}
                                  for x in a.activities.all()]} for a in areas],
        "goals": [{"key": gkey[g.pk], "title": g.title, "rationale": g.rationale,
                   "areas": [rkey[a.pk] for a in g.areas.all()]} for g in goals],
        "swot": [{"kind": e.kind, "text": e.text, "source": e.source} for e in s.swot.all()],
        "documents": [{"title": d.title, "url": d.url, "source": d.source, "year": d.year} for d in s.documents.all()],
        "actions": [{"key": ckey[a.pk], "area": rkey[a.area_id], "title": a.title, "objective": a.objective,
                     "activities": a.activities, "lead": akey.get(a.lead_id), "partners": [akey[p.pk] for p in a.partners.all()],
                     "external_partners": a.external_partners, "instrument": a.instrument,
                     "budget": float(a.budget) if a.budget is not None else None, "funding": a.funding,
                     "start": a.start.isoformat(), "end": a.end.isoformat(), "status": a.status,
                     "milestones": [{"title": m.title, "due": m.due.isoformat(), "done": m.done} for m in a.milestones.all()]}
                    for a in actions],
        "indicators": [{"name": i.name, "kind": i.kind, "unit": i.unit, "direction": i.direction, "source": i.source,
                        "area": rkey.get(i.area_id), "goal": gkey.get(i.goal_id), "action": ckey.get(i.action_id),
                        "baseline_year": i.baseline_year, "baseline": i.baseline, "tolerance": i.tolerance,
                        "targets": [{"year": t.year, "value": t.value} for t in i.targets.all()],
                        "observations": [{"year": o.year, "value": o.value, "computed": o.computed, "dataset": o.dataset,
                                          "dataset_version": o.dataset_version, "recorded_at": o.recorded_at.isoformat()}
                                         for o in i.observations.all()]}
                       for i in s.indicators.prefetch_related("targets", "observations")],
    }


def _need(obj: dict, key: str, where: str):
    if key not in obj:
        raise InputError(f"{where}: missing {key!r}")
    return obj[key]


def import_strategy(doc: dict, user=None, *, version: int | None = None, status: str | None = None) -> Strategy:
    """Create a strategy from an export. It becomes the next version when that region
    and period already exist, so nothing stored is replaced. All or nothing."""
    if doc.get("schema") != SCHEMA or str(doc.get("schema_version", "")).split(".")[0] != VERSION.split(".")[0]:
        raise InputError(f"not a {SCHEMA} {VERSION} document (schema {doc.get('schema')!r}, version {doc.get('schema_version')!r})")
    reg, st = _need(doc, "region", "document"), _need(doc, "strategy", "document")
    with transaction.atomic():
        region, _ = Region.objects.get_or_create(code=_need(reg, "code", "region"), defaults={"name": reg.get("name", "")})
        existing = Strategy.objects.filter(region=region, period_start=st["period_start"])
        number = version or (max([x.version for x in existing] or [0]) + 1)
        s = Strategy.objects.create(region=region, title=st["title"], period_start=st["period_start"],
                                    period_end=st["period_end"], status=status or st.get("status", "draft"), version=number,
                                    vision=st.get("vision", ""), is_demo=st.get("is_demo", False))
        actors = {a["key"]: Actor.objects.create(strategy=s, **{k: a.get(k, "") for k in
                                                                ("name", "kind", "contact_name", "contact_email", "nace", "website")})
                  for a in doc.get("actors", [])}
        bodies = {}
        for b in doc.get("bodies", []):
            body = GovernanceBody.objects.create(strategy=s, name=b["name"], kind=b["kind"], mandate=b.get("mandate", ""))
            bodies[b["key"]] = body
            for m in b.get("members", []):
                Member.objects.create(body=body, person=m["person"], actor=actors.get(m.get("actor")), role=m.get("role", ""))
            for m in b.get("meetings", []):
                Meeting.objects.create(body=body, date=date.fromisoformat(m["date"]), minutes=m.get("minutes", ""),
                                       decisions=m.get("decisions", ""))
        areas = {}
        for a in doc.get("areas", []):
            area = PriorityArea.objects.create(
                strategy=s, name=a["name"], name_en=a.get("name_en", ""), description=a.get("description", ""),
                kind=a.get("kind", "strength"), orientation=a.get("orientation", "technology"), keywords=a.get("keywords", ""),
                organisation=actors.get(a.get("organisation")), steering_group=bodies.get(a.get("steering_group")),
                source_url=a.get("source_url", ""), themes=list(a.get("themes") or []))
            set_activities(area, [(x["nace"], x.get("weight", 1.0)) for x in a.get("activities", [])],
                           reasons={x["nace"]: x["reason"] for x in a.get("activities", []) if x.get("reason")})
            areas[a["key"]] = area
        goals = {}
        for g in doc.get("goals", []):
            goal = Goal.objects.create(strategy=s, title=g["title"], rationale=g.get("rationale", ""))
            goal.areas.set([areas[k] for k in g.get("areas", []) if k in areas])
            goals[g["key"]] = goal
        for e in doc.get("swot", []):
            SwotEntry.objects.create(strategy=s, kind=e["kind"], text=e["text"], source=e.get("source", ""))
        for d in doc.get("documents", []):
            Document.objects.create(strategy=s, title=d["title"], url=d.get("url", ""), source=d.get("source", ""),
                                    year=d.get("year"))
        actions = {}
        for a in doc.get("actions", []):
            act = Action.objects.create(
                area=areas[a["area"]], title=a["title"], objective=a.get("objective", ""), activities=a.get("activities", ""),
                lead=actors.get(a.get("lead")), external_partners=a.get("external_partners", ""),
                instrument=a.get("instrument", "other"), budget=a.get("budget"), funding=a.get("funding", ""),
                start=date.fromisoformat(a["start"]), end=date.fromisoformat(a["end"]), status=a.get("status", "planned"))
            act.partners.set([actors[k] for k in a.get("partners", []) if k in actors])
            for m in a.get("milestones", []):
                Milestone.objects.create(action=act, title=m["title"], due=date.fromisoformat(m["due"]), done=m.get("done", False))
            actions[a["key"]] = act
        for i in doc.get("indicators", []):
            ind = Indicator.objects.create(
                strategy=s, name=i["name"], kind=i.get("kind", "result"), unit=i.get("unit", ""),
                direction=i.get("direction", "up"), source=i.get("source", "manual"), area=areas.get(i.get("area")),
                goal=goals.get(i.get("goal")), action=actions.get(i.get("action")), baseline_year=i.get("baseline_year"),
                baseline=i.get("baseline"), tolerance=i.get("tolerance", 0.15))
            Target.objects.bulk_create([Target(indicator=ind, year=t["year"], value=t["value"]) for t in i.get("targets", [])])
            Observation.objects.bulk_create([Observation(indicator=ind, year=o["year"], value=o["value"],
                                                         computed=o.get("computed", False), dataset=o.get("dataset", ""),
                                                         dataset_version=o.get("dataset_version"))
                                             for o in i.get("observations", [])])
        record(user, region, "create", s, summary=f"imported strategy {s.title} as version {s.version}")
    return s
