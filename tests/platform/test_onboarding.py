"""Onboarding: starting a region, invitations by e-mail (single-use, expiring, revocable,
audited), registering through the link, the members page and its role changes."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartspec.platform.core.models import AuditEvent, Region, RegionRole, Role
from smartspec.platform.onboarding import services
from smartspec.platform.onboarding.models import Invitation
from tests.platform.conftest import client_for, make_user

NEW_PASSWORD = "Fjällbjörk-2027-ljus"


def _link(message) -> str:
    return re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _invite(client, world, emails, role="area_lead", language="sv"):
    return client.post(reverse("invite", args=[world["strategy"].pk]),
                       {"emails": "\n".join(emails), "role": role, "language": language})


# --- starting a region ---------------------------------------------------------------------------

def test_region_list_comes_from_the_classifications():
    codes = services.region_codes()
    assert {"SE311", "SE312", "SE31", "SE", "DE21", "FI1D"} <= codes
    assert services.region_choices()[0][0].startswith("Sverige")  # Sweden first, its län first
    assert services.region_choices()[0][1][0][0] == "SE110"


@pytest.mark.django_db
def test_start_region_needs_the_permission(client):
    user = make_user("planner", email="planner@example.org")
    client.force_login(user)
    assert client.get(reverse("start_region")).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="start_region"))
    client = Client()
    client.force_login(type(user).objects.get(pk=user.pk))
    assert client.get(reverse("start_region")).status_code == 200
    r = client.post(reverse("start_region"), {"region": "SE312", "title": "Dalastrategin", "period_start": 2025,
                                              "period_end": 2031})
    region = Region.objects.get(code="SE312")
    strategy = region.strategies.get()
    assert r.status_code == 302 and r["Location"] == reverse("members", args=[strategy.pk])
    assert region.name == "Dalarnas län" and strategy.title == "Dalastrategin"
    assert RegionRole.objects.filter(user=user, region=region, role=Role.COORDINATOR).exists()
    assert set(AuditEvent.objects.filter(region=region).values_list("model", flat=True)) >= {"Region", "Strategy",
                                                                                            "RegionRole"}


@pytest.mark.django_db
def test_start_region_refuses_a_region_that_has_a_strategy_and_unknown_codes(client, world):
    client.force_login(world["users"]["admin"])
    r = client.post(reverse("start_region"), {"region": "SE31", "title": "Kapning", "period_start": 2025,
                                              "period_end": 2031})
    assert r.status_code == 200 and "redan en strategi" in r.content.decode()
    assert not RegionRole.objects.filter(user=world["users"]["admin"], region=world["se31"]).exists()
    r = client.post(reverse("start_region"), {"region": "XX999", "title": "x", "period_start": 2025, "period_end": 2031})
    assert r.status_code == 200 and not Region.objects.filter(code="XX999").exists()
    r = client.post(reverse("start_region"), {"region": "DE21", "title": "x", "period_start": 2030, "period_end": 2025})
    assert r.status_code == 200 and not Region.objects.filter(code="DE21").exists()


@pytest.mark.django_db
def test_start_needs_login(client):
    r = client.get(reverse("start_region"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


# --- invitations -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_invite_new_person_sets_password_once(client, world):
    client_for(client, world, "coordinator")
    r = _invite(client, world, ["Anna.Berg@example.org", "olle@example.org"])
    assert r.status_code == 302
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["anna.berg@example.org"]
    assert "Inbjudan" in mail.outbox[0].subject and "områdesledare" in mail.outbox[0].body.lower()
    assert AuditEvent.objects.filter(model="Invitation", action="create").count() == 2
    link = _path(_link(mail.outbox[0]))
    anon = Client()
    assert anon.get(link).status_code == 200
    r = anon.post(link, {"name": "Anna Berg", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("dashboard", args=[world["strategy"].pk])
    anna = type(world["users"]["admin"]).objects.get(email="anna.berg@example.org")
    assert anna.username == "anna.berg@example.org" and anna.first_name == "Anna" and anna.check_password(NEW_PASSWORD)
    assert RegionRole.objects.filter(user=anna, region=world["se31"], role=Role.AREA_LEAD).exists()
    assert anon.get(reverse("dashboard", args=[world["strategy"].pk])).status_code == 200  # logged in
    assert Client().get(link).status_code == 410  # single-use
    assert Client().post(link, {"name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 410
    assert AuditEvent.objects.filter(model="Invitation", action="accept").count() == 1


@pytest.mark.django_db
def test_register_validates_password(client, world):
    client_for(client, world, "coordinator")
    _invite(client, world, ["kim@example.org"])
    link = _path(_link(mail.outbox[0]))
    r = Client().post(link, {"name": "Kim", "password1": "short", "password2": "short"})
    assert r.status_code == 200 and not RegionRole.objects.filter(user__email="kim@example.org").exists()
    r = Client().post(link, {"name": "Kim", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert r.status_code == 200 and Invitation.objects.get().state == "pending"


@pytest.mark.django_db
def test_invite_existing_account_adds_the_role(client, world):
    viewer = world["users"]["viewer"]
    viewer.email = "viewer@example.org"
    viewer.save()
    client_for(client, world, "coordinator")
    _invite(client, world, ["Viewer@Example.org"], role="evaluator", language="en")
    assert "Invitation" in mail.outbox[0].subject  # the language chosen for the invitee
    link = _path(_link(mail.outbox[0]))
    anon = Client()
    r = anon.get(link)
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    other = Client()
    other.force_login(world["users"]["stakeholder"])
    assert other.get(link).status_code == 403  # the invitation is for another account
    me = Client()
    me.force_login(viewer)
    assert me.get(link).status_code == 200
    r = me.post(link, {})
    assert r.status_code == 302
    assert set(RegionRole.objects.filter(user=viewer, region=world["se31"]).values_list("role", flat=True)) == {
        "viewer", "evaluator"}


@pytest.mark.django_db
def test_expired_revoked_and_forged_links(client, world):
    client_for(client, world, "coordinator")
    _invite(client, world, ["a@example.org", "b@example.org"])
    a, b = Invitation.objects.get(email="a@example.org"), Invitation.objects.get(email="b@example.org")
    a.expires_at = timezone.now() - timedelta(minutes=1)
    a.save()
    link_a = reverse("invitation", args=[services.token(a)])
    assert Client().get(link_a).status_code == 410
    r = client.post(reverse("invitation_revoke", args=[world["strategy"].pk, b.pk]))
    assert r.status_code == 302 and Invitation.objects.get(pk=b.pk).state == "revoked"
    assert AuditEvent.objects.filter(model="Invitation", action="revoke").count() == 1
    assert Client().get(reverse("invitation", args=[services.token(b)])).status_code == 410
    assert Client().get(reverse("invitation", args=[b.key])).status_code == 404  # the bare key is not a link
    assert Client().get(reverse("invitation", args=[services.token(b)[:-2] + "xx"])).status_code == 404


@pytest.mark.django_db
def test_reinviting_replaces_the_pending_invitation(client, world):
    client_for(client, world, "coordinator")
    _invite(client, world, ["a@example.org"])
    _invite(client, world, ["a@example.org"])
    states = sorted(i.state for i in Invitation.objects.all())
    assert states == ["pending", "revoked"]


@pytest.mark.django_db
def test_invite_form_errors(client, world):
    client_for(client, world, "coordinator")
    r = _invite(client, world, ["not-an-address"])
    assert r.status_code == 400 and not Invitation.objects.exists() and not mail.outbox


# --- the members page ------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role,status", [("anonymous", 302), ("viewer", 403), ("stakeholder", 403),
                                         ("area_lead", 403), ("other_coordinator", 403), ("coordinator", 200),
                                         ("admin", 200)])
def test_members_page_for_each_role(client, world, role, status):
    client_for(client, world, role)
    assert client.get(reverse("members", args=[world["strategy"].pk])).status_code == status
    r = _invite(client, world, ["x@example.org"])
    assert (r.status_code == 302 and role in ("coordinator", "admin")) or r.status_code in (302, 403)
    assert Invitation.objects.exists() == (role in ("coordinator", "admin"))


@pytest.mark.django_db
def test_members_page_lists_roles_and_pending(client, world):
    client_for(client, world, "coordinator")
    _invite(client, world, ["pending@example.org"])
    text = client.get(reverse("members", args=[world["strategy"].pk])).content.decode()
    for name in ("viewer", "stakeholder", "area_lead", "coordinator", "pending@example.org"):
        assert name in text
    assert "other_coordinator" not in text  # a coordinator of another region


@pytest.mark.django_db
def test_change_and_remove_roles(client, world):
    s, viewer = world["strategy"], world["users"]["viewer"]
    client_for(client, world, "coordinator")
    url = reverse("member_role", args=[s.pk, viewer.pk])
    client.post(url, {"action": "add", "role": "evaluator"})
    client.post(url, {"action": "remove", "role": "viewer"})
    assert list(RegionRole.objects.filter(user=viewer).values_list("role", flat=True)) == ["evaluator"]
    me = world["users"]["coordinator"]
    r = client.post(reverse("member_role", args=[s.pk, me.pk]), {"action": "remove", "role": "coordinator"}, follow=True)
    assert "sista samordnare" in r.content.decode()
    assert RegionRole.objects.filter(user=me, role="coordinator").exists()
    other = world["users"]["other_coordinator"]  # no role in SE31: not a member here
    assert client.post(reverse("member_role", args=[s.pk, other.pk]), {"action": "add", "role": "viewer"}).status_code == 404
    assert AuditEvent.objects.filter(model="RegionRole", action="delete").count() == 1


@pytest.mark.django_db
def test_forms_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["coordinator"])
    assert _invite(client, world, ["x@example.org"]).status_code == 403


def test_email_settings_from_the_environment(tmp_path):
    env = {**os.environ, "SMARTSPEC_HOME": str(tmp_path), "SMARTSPEC_EMAIL_HOST": "smtp.example.org",
           "SMARTSPEC_EMAIL_PORT": "465", "SMARTSPEC_EMAIL_USER": "u", "SMARTSPEC_EMAIL_PASSWORD": "p",
           "SMARTSPEC_EMAIL_USE_TLS": "0", "SMARTSPEC_EMAIL_FROM": "s3@example.org"}
    code = ("from smartspec.platform import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
            "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.org", "465", "u", "p",
                           "False", "s3@example.org"]
    env = {k: v for k, v in env.items() if not k.startswith("SMARTSPEC_EMAIL")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "django.core.mail.backends.console.EmailBackend"
