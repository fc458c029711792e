"""A strategy's versions: draft → adopted → superseded, revisions (a new draft that carries
everything over, its analysis snapshots too) and what changed between two versions."""

from __future__ import annotations

import difflib
import re

from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from smartspec.platform.core.exchange import PLAN, export_strategy, import_strategy
from smartspec.platform.core.models import (
    Actor,
    AnalysisSnapshot,
    Document,
    Goal,
    GovernanceBody,
    Meeting,
    Member,
    PriorityArea,
    Strategy,
    SwotEntry,
)
from smartspec.platform.core.services import record, snapshot_of
from smartspec.platform.policy.models import Action, Indicator

Status = Strategy.Status


class LifecycleError(Exception):
    """A step the life cycle does not allow; ``draft`` is the open draft that stands in the way, if any."""

    def __init__(self, message: str, draft: Strategy | None = None):
        super().__init__(message)
        self.draft = draft


# --- drafts, revisions, adoption ------------------------------------------------------------------

def siblings(strategy: Strategy):
    """Every version of the strategy's region and period."""
    return Strategy.objects.filter(region_id=strategy.region_id, period_start=strategy.period_start)


def open_draft(strategy: Strategy) -> Strategy | None:
    """The draft of the strategy's region and period, if one is open (the strategy itself, maybe)."""
    return siblings(strategy).filter(status=Status.DRAFT).order_by("-version").first()


def can_revise(strategy: Strategy) -> bool:
    """A revision starts from an adopted or superseded version, while no draft is open."""
    return strategy.status != Status.DRAFT and open_draft(strategy) is None


def _check_revisable(strategy: Strategy) -> None:
    draft = open_draft(strategy)
    if draft is not None:
        raise LifecycleError(_("Version %(v)d is a draft still open for changes: edit or adopt it before "
                               "starting another revision.") % {"v": draft.version}, draft)


def revise(strategy: Strategy, user=None) -> Strategy:
    """A new draft that revises ``strategy``: its plan carried over (content, analysis snapshots
    with the areas' evidence pointing at their copies, area leads, archived objects still archived);
    the old version stays as it was, with the record of its process (consultations, evaluations,
    self-assessments). Refused while a draft of the region and period is open."""
    with transaction.atomic():
        list(siblings(strategy).select_for_update())  # one revision at a time
        _check_revisable(strategy)
        new = import_strategy(export_strategy(strategy, sections=PLAN), user, status=Status.DRAFT)
        new.parent = strategy
        new.save(update_fields=["parent", "updated_at"])
        _carry_snapshots(strategy, new)
        _carry_leads(strategy, new)
        _carry_archived(strategy, new)
        record(user, strategy.region, "update", new, summary=f"version {new.version} revises version {strategy.version}")
    return new


def draft_for_changes(strategy: Strategy, user=None) -> tuple[Strategy, bool]:
    """The draft where changes decided on ``strategy`` go (an evaluation's decision): the open
    draft of its region and period, or else a new revision of it; ``True`` when made now."""
    draft = open_draft(strategy)
    if draft is not None:
        return draft, False
    try:
        return revise(strategy, user), True
    except LifecycleError as exc:  # a draft was opened meanwhile
        return exc.draft, False


def adopt(strategy: Strategy, user=None) -> Strategy | None:
    """Adopt a draft. The adopted version of the same region and period, if any, is superseded in
    the same transaction: one adopted version per region and period. Returns the superseded one."""
    with transaction.atomic():
        versions = {s.pk: s for s in siblings(strategy).select_for_update()}
        current = versions[strategy.pk]
        if current.status != Status.DRAFT:
            raise LifecycleError(_("Only a draft can be adopted: version %(v)d is %(status)s.")
                                 % {"v": current.version, "status": current.get_status_display().lower()})
        previous = next((s for s in versions.values() if s.status == Status.ADOPTED), None)
        if previous is not None:
            _set_status(previous, Status.SUPERSEDED, user, f"version {previous.version} superseded by {current.version}")
        _set_status(current, Status.ADOPTED, user, f"version {current.version} adopted")
    strategy.refresh_from_db()
    return previous


