"""A whole strategy as JSON (schema ``smartspec-strategy`` 2.0, docs/strategy-schema.md):
export and import, also used for revisions and the diff between two versions.

Objects are written generically from their model fields (``_meta``): every concrete field
except the database id, the optimistic lock and automatic change times, references as keys
(``area-1``), users as usernames and other strategies as ``{region, period_start, version}``.
A field a model gains is carried without changes here; :data:`KINDS` says only how objects
nest and which of them have keys."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartspec import __version__
from smartspec.data.classifications.nace import normalise_activity
from smartspec.errors import InputError, SmartspecError
from smartspec.platform.core.models import (
    Actor,
    AnalysisSnapshot,
    AreaActivity,
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
from smartspec.platform.core.services import record
from smartspec.platform.edp.models import (
    Candidate,
    Comment,
    Consultation,
    Criterion,
    Decision,
    Response,
    Score,
)
from smartspec.platform.policy.models import (
    Action,
    Assessment,
    Evaluation,
    EvaluationEntry,
    Indicator,
    Milestone,
    Observation,
    Target,
)

SCHEMA, VERSION = "smartspec-strategy", "2.0"
#: Never written: database ids, optimistic locks and automatic change times.
SKIP = {"id", "lock_version", "updated_at"}
#: The plan (what a revision carries on); the rest is the record of the process.
PLAN = ("actors", "bodies", "snapshots", "areas", "goals", "swot", "documents", "actions", "indicators")
HISTORY = ("consultations", "evaluations", "assessments")
#: Stored values the validators of today may reject; an export must import as it was.
LENIENT = (URLValidator, EmailValidator)


@dataclass(frozen=True)
class Kind:
    """How objects of a model sit in the document."""

    model: type
    parent: str | None = None  # the foreign key implied by nesting
    prefix: str = ""  # key prefix (``area`` → ``area-1``); "" for objects nobody refers to
    children: tuple = ()  # (list name, Kind)
    single: bool = False  # a one-to-one child: an object or null instead of a list
    skip: tuple = ()  # fields written by hand


MEMBER, MEETING = Kind(Member, "body"), Kind(Meeting, "body")
ACTIVITY = Kind(AreaActivity, "area")
MILESTONE = Kind(Milestone, "action")
TARGET, OBSERVATION = Kind(Target, "indicator"), Kind(Observation, "indicator")
SCORE, COMMENT = Kind(Score, "response"), Kind(Comment, "response")
RESPONSE = Kind(Response, "consultation", children=(("scores", SCORE), ("comments", COMMENT)))
DECISION = Kind(Decision, "consultation", single=True)
ENTRY = Kind(EvaluationEntry, "evaluation")
SNAPSHOT = Kind(AnalysisSnapshot, "strategy", "snapshot", skip=("result",))
STRATEGY = Kind(Strategy, skip=("region",))  # the region is written at the top level
#: The document's lists in the order an import reads them (references point backwards).
KINDS = {
    "actors": Kind(Actor, "strategy", "actor"),
    "bodies": Kind(GovernanceBody, "strategy", "body", (("members", MEMBER), ("meetings", MEETING))),
    "snapshots": SNAPSHOT,
    "areas": Kind(PriorityArea, "strategy", "area", (("activities", ACTIVITY),)),
    "goals": Kind(Goal, "strategy", "goal"),
    "swot": Kind(SwotEntry, "strategy"),
    "documents": Kind(Document, "strategy", "document"),
    "actions": Kind(Action, None, "action", (("milestones", MILESTONE),)),
    "indicators": Kind(Indicator, "strategy", "indicator", (("targets", TARGET), ("observations", OBSERVATION))),
    "consultations": Kind(Consultation, "strategy", "consultation",
                          (("criteria", Kind(Criterion, "consultation", "criterion")),
                           ("candidates", Kind(Candidate, "consultation", "candidate")),
                           ("responses", RESPONSE), ("decision", DECISION))),
    "evaluations": Kind(Evaluation, "strategy", "evaluation", (("entries", ENTRY),)),
    "assessments": Kind(Assessment, "strategy"),
}
#: Users who took part in a consultation: pseudonyms in an anonymised export.
RESPONDENT_FIELDS = {(Response, "user"), (Consultation, "invited")}
#: Required user references that fall back to the importing user when theirs is unknown.
IMPORTER_STANDS_IN = {(Decision, "decided_by")}


# --- values ------------------------------------------------------------------------------------

def _to_json(value):
    """A field's value as JSON."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _from_json(f: models.Field, value, where: str):
    """A JSON value as the field's Python value, checked like the field would check it."""
    if value is None:
        if not f.null:
            raise InputError(_("%(field)r must not be empty") % {"field": f.name}, path=where)
        return None
    try:
        value = f.to_python(value)
        if f.choices and value not in {k for k, _label in f.flatchoices}:
            raise ValidationError(_("%(value)r is not one of %(choices)s")
                                  % {"value": value, "choices": ", ".join(str(k) for k, _l in f.flatchoices)})
        for check in f.validators:
            if not isinstance(check, LENIENT):
                check(value)
    except ValidationError as exc:
        raise InputError(f"{f.name}: {' '.join(str(m) for m in exc.messages)}", path=where) from None
    if isinstance(f, models.DateTimeField) and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def digest(result) -> str:
    """A snapshot's fingerprint: the SHA-256 of its result as canonical JSON."""
    return hashlib.sha256(json.dumps(result, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _natural(key):
    """Sort ``area-2`` before ``area-10`` (and ``respondent 2`` before ``respondent 10``)."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(key))]


def _ordered(qs):
    """The model's own order, with the id to break ties (an import recreates it in this order)."""
    return qs.order_by(*(qs.model._meta.ordering or []), "pk")


def strategy_ref(s: Strategy | None) -> dict | None:
    return None if s is None else {"region": s.region.code, "period_start": s.period_start, "version": s.version}


def _own_fields(model, kind: Kind):
    """The concrete fields an object of ``kind`` writes (its nesting parent is implied)."""
    return [f for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in SKIP and f.name != kind.parent and f.name not in kind.skip]


# --- export ------------------------------------------------------------------------------------

class _Writer:
    """Keys for the objects of one export, and how users are written."""

    def __init__(self, strategy: Strategy, anonymise: bool, include_snapshots: bool):
        self.strategy, self.anonymise, self.include_snapshots = strategy, anonymise, include_snapshots
        self.keys: dict[type, dict[int, str]] = {}
        self.prefix: dict[type, str] = {}
        self.usernames = dict(get_user_model().objects.values_list("pk", "username"))
        self.pseudonyms: dict[int, str] = {}

    def key(self, kind: Kind, obj) -> str:
        keys = self.keys.setdefault(kind.model, {})
        self.prefix[kind.model] = kind.prefix
        return keys.setdefault(obj.pk, f"{kind.prefix}-{len(keys) + 1}")

    def user(self, model, name: str, pk):
        if pk is None:
            return None
        if not self.anonymise:
            return self.usernames.get(pk)
        if (model, name) not in RESPONDENT_FIELDS:
            return None
        return self.pseudonyms.setdefault(pk, f"respondent {len(self.pseudonyms) + 1}")

    def ref(self, model, f: models.Field, pk):
        """A reference as the document writes it; ``...`` for a relation it does not carry."""
        target = f.related_model
        if target is get_user_model():
            return self.user(model, f.name, pk)
        if pk is None:
            return None
        if target is Strategy:
            return strategy_ref(Strategy.objects.select_related("region").filter(pk=pk).first())
        if target in self.keys:
            return self.keys[target].get(pk)
        return ...


def _collect(kind: Kind, qs, w: _Writer) -> list:
    """The objects of ``kind`` in document order, each with its children; assigns keys."""
    out = []
    for obj in _ordered(qs):
        if kind.prefix:
            w.key(kind, obj)
        children = {}
        for name, child in kind.children:
            rows = _collect(child, child.model.objects.filter(**{child.parent: obj}), w)
            children[name] = (rows[0] if rows else None) if child.single else rows
        out.append((obj, children))
    return out


def _write(kind: Kind, obj, children: dict, w: _Writer) -> dict:
    """One object as JSON: key, own fields, references, children."""
    item = {"key": w.keys[kind.model][obj.pk]} if kind.prefix else {}
    for f in _own_fields(kind.model, kind):
        value = w.ref(kind.model, f, getattr(obj, f.attname)) if f.is_relation else _to_json(f.value_from_object(obj))
        if value is not ...:
            item[f.name] = value
    for f in kind.model._meta.many_to_many:
        refs = [w.ref(kind.model, f, pk) for pk in getattr(obj, f.name).order_by("pk").values_list("pk", flat=True)]
        if ... not in refs:
            item[f.name] = sorted((r for r in refs if r is not None), key=_natural)
    for name, child in kind.children:
        rows = children[name]
        if child.single:
            item[name] = _write(child, *rows, w) if rows else None
        else:
            item[name] = [_write(child, o, c, w) for o, c in rows]
    _EXTRA_OUT.get(kind.model, lambda *a: None)(obj, item, w)
    return item


def _respondent_out(response: Response, item: dict, w: _Writer):
    """The respondent's kind of organisation, when an actor of the strategy is theirs."""
    item["organisation_kind"] = _organisation_kind(w.strategy, response.user)


def _organisation_kind(s: Strategy, user) -> str | None:
    """Via the actor whose contact e-mail is the user's, else a governance member of an actor with the user's name."""
    if user.email:
        actor = s.actors.filter(contact_email__iexact=user.email).first()
        if actor:
            return actor.kind
    name = user.get_full_name().strip()
    member = Member.objects.filter(body__strategy=s, person=name, actor__isnull=False).select_related("actor").first() \
        if name else None
    return member.actor.kind if member else None


def _decision_out(decision: Decision, item: dict, w: _Writer):
    """The results as they stood, with keys for the candidates and areas."""
    cands, areas = w.keys.get(Candidate, {}), w.keys.get(PriorityArea, {})
    item["results"] = [{**r, "candidate": cands.get(r.get("candidate")), "area": areas.get(r.get("area"))}
                       for r in decision.results or []]


def _snapshot_out(snap: AnalysisSnapshot, item: dict, w: _Writer):
    item["digest"] = digest(snap.result)
    item["own"] = snap.strategy_id == w.strategy.pk
    if w.include_snapshots:
        item["result"] = snap.result


_EXTRA_OUT = {Response: _respondent_out, Decision: _decision_out, AnalysisSnapshot: _snapshot_out}


def _snapshots(s: Strategy):
    """The strategy's snapshots and any other one its areas or decisions refer to."""
    used = set(PriorityArea.objects.filter(strategy=s).values_list("evidence_snapshot", flat=True))
    used |= set(Decision.objects.filter(consultation__strategy=s).values_list("evidence", flat=True))
    return AnalysisSnapshot.objects.filter(models.Q(strategy=s) | models.Q(pk__in=used - {None}))


def _rows(s: Strategy, name: str):
    """The top-level objects of one list."""
    if name == "snapshots":
        return _snapshots(s)
    if name == "actions":
        return Action.objects.filter(area__strategy=s)
    return KINDS[name].model.objects.filter(strategy=s)


def _pseudonymise(s: Strategy, w: _Writer):
    """Number the respondents in document order: each consultation's respondents, then the invited."""
    for c in _ordered(s.consultations.all()):
        for pk in _ordered(c.responses.all()).values_list("user", flat=True):
            w.user(Response, "user", pk)
        for pk in c.invited.order_by("username").values_list("pk", flat=True):
            w.user(Consultation, "invited", pk)


def export_strategy(s: Strategy, *, anonymise: bool = False, include_snapshots: bool = False,
                    sections=None) -> dict:
    """The strategy and everything linked to it as a JSON-ready dict.

    ``anonymise``: consultation respondents become ``respondent 1`` …, other user references
    and actors' contacts are left out. ``include_snapshots``: the analysis results themselves,
    so that an import elsewhere restores the evidence. ``sections``: only these lists
    (e.g. :data:`PLAN`)."""
    w = _Writer(s, anonymise, include_snapshots)
    names = [n for n in KINDS if sections is None or n in sections]
    if anonymise:
        _pseudonymise(s, w)
    collected = {n: _collect(KINDS[n], _rows(s, n), w) for n in names}
    doc = {"schema": SCHEMA, "schema_version": VERSION, "smartspec_version": __version__,
           "exported_at": timezone.now().isoformat(timespec="seconds"), "anonymised": anonymise,
           "region": {"code": s.region.code, "name": s.region.name},
           "strategy": _write(STRATEGY, s, {}, w)}
    for n in names:
        doc[n] = [_write(KINDS[n], obj, children, w) for obj, children in collected[n]]
    if anonymise:
        for a in doc.get("actors", []):
            a.update(contact_name="", contact_email="")
    return doc


# --- import ------------------------------------------------------------------------------------

class _Skip(Exception):
    """An object that cannot be stored here (its required user is not on this server)."""


@dataclass
class Imported:
    """An import's result: the new strategy and what could not be restored as it was."""

    strategy: Strategy
    notes: list[str] = field(default_factory=list)


class _Reader:
    """Objects by key as the import creates them, users by username, and the notes."""

    def __init__(self, strategy: Strategy, user, doc: dict):
        self.strategy, self.importer = strategy, user if user is not None and user.is_authenticated else None
        self.anonymised = bool(doc.get("anonymised"))
        self.keys: dict[type, dict[str, object]] = {}
        self.labels = {k.model: k.prefix for k in _all_kinds() if k.prefix}
        self.users: dict[str, object] = {}
        self.missing: dict[str, list[str]] = {}
        self.notes: list[str] = []

    def user(self, name, where: str):
        if not isinstance(name, str):
            raise InputError(_("a user is written as a username, not %(value)r") % {"value": name}, path=where)
        if name not in self.users:
            self.users[name] = get_user_model().objects.filter(username=name).first()
        if self.users[name] is None:
            self.missing.setdefault(name, []).append(where)
        return self.users[name]

    def resolve(self, model, f: models.Field, value, where: str):
        """A reference as the object it names."""
        target = f.related_model
        if target is get_user_model():
            return self._required_user(model, f, None if value is None else self.user(value, where), value, where)
        if value is None:
            return None
        if target is Strategy:
            return self._strategy(value, where)
        keys = self.keys.get(target, {})
        if not isinstance(value, str) or value not in keys:
            label = self.labels.get(target, target._meta.model_name)
            suffix = "" if f.name == label else f" ({f.name})"
            raise InputError(_("unknown %(kind)s %(key)r") % {"kind": label, "key": value} + suffix, path=where)
        return keys[value]

    def _required_user(self, model, f, user, name, where):
        """A required user who is not here: the importing user stands in where allowed, else the object is skipped."""
        if user is not None or f.null or f.many_to_many:
            return user
        places = self.missing.get(name, [])
        if where in places:
            places.remove(where)
        if not places:
            self.missing.pop(name, None)
        if (model, f.name) in IMPORTER_STANDS_IN and self.importer is not None:
            self.notes.append(_("%(where)s: %(user)r is not a user here; recorded as %(importer)s")
                              % {"where": where, "user": name, "importer": self.importer.get_username()})
            return self.importer
        raise _Skip(_("%(where)s: not imported, %(user)r is not a user here") % {"where": where, "user": name})

    def _strategy(self, ref, where):
        if not isinstance(ref, dict):
            raise InputError(_("a strategy is written as {region, period_start, version}"), path=where)
        found = Strategy.objects.filter(region__code=ref.get("region"), period_start=ref.get("period_start"),
                                        version=ref.get("version")).first()
        if found is None:
            self.notes.append(_("%(where)s: strategy %(ref)s is not on this server; left empty")
                              % {"where": where, "ref": f"{ref.get('region')} {ref.get('period_start')} v{ref.get('version')}"})
        return found

    def summary(self) -> list[str]:
        """The notes, with one line per username that is not on this server."""
        for name, places in self.missing.items():
            more = len(places) - 1
            self.notes.append(_("%(where)s: no user %(user)r on this server; left empty") % {"where": places[0], "user": name}
                              + (_(" (and %(n)d more references)") % {"n": more} if more else ""))
        return self.notes


def _all_kinds():
    """Every kind, nested ones too."""
    todo, seen = list(KINDS.values()), []
    while todo:
        k = todo.pop()
        seen.append(k)
        todo.extend(c for _n, c in k.children)
    return seen


def _need_dict(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise InputError(_("expected an object, not %(value)s") % {"value": repr(value)[:40]}, path=where)
    return value


def _values(kind: Kind, data: dict, where: str, r: _Reader) -> dict:
    """The model's field values from one JSON object."""
    values = {}
    for f in _own_fields(kind.model, kind):
        if f.name not in data:
            if not (f.null or f.blank or f.has_default() or f.is_relation and f.null):
                raise InputError(_("missing %(field)r") % {"field": f.name}, path=where)
            continue
        if f.is_relation:
            values[f.name] = r.resolve(kind.model, f, data[f.name], where)
        else:
            values[f.name] = _from_json(f, data[f.name], where)
    return values


def _save(obj, where: str):
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
    except (DatabaseError, ValueError, TypeError) as exc:
        raise InputError(str(exc), path=where) from None


def _load(kind: Kind, data, where: str, r: _Reader, **fixed):
    """Create one object (and its children) from JSON; None when it is skipped with a note."""
    data = _need_dict(data, where)
    try:
        data = _EXTRA_IN.get(kind.model, lambda d, w, r: d)(data, where, r)
        obj = kind.model(**fixed, **_values(kind, data, where, r))
        m2m = {f: [r.resolve(kind.model, f, v, f"{where}.{f.name}[{i}]") for i, v in enumerate(_list(data, f.name, where))]
               for f in kind.model._meta.many_to_many if f.name in data}
    except _Skip as skip:
        r.notes.append(str(skip))
        return None
    _save(obj, where)
    for f, objs in m2m.items():
        getattr(obj, f.name).set([o for o in objs if o is not None])
    if kind.prefix and "key" in data:
        r.keys.setdefault(kind.model, {})[data["key"]] = obj
    for name, child in kind.children:
        items = ([data[name]] if data.get(name) is not None else []) if child.single else _list(data, name, where)
        for i, item in enumerate(items):
            _load(child, item, where + (f".{name}" if child.single else f".{name}[{i}]"), r, **{child.parent: obj})
    return obj


def _list(data: dict, name: str, where: str) -> list:
    value = data.get(name) or []
    if not isinstance(value, list):
        raise InputError(_("%(name)r must be a list") % {"name": name}, path=where)
    return value


def _activity_in(data: dict, where: str, r: _Reader) -> dict:
    try:
        return {**data, "nace": normalise_activity(data.get("nace"))}
    except SmartspecError as exc:
        raise InputError(str(exc), path=where) from None


def _score_in(data: dict, where: str, r: _Reader) -> dict:
    value = data.get("value")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise InputError(_("a score is a whole number from 1 to 5, not %(value)r") % {"value": value}, path=where)
    return data


def _response_in(data: dict, where: str, r: _Reader) -> dict:
    if r.anonymised:
        raise _Skip(_("%(where)s: an anonymised response (%(who)s) is not imported") % {"where": where,
                                                                                       "who": data.get("user")})
    return data


def _invited_in(data: dict, where: str, r: _Reader) -> dict:
    return {k: v for k, v in data.items() if k != "invited"} if r.anonymised else data


def _decision_in(data: dict, where: str, r: _Reader) -> dict:
    """The results with this server's ids for the candidates and areas."""
    cands, areas = r.keys.get(Candidate, {}), r.keys.get(PriorityArea, {})
    results = []
    for i, row in enumerate(_list(data, "results", where)):
        row = _need_dict(row, f"{where}.results[{i}]")
        results.append({**row, "candidate": getattr(cands.get(row.get("candidate")), "pk", None),
                        "area": getattr(areas.get(row.get("area")), "pk", None)})
    return {**data, "results": results}


_EXTRA_IN = {AreaActivity: _activity_in, Score: _score_in, Response: _response_in, Consultation: _invited_in,
             Decision: _decision_in}


def _load_snapshot(data, where: str, r: _Reader):
    """The strategy's own snapshots (``own``) are copied to the new strategy; another one it
    refers to is linked. Its result comes from this server's snapshot with the same region,
    time and digest, else from the document's ``result``; without either, references to it
    are left empty, with a note."""
    data = _need_dict(data, where)
    values = _values(SNAPSHOT, data, where, r)
    keys = r.keys.setdefault(AnalysisSnapshot, {})
    same = [s for s in AnalysisSnapshot.objects.filter(region_code=values.get("region_code"),
                                                       created_at=values.get("created_at"))
            if digest(s.result) == data.get("digest")]
    if same and not data.get("own"):
        keys[data.get("key")] = same[0]
        return
    if not same and "result" not in data:
        r.notes.append(_("%(where)s: analysis snapshot of %(when)s is not on this server and the file does not "
                         "carry it; references to it left empty") % {"where": where, "when": data.get("created_at")})
        keys[data.get("key")] = None
        return
    snap = AnalysisSnapshot(strategy=r.strategy, result=same[0].result if same else data["result"], **values)
    _save(snap, where)
    keys[data.get("key")] = snap


def _check(doc) -> None:
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA \
            or str(doc.get("schema_version", "")).split(".")[0] not in ("1", "2"):
        got = doc if not isinstance(doc, dict) else f"{doc.get('schema')!r} {doc.get('schema_version')!r}"
        raise InputError(_("not a %(schema)s document of version 1 or 2 (found %(got)s)")
                         % {"schema": SCHEMA, "got": str(got)[:80]})
    for name in ("region", "strategy"):
        _need_dict(doc.get(name), name)
    if "code" not in doc["region"]:
        raise InputError(_("missing %(field)r") % {"field": "code"}, path="region")


def _create_strategy(doc: dict, user, version, status) -> tuple[Strategy, _Reader]:
    """The new strategy row: the next version for its region and period unless ``version`` is given."""
    reg, st = doc["region"], dict(doc["strategy"])
    region, _new = Region.objects.get_or_create(code=reg["code"], defaults={"name": reg.get("name", "")})
    period = st.get("period_start")
    number = version or max(Strategy.objects.filter(region=region, period_start=period).values_list("version", flat=True),
                            default=0) + 1
    st["status"] = status or st.get("status") or Strategy.Status.DRAFT
    if hasattr(Strategy, "status_for_import"):
        st["status"] = Strategy.status_for_import(region, period, st["status"])
    elif st["status"] not in Strategy.Status.values:
        st["status"] = Strategy.Status.DRAFT
    st["version"] = number
    s = Strategy(region=region)
    r = _Reader(s, user, doc)
    for k, v in _values(STRATEGY, st, "strategy", r).items():
        setattr(s, k, v)
    _save(s, "strategy")
    return s, r


def restore(doc: dict, user=None, *, version: int | None = None, status: str | None = None) -> Imported:
    """Create a strategy and everything in the document, all or nothing. It becomes the next
    version when the region and period exist, so nothing stored is replaced. Users are linked
    by username and never created; what could not be linked is in the notes."""
    _check(doc)
    with transaction.atomic():
        s, r = _create_strategy(doc, user, version, status)
        for name, kind in KINDS.items():
            for i, item in enumerate(_list(doc, name, "document")):
                where = f"{name}[{i}]"
                if kind is SNAPSHOT:
                    _load_snapshot(item, where, r)
                else:
                    _load(kind, item, where, r, **({kind.parent: s} if kind.parent else {}))
        notes = r.summary()
        record(user, s.region, "create", s, summary=f"imported strategy {s.title} as version {s.version}"
               + (f" ({len(notes)} notes)" if notes else ""))
    return Imported(s, notes)


def import_strategy(doc: dict, user=None, *, version: int | None = None, status: str | None = None) -> Strategy:
    """:func:`restore`, returning only the new strategy."""
    return restore(doc, user, version=version, status=status).strategy
