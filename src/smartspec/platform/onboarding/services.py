"""Onboarding: the region list, starting a region, invitations (signed single-use links),
accepting them, members' roles and stakeholders' profiles. Every change is audited."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils import timezone

from smartspec.data.classifications import nuts_regions, resolve_region
from smartspec.platform.core.models import Actor, Region, RegionRole, Role, Strategy
from smartspec.platform.core.permissions import coordinates
from smartspec.platform.core.services import record
from smartspec.platform.onboarding.models import Invitation, Profile

INVITATION_DAYS = 14
SALT = "smartspec.onboarding.invitation"
NUTS_VERSION = 2024


class OnboardingError(Exception):
    """A step refused, with a message for the user."""


# --- the region list ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def region_choices() -> tuple:
    """Every NUTS region of the newest version as ``(country, ((code, label), …))`` groups,
    Sweden first (its län before the larger regions), then the other countries by code."""
    table = nuts_regions(NUTS_VERSION).dropna(subset=["level"])
    groups = []
    for country, rows in sorted(table.groupby("country"), key=lambda g: (g[0] != "SE", g[0])):
        rows = rows.sort_values(["level", "code"], ascending=[country != "SE", True])
        head = rows[rows["level"] == 0]
        title = head["name_latin"].iloc[0] if len(head) else country
        options = tuple((r.code, _label(r.code, r.name, r.name_latin)) for r in rows.itertuples())
        groups.append((f"{title} ({country})", options))
    return tuple(groups)


def _label(code: str, name: str, latin: str) -> str:
    shown = name if name == latin or not isinstance(latin, str) else f"{name} / {latin}"
    return f"{shown} ({code})"


def region_codes() -> set[str]:
    return {code for _group, options in region_choices() for code, _label in options}


def can_start(user) -> bool:
    """A superuser, or a user given the permission "May start regions" (onboarding.start_region)."""
    return user.is_authenticated and user.has_perm("onboarding.start_region")


def can_manage(user, region: Region) -> bool:
    """Invite people and change roles: the region's coordinators (and superusers)."""
    return coordinates(user, region)


def start_region(user, code: str, title: str, period_start: int, period_end: int) -> Strategy:
    """Create the region (named by the classifications) and its strategy; ``user`` becomes its coordinator."""
    if code not in region_codes():
        raise OnboardingError(f"unknown region {code}")
    resolved = resolve_region(code)
    with transaction.atomic():
        region, created = Region.objects.get_or_create(code=resolved.code, defaults={"name": resolved.name})
        if not created and region.strategies.exists():
            raise OnboardingError("exists")
        if created:
            record(user, region, "create", region, summary=f"region {region} started")
        strategy = Strategy.objects.create(region=region, title=title, period_start=period_start, period_end=period_end)
        record(user, region, "create", strategy)
        _add_role(user, user, region, Role.COORDINATOR)
    return strategy


# --- invitations ------------------------------------------------------------------------------------

def token(invitation: Invitation) -> str:
    """The link's token: the key signed with the server's secret (a database alone cannot make links)."""
    return signing.dumps(invitation.key, salt=SALT)


def from_token(value: str) -> Invitation | None:
    try:
        key = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("region", "strategy", "consultation").filter(key=key).first()


def invite(sender, strategy: Strategy, email: str, role: str, language: str, consultation=None) -> Invitation:
    """A new invitation; a pending one to the same address, region, role and consultation is revoked."""
    now = timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        for old in Invitation.objects.filter(email__iexact=email, region=strategy.region, role=role,
                                             consultation=consultation, accepted_at=None, revoked_at=None,
                                             expires_at__gt=now):
            revoke(sender, old, summary=f"invitation to {email} replaced")
        inv = Invitation.objects.create(email=email, region=strategy.region, strategy=strategy, role=role,
                                        consultation=consultation, language=language, invited_by=sender,
                                        created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS))
        record(sender, strategy.region, "create", inv, summary=f"invited {email} as {role}"
               + (f" to {consultation.title}" if consultation else ""))
    return inv


def revoke(user, invitation: Invitation, summary: str = "") -> None:
    before = {"revoked_at": None}
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(user, invitation.region, "revoke", invitation, before=before,
           summary=summary or f"invitation to {invitation.email} revoked")


def account_for(email: str):
    """The account that an address belongs to (by e-mail, or an e-mail used as user name)."""
    users = get_user_model().objects.order_by("pk")
    return users.filter(email__iexact=email).first() or users.filter(username__iexact=email).first()


