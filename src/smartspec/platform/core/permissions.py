"""Who may do what, per region. One place, used by every view and tested for every role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from smartspec.platform.core.models import (
    PriorityArea,
    Region,
    RegionRole,
    Role,
    Strategy,
)

READ_ROLES = {Role.COORDINATOR, Role.AREA_LEAD, Role.STAKEHOLDER, Role.EVALUATOR, Role.VIEWER}


def roles(user, region: Region) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_smartspec_roles", None)
    if cache is None:
        cache = {}
        for rr in RegionRole.objects.filter(user=user).values_list("region_id", "role"):
            cache.setdefault(rr[0], set()).add(rr[1])
        user._smartspec_roles = cache
    return cache.get(region.pk, set())


def can_view(user, strategy: Strategy) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return bool(roles(user, strategy.region) & READ_ROLES)


def is_frozen(strategy: Strategy) -> bool:
    """An adopted (or superseded) version is frozen: its content changes only through a revision."""
    return strategy.status != Strategy.Status.DRAFT


def coordinates(user, region: Region) -> bool:
    """The region's coordinators (and superusers): run its strategies, invite people, give roles."""
    if user.is_authenticated and user.is_superuser:
        return True
    return Role.COORDINATOR in roles(user, region)


def can_coordinate(user, strategy: Strategy) -> bool:
    """Run the strategy whatever its status: adopt, revise, monitor, evaluate, decide, read the audit trail."""
    return coordinates(user, strategy.region)


def can_edit(user, strategy: Strategy) -> bool:
    """Edit the strategy's content (actors, governance, vision, analysis, areas, plan, indicators,
    consultations): a coordinator, on a draft only."""
    return not is_frozen(strategy) and can_coordinate(user, strategy)


def can_edit_area(user, area: PriorityArea) -> bool:
    if can_edit(user, area.strategy):
        return True
    return not is_frozen(area.strategy) and is_area_lead(user, area)


def is_area_lead(user, area: PriorityArea) -> bool:
    return Role.AREA_LEAD in roles(user, area.strategy.region) and area.leads.filter(pk=user.pk).exists()


def can_monitor(user, strategy: Strategy, area: PriorityArea | None = None) -> bool:
    """Record actuals and refresh computed ones: the coordinator, or the lead of the indicator's
    area; on an adopted version too (monitoring is what an adopted strategy is for)."""
    return can_coordinate(user, strategy) or (area is not None and is_area_lead(user, area))


def can_respond(user, consultation) -> bool:
    region = consultation.strategy.region
    if not user.is_authenticated:
        return False
    return bool(roles(user, region) & {Role.STAKEHOLDER, Role.COORDINATOR, Role.AREA_LEAD}) and \
        consultation.invited.filter(pk=user.pk).exists()


def can_evaluate(user, strategy: Strategy) -> bool:
    """Record evaluation questions, findings, lessons and recommendations."""
    return can_coordinate(user, strategy) or Role.EVALUATOR in roles(user, strategy.region)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def require_edit(user, strategy: Strategy) -> None:
    """403 unless the user may edit the strategy, saying why when it is only frozen."""
    if can_edit(user, strategy):
        return
    if can_coordinate(user, strategy) and is_frozen(strategy):
        raise PermissionDenied(frozen_message(strategy))
    raise PermissionDenied


def frozen_message(strategy: Strategy) -> str:
    return _("Version %(v)d is %(status)s and can no longer be changed: make a revision (a new draft) on the "
             "Versions page, or edit the open draft.") % {"v": strategy.version,
                                                          "status": strategy.get_status_display().lower()}


def visible_consultations(user, strategy: Strategy):
    """The consultations a user sees: all for the strategy's coordinators; no drafts for anyone
    else, and only those they are invited to for a stakeholder (who has no other role there)."""
    qs = strategy.consultations.all()
    if can_coordinate(user, strategy):
        return qs
    qs = qs.exclude(status="draft")
    if roles(user, strategy.region) <= {Role.STAKEHOLDER}:
        qs = qs.filter(invited=user)
    return qs