def _set_status(strategy: Strategy, status: str, user, summary: str) -> None:
    before = snapshot_of(strategy)
    strategy.status = status
    strategy.lock_version += 1  # a form opened on the draft is now stale
    strategy.save(update_fields=["status", "lock_version", "updated_at"])
    record(user, strategy.region, "update", strategy, before=before, summary=summary)


def _carry_snapshots(old: Strategy, new: Strategy) -> None:
    """Give the revision the old version's analysis snapshots (copies, unless the import made them
    already) and point each area's evidence at the revision's own copy of its snapshot."""
    own = {(s.region_code, s.created_at): s.pk for s in new.snapshots.all()}
    copies = {}
    for snap in old.snapshots.order_by("created_at"):
        copies[snap.pk] = own.get((snap.region_code, snap.created_at)) or AnalysisSnapshot.objects.create(
            strategy=new, created_at=snap.created_at, created_by_id=snap.created_by_id, region_code=snap.region_code,
            parameters=snap.parameters, datasets=snap.datasets, result=snap.result).pk
    evidence = dict(old.areas.values_list("name", "evidence_snapshot_id"))
    for area in new.areas.all():
        snap = copies.get(evidence.get(area.name))
        if snap and area.evidence_snapshot_id != snap:
            PriorityArea.objects.filter(pk=area.pk).update(evidence_snapshot_id=snap)


def _carry_leads(old: Strategy, new: Strategy) -> None:
    leads = {a.name: list(a.leads.all()) for a in old.areas.prefetch_related("leads")}
    for area in new.areas.all():
        if leads.get(area.name):
            area.leads.set(leads[area.name])


#: How an object of a version is found again in its revision: (model, path to the strategy, natural key).
NATURAL_KEYS = [
    (Actor, "strategy", ("name",)),
    (GovernanceBody, "strategy", ("kind", "name")),
    (Member, "body__strategy", ("body__name", "person", "role")),
    (Meeting, "body__strategy", ("body__name", "date")),
    (PriorityArea, "strategy", ("name",)),
    (Goal, "strategy", ("title",)),
    (Action, "area__strategy", ("area__name", "title")),
    (Indicator, "strategy", ("name",)),
    (Document, "strategy", ("title", "url")),
    (SwotEntry, "strategy", ("kind", "text")),
]


def _carry_archived(old: Strategy, new: Strategy) -> None:
    """What was archived in the old version is archived in the revision too (and can be restored there)."""
    for model, path, key in NATURAL_KEYS:
        archived = {tuple(row[1:]): row[0] for row in
                    model.objects.filter(**{path: old}).archived().values_list("archived_at", *key)}
        if not archived:
            continue
        for pk, *values in model.objects.filter(**{path: new}).values_list("pk", *key):
            when = archived.get(tuple(values))
            if when:
                model.objects.filter(pk=pk).update(archived_at=when)


# --- what changed ------------------------------------------------------------------------------------

def _by(items, key):
    return {x[key]: x for x in items}


def _changes(a: dict, b: dict, skip=("key",)) -> dict:
    return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if k not in skip and a.get(k) != b.get(k)}


def _comparable(item: dict, section: str, area_names: dict) -> dict:
    """An exported item as the diff compares it: references by name, lists as readable text."""
    item = dict(item)
    item.pop("key", None)
    if section == "goals":
        item["areas"] = sorted(area_names.get(k, k) for k in item.get("areas", []))
    if section in ("actions", "indicators") and item.get("area"):
        item["area"] = area_names.get(item["area"], item["area"])
    for ref in ("goal", "action", "lead", "organisation", "steering_group", "partners", "observations"):
        item.pop(ref, None)
    if isinstance(item.get("activities"), list):
        item["activities"] = ", ".join(x["nace"] if x.get("weight", 1) == 1 else f"{x['nace']}×{x['weight']:g}"
                                       for x in item["activities"])
    if "targets" in item:
        item["targets"] = ", ".join(f"{t['year']}: {t['value']:g}" for t in item["targets"])
    if "milestones" in item:
        item["milestones"] = ", ".join(m["title"] for m in item["milestones"])
    return item


