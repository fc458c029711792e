"""Archiving, restoring and deleting any object of a strategy, written once for every kind.

An archived object stays stored and can be restored; lists hide it unless asked to show
archived objects. Deleting asks first, on a page that lists what links to the object (and
will be unlinked) and what goes with it; relations that protect the object stop it. Only the
editors of a draft remove anything; every step is in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import NestedObjects
from django.db import models, router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartspec.platform.core.models import (
    Actor,
    Document,
    Goal,
    GovernanceBody,
    Meeting,
    Member,
    PriorityArea,
    SwotEntry,
)
from smartspec.platform.core.services import record, snapshot_of
from smartspec.platform.core.shortcuts import page_context, strategy_view
from smartspec.platform.edp.models import Consultation
from smartspec.platform.policy.models import Action, Indicator


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    path: str  # from the object to its strategy
    list_url: str  # the page that lists it


KINDS = {
    "actor": Kind(Actor, "strategy", "actors"),
    "body": Kind(GovernanceBody, "strategy", "governance"),
    "member": Kind(Member, "body__strategy", "governance"),
    "meeting": Kind(Meeting, "body__strategy", "governance"),
    "area": Kind(PriorityArea, "strategy", "areas"),
    "goal": Kind(Goal, "strategy", "vision"),
    "action": Kind(Action, "area__strategy", "plan"),
    "indicator": Kind(Indicator, "strategy", "monitoring"),
    "consultation": Kind(Consultation, "strategy", "consultations"),
    "document": Kind(Document, "strategy", "analysis"),
    "swot": Kind(SwotEntry, "strategy", "analysis"),
}


def kind_of(obj) -> str:
    """The key of an object's kind in :data:`KINDS`."""
    return next(k for k, spec in KINDS.items() if isinstance(obj, spec.model))


def get_object(strategy, kind: str, pk: int):
    """The object of that kind and id in the strategy, or 404 (so no other strategy's objects)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    obj = spec.model.objects.filter(**{spec.path: strategy}, pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def label(obj) -> str:
    """"Actor: Paper Province" in the user's language."""
    return f"{capfirst(obj._meta.verbose_name)}: {obj}"


# --- what a deletion touches ---------------------------------------------------------------------------

def _grouped(objs) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for o in objs:
        groups.setdefault(str(capfirst(o._meta.verbose_name_plural)), []).append(str(o))
    return sorted((k, sorted(v)) for k, v in groups.items())


def _linked(obj) -> list:
    """Objects that link to ``obj`` (or that it links to) and stay, losing the link."""
    out = []
    for rel in obj._meta.related_objects:
        if rel.many_to_many:
            out += list(getattr(obj, rel.get_accessor_name()).all())
        elif rel.on_delete not in (models.CASCADE, models.PROTECT, models.RESTRICT):
            out += list(rel.related_model._base_manager.filter(**{rel.field.name: obj}))
    for field in obj._meta.many_to_many:
        if field.related_model._meta.label != settings.AUTH_USER_MODEL:  # users (leads, invited) are not listed
            out += list(getattr(obj, field.name).all())
    return out


def impact(obj) -> dict:
    """What deleting ``obj`` does: ``goes`` (deleted with it), ``linked`` (unlinked, kept) and
    ``protected`` (objects that forbid the deletion), each grouped by kind."""
    collector = NestedObjects(using=router.db_for_write(obj.__class__))
    collector.collect([obj])
    goes = [o for model, objs in collector.model_objs.items() if not model._meta.auto_created
            for o in objs if o != obj]
    return {"goes": _grouped(goes), "linked": _grouped(_linked(obj)), "protected": _grouped(collector.protected)}


# --- the views ------------------------------------------------------------------------------------------

def _back(request, strategy, kind: str) -> str:
    """Where to go afterwards: ``next`` when it is a page of this site, else the list of the kind."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(KINDS[kind].list_url, args=[strategy.pk])


@strategy_view(edit=True)
def delete(request, strategy, kind, pk):
    """GET: the confirmation page with what the deletion touches; POST: delete, audited."""
    obj = get_object(strategy, kind, pk)
    effects = impact(obj)
    back = reverse(KINDS[kind].list_url, args=[strategy.pk])
    if request.method == "POST" and not effects["protected"]:
        what = label(obj)
        try:
            with transaction.atomic():
                record(request.user, strategy.region, "delete", obj, before=snapshot_of(obj), summary=f"deleted {what}")
                obj.delete()
        except (ProtectedError, RestrictedError):  # something came to protect it since the page was shown
            messages.error(request, _("%(what)s cannot be deleted: other records depend on it.") % {"what": what})
            return redirect("object_delete", strategy.pk, kind, pk)
        messages.success(request, _("%(what)s deleted.") % {"what": what})
        return redirect(back)
    if request.method == "POST":
        messages.error(request, _("%(what)s cannot be deleted: other records depend on it.") % {"what": label(obj)})
    return render(request, "core/remove.html", page_context(request, strategy, obj=obj, kind=kind, what=label(obj),
                                                            effects=effects, back=_back(request, strategy, kind)),
                  status=409 if request.method == "POST" else 200)


def _set_archived(request, strategy, kind, pk, when, action: str):
    obj = get_object(strategy, kind, pk)
    with transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(archived_at=when)
        obj.archived_at = when
        record(request.user, strategy.region, action, obj, summary=f"{action} {label(obj)}")
    return obj


@require_POST
@strategy_view(edit=True)
def archive(request, strategy, kind, pk):
    """Archive: hidden from lists, kept, restorable."""
    obj = _set_archived(request, strategy, kind, pk, timezone.now(), "archive")
    messages.success(request, _("%(what)s archived. Show archived objects to restore it.") % {"what": label(obj)})
    return redirect(_back(request, strategy, kind))


@require_POST
@strategy_view(edit=True)
def restore(request, strategy, kind, pk):
    """Restore an archived object."""
    obj = _set_archived(request, strategy, kind, pk, None, "restore")
    messages.success(request, _("%(what)s restored.") % {"what": label(obj)})
    return redirect(_back(request, strategy, kind))
