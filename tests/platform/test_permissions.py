"""Every view under every role: allowed or denied, as the roles say. Region A's objects are
not reachable by region B's users, whether by id, form or export."""

import pytest
from django.urls import reverse

from tests.platform.conftest import ROLES, client_for

READ = {"viewer", "stakeholder", "area_lead", "coordinator", "admin"}
EDIT = {"coordinator", "admin"}


def _urls(w):
    s, a, c, snap = w["strategy"].pk, w["area"].pk, w["consultation"].pk, w["snapshot"].pk
    body = w["strategy"].bodies.create(name="Styrgrupp", kind="steering").pk
    actor = w["strategy"].actors.create(name="Paper Province", kind="cluster").pk
    goal = w["strategy"].goals.create(title="Mål").pk
    from datetime import date

    action = w["area"].actions.create(title="Testbädd", start=date(2025, 1, 1), end=date(2026, 12, 31)).pk
    ind = w["strategy"].indicators.create(name="Sysselsatta", area=w["area"]).pk
    evaluation = w["strategy"].evaluations.create(title="Klusterutvärdering").pk
    return [
        ("dashboard", [s], "get", READ), ("analysis", [s], "get", READ), ("snapshot_json", [s, snap], "get", READ),
        ("actors", [s], "get", READ), ("actors_export", [s, "csv"], "get", READ), ("actors_export", [s, "xlsx"], "get", READ),
        ("governance", [s], "get", READ), ("vision", [s], "get", READ),
        ("areas", [s], "get", READ), ("area_detail", [s, a], "get", READ), ("area_evidence", [s], "get", READ),
        ("consultations", [s], "get", READ), ("consultation", [s, c], "get", READ),
        ("strategy_edit", [s], "get", EDIT), ("swot_add", [s], "get", EDIT), ("document_add", [s], "get", EDIT),
        ("actor_add", [s], "get", EDIT), ("actor_edit", [s, actor], "get", EDIT), ("body_add", [s], "get", EDIT),
        ("body_edit", [s, body], "get", EDIT), ("member_add", [s, body], "get", EDIT), ("meeting_add", [s, body], "get", EDIT),
        ("vision_edit", [s], "get", EDIT), ("goal_add", [s], "get", EDIT), ("goal_edit", [s, goal], "get", EDIT),
        ("area_new", [s], "get", EDIT), ("area_edit", [s, a], "get", EDIT | {"area_lead"}),
        ("consultation_new", [s], "get", EDIT), ("decide", [s, c], "get", EDIT), ("audit", [s], "get", EDIT),
        ("respond", [s, c], "get", {"stakeholder", "area_lead"}),
        ("evaluations", [s], "get", READ), ("evaluation", [s, evaluation], "get", READ),
        ("assessment", [s], "get", READ), ("monitoring_export", [s, "csv"], "get", READ),
        ("monitoring_export", [s, "xlsx"], "get", READ),
        ("strategy_export", [s], "get", READ), ("versions", [s], "get", READ), ("revise", [s], "post", EDIT),
        ("plan", [s], "get", READ), ("logic", [s], "get", READ), ("monitoring", [s], "get", READ),
        ("action_new", [s], "get", EDIT | {"area_lead"}), ("action_edit", [s, action], "get", EDIT | {"area_lead"}),
        ("indicator_new", [s], "get", EDIT), ("indicator_edit", [s, ind], "get", EDIT),
        ("actual_add", [s, ind], "get", EDIT | {"area_lead"}), ("indicators_refresh", [s], "post", EDIT),
        ("run_analysis", [s], "post", EDIT), ("areas_import", [s], "post", EDIT), ("actor_import", [s], "post", EDIT),
        ("consultation_status", [s, c], "post", EDIT),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_view_under_every_role(client, world, role, monkeypatch):
    from smartspec.platform.core import services

    monkeypatch.setattr(services, "take_snapshot", lambda strategy, user, **kw: world["snapshot"])
    client_for(client, world, role)
    for name, args, method, allowed in _urls(world):
        url = reverse(name, args=args)
        response = getattr(client, method)(url)
        if role in allowed:
            assert response.status_code in (200, 302), (role, name, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" not in response["Location"], (role, name)
        elif role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (role, name)
        else:
            assert response.status_code == 403, (role, name, response.status_code)


def test_other_region_cannot_reach_objects_by_id(client, world):
    client.force_login(world["users"]["other_coordinator"])
    s, a, snap = world["strategy"].pk, world["area"].pk, world["snapshot"].pk
    for url in (reverse("area_detail", args=[s, a]), reverse("snapshot_json", args=[s, snap]),
                reverse("area_edit", args=[s, a]), reverse("dashboard", args=[s])):
        assert client.get(url).status_code == 403
    # the SE12 strategy id with SE31's area id: not found, not leaked
    assert client.get(reverse("area_detail", args=[world["other"].pk, a])).status_code == 404
    # forms: posting SE31's area into SE12's goal form is rejected by the queryset
    response = client.post(reverse("goal_add", args=[world["other"].pk]), {"title": "x", "areas": [a]})
    assert response.status_code == 200 and "areas" in response.context["form"].errors


def test_area_lead_edits_only_own_area(client, world):
    other_area = world["strategy"].areas.create(name="Stål")
    client.force_login(world["users"]["area_lead"])
    assert client.get(reverse("area_edit", args=[world["strategy"].pk, world["area"].pk])).status_code == 200
    assert client.get(reverse("area_edit", args=[world["strategy"].pk, other_area.pk])).status_code == 403


def test_public_page_shows_only_adopted(client, world):
    assert client.get(reverse("public", args=["SE31"])).status_code == 404
    world["strategy"].status = "adopted"
    world["strategy"].vision = "En innovationsdriven region"
    world["strategy"].save()
    response = client.get(reverse("public", args=["se31"]))
    assert response.status_code == 200 and b"En innovationsdriven region" in response.content


def test_security_headers(client, world):
    client.force_login(world["users"]["viewer"])
    response = client.get(reverse("dashboard", args=[world["strategy"].pk]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


def test_csrf_is_enforced(world):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(world["users"]["coordinator"])
    response = c.post(reverse("swot_add", args=[world["strategy"].pk]), {"kind": "S", "text": "x"})
    assert response.status_code == 403