def diff(old: dict, new: dict) -> dict:
    """What changed between two exports: per section, added, dropped and changed items
    (matched by name or title), with the changed fields."""
    old_areas = {x["key"]: x["name"] for x in old.get("areas", [])}
    new_areas = {x["key"]: x["name"] for x in new.get("areas", [])}
    out = {"strategy": _changes(old["strategy"], new["strategy"], skip=("version", "status", "parent"))}
    for section, ident in (("areas", "name"), ("goals", "title"), ("actions", "title"), ("indicators", "name"),
                           ("actors", "name")):
        a = {k: _comparable(v, section, old_areas) for k, v in _by(old.get(section, []), ident).items()}
        b = {k: _comparable(v, section, new_areas) for k, v in _by(new.get(section, []), ident).items()}
        out[section] = {"added": sorted(set(b) - set(a)), "dropped": sorted(set(a) - set(b)),
                        "changed": {k: _changes(a[k], b[k]) for k in sorted(set(a) & set(b)) if _changes(a[k], b[k])}}
    return out


_TOKENS = re.compile(r"\s+|[^\s]+")


def _elide(tokens: list[str], first: bool, last: bool, context: int) -> str:
    """An unchanged run of words, shortened to ``context`` words next to each change."""
    keep = 2 * context  # words and the spaces between them
    if (first and last) or len(tokens) <= (keep if first or last else 2 * keep) + 2:
        return escape("".join(tokens))
    head = "" if first else escape("".join(tokens[:keep]))
    tail = "" if last else escape("".join(tokens[-keep:]))
    return f"{head}<span class=\"elided\"> … </span>{tail}"


def word_diff(old: str, new: str, context: int = 8) -> str:
    """The two texts as one, word by word: deleted words in ``<del>``, inserted ones in ``<ins>``,
    long unchanged runs shortened to ``context`` words around each change. Escaped, safe HTML."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    out = []
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            out.append(_elide(a[i1:i2], first=n == 0, last=n == len(ops) - 1, context=context))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(x) for x in value)
    return str(value)


def change_html(old, new) -> str:
    """One changed field as safe HTML: texts word by word, other values as old → new."""
    if isinstance(old, str) or isinstance(new, str):
        return word_diff(_text(old), _text(new))
    return mark_safe(f"<del>{escape(_text(old))}</del> → <ins>{escape(_text(new))}</ins>")


#: The model of each section of the diff, for its fields' names in the reader's language.
SECTION_MODELS = {"strategy": Strategy, "areas": PriorityArea, "goals": Goal, "actions": Action,
                  "indicators": Indicator, "actors": Actor}


def field_label(section: str, field: str) -> str:
    """A field's name as the forms show it (``vision`` → "Vision"/"Vision", ``nace`` → …)."""
    computed = {"activities": _("NACE activities"), "targets": _("Targets"), "milestones": _("Milestones")}
    if field in computed:
        return computed[field]
    try:
        name = str(SECTION_MODELS[section]._meta.get_field(field).verbose_name)
    except (KeyError, LookupError):
        name = field
    return name[:1].upper() + name[1:]


def render_diff(changes: dict) -> dict:
    """The diff of :func:`diff` with every changed field as HTML (:func:`change_html`),
    named as the forms name it; sections without changes are left out."""
    out = {"strategy": {field_label("strategy", k): change_html(*v) for k, v in changes["strategy"].items()}}
    for section, d in changes.items():
        if section != "strategy" and (d["added"] or d["dropped"] or d["changed"]):
            out[section] = {**d, "changed": {item: {field_label(section, f): change_html(*pair)
                                                    for f, pair in fields.items()}
                                             for item, fields in d["changed"].items()}}
    return out
