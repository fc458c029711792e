"""Who may do what, per region. One place, used by every view and tested for every role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

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


def can_edit(user, strategy: Strategy) -> bool:
    """Edit the strategy itself: actors, governance, vision, analysis, areas, consultations, decisions."""
    if user.is_authenticated and user.is_superuser:
        return True
    return Role.COORDINATOR in roles(user, strategy.region)


def can_edit_area(user, area: PriorityArea) -> bool:
    if can_edit(user, area.strategy):
        return True
    return Role.AREA_LEAD in roles(user, area.strategy.region) and area.leads.filter(pk=user.pk).exists()


def can_respond(user, consultation) -> bool:
    region = consultation.strategy.region
    if not user.is_authenticated:
        return False
    return bool(roles(user, region) & {Role.STAKEHOLDER, Role.COORDINATOR, Role.AREA_LEAD}) and \
        consultation.invited.filter(pk=user.pk).exists()


def can_evaluate(user, strategy: Strategy) -> bool:
    """Record evaluation questions, findings, lessons and recommendations."""
    return can_edit(user, strategy) or Role.EVALUATOR in roles(user, strategy.region)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