def accept(invitation: Invitation, user, organisation: str = "", kind: str = "", language: str = "") -> Invitation:
    """Give ``user`` the invitation's role (and the consultation), once: a second use is refused."""
    with transaction.atomic():
        # lock the invitation's row only: PostgreSQL refuses FOR UPDATE on the outer join to a missing consultation
        inv = Invitation.objects.select_for_update(of=("self",)).select_related("region", "strategy", "consultation").get(
            pk=invitation.pk)
        if inv.state != Invitation.State.PENDING:
            raise OnboardingError(inv.state)
        _add_role(user, user, inv.region, inv.role)
        if organisation or kind or language:
            save_profile(user, organisation, kind, language or inv.language)
        if inv.consultation is not None:
            inv.consultation.invited.add(user)
        if organisation and inv.asks_profile:
            link_actor(user, inv.strategy, organisation, kind)
        inv.accepted_at, inv.accepted_by = timezone.now(), user
        inv.save(update_fields=["accepted_at", "accepted_by"])
        record(user, inv.region, "accept", inv, before={"accepted_at": None},
               summary=f"{inv.email} accepted the invitation as {inv.role}")
    return inv


def register(invitation: Invitation, name: str, password: str, organisation: str = "", kind: str = "",
             language: str = ""):
    """A new account for the invitation's address (its user name is the address), then :func:`accept`."""
    first, _sep, last = name.strip().partition(" ")
    with transaction.atomic():
        if account_for(invitation.email) is not None:
            raise OnboardingError("account_exists")
        user = get_user_model().objects.create_user(username=invitation.email, email=invitation.email,
                                                    password=password, first_name=first[:150], last_name=last[:150])
        profile = save_profile(user, organisation, kind, language or invitation.language)
        record(user, invitation.region, "create", profile, summary=f"account {invitation.email} registered")
        accept(invitation, user, organisation, kind, language)
    return user


def save_profile(user, organisation: str, kind: str, language: str) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.organisation = organisation or profile.organisation
    profile.kind = kind or profile.kind
    profile.language = language if language in dict(settings.LANGUAGES) else profile.language
    profile.save()
    return profile


def link_actor(user, strategy: Strategy, organisation: str, kind: str) -> Actor:
    """The strategy's actor for the organisation, created when the register lacks it."""
    actor = strategy.actors.filter(name__iexact=organisation).first()
    if actor is None:
        actor = Actor.objects.create(strategy=strategy, name=organisation[:300], kind=kind or Actor.Kind.FIRM,
                                     contact_name=user.get_full_name()[:200], contact_email=user.email)
        record(user, strategy.region, "create", actor, summary=f"actor {actor.name} registered by {user.email}")
    return actor


def language_of(user) -> str:
    profile = Profile.objects.filter(user=user).first()
    return profile.language if profile else settings.LANGUAGE_CODE


def kinds_of(user_ids) -> dict[int, str]:
    """user id → stakeholder type ('' when not stated)."""
    return dict(Profile.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "kind"))


def pending(consultation) -> list[Invitation]:
    """The consultation's invitations that are still waiting to be accepted."""
    return [i for i in consultation.email_invitations.filter(accepted_at=None, revoked_at=None,
                                                           expires_at__gt=timezone.now())]


# --- roles --------------------------------------------------------------------------------------------

def _add_role(actor, user, region: Region, role: str) -> RegionRole | None:
    rr, created = RegionRole.objects.get_or_create(user=user, region=region, role=role)
    if created:
        record(actor, region, "create", rr, summary=f"{user} made {role} in {region.code}")
    user.__dict__.pop("_smartspec_roles", None)
    return rr if created else None


def add_role(actor, user, region: Region, role: str) -> None:
    if role not in Role.values:
        raise OnboardingError("role")
    _add_role(actor, user, region, role)


def remove_role(actor, user, region: Region, role: str) -> None:
    """Remove a role; the region's last coordinator is kept."""
    rr = RegionRole.objects.filter(user=user, region=region, role=role).first()
    if rr is None:
        return
    if role == Role.COORDINATOR and not RegionRole.objects.filter(region=region, role=role).exclude(pk=rr.pk).exists():
        raise OnboardingError("last_coordinator")
    record(actor, region, "delete", rr, summary=f"{user} no longer {role} in {region.code}")
    rr.delete()


def members(region: Region) -> list[dict]:
    """Every user with a role in the region, with their roles, by name."""
    out: dict[int, dict] = {}
    for rr in RegionRole.objects.filter(region=region).select_related("user").order_by("user__username"):
        row = out.setdefault(rr.user_id, {"user": rr.user, "roles": []})
        row["roles"].append({"value": rr.role, "label": rr.get_role_display()})
    return list(out.values())
