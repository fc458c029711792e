"""A strategy's life cycle (draft → adopted → superseded, frozen adopted versions, revisions that
carry their snapshots), archiving and deleting any object, and the word diff between versions."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from smartspec.platform.core import lifecycle
from smartspec.platform.core.models import AuditEvent, Strategy
from smartspec.platform.edp.models import Decision
from smartspec.platform.policy.models import Indicator, Observation
from tests.platform.conftest import client_for


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English, so that the tests can read their messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _content(w):
    """One object of every kind in the world's strategy: (kind, object) pairs."""
    s, area = w["strategy"], w["area"]
    actor = s.actors.create(name="Paper Province", kind="cluster")
    body = s.bodies.create(name="Styrgrupp", kind="steering")
    member = body.members.create(person="Anna", actor=actor, role="ordförande")
    meeting = body.meetings.create(date=date(2025, 3, 1), minutes="Första mötet")
    goal = s.goals.create(title="Fler jobb")
    goal.areas.add(area)
    action = area.actions.create(title="Testbädd", start=date(2025, 1, 1), end=date(2026, 12, 31), lead=actor)
    ind = Indicator.objects.create(strategy=s, name="Sysselsatta", area=area, action=action)
    doc = s.documents.create(title="RIS3 2021")
    swot = s.swot.create(kind="S", text="Skog")
    return {"actor": actor, "body": body, "member": member, "meeting": meeting, "area": area, "goal": goal,
            "action": action, "indicator": ind, "consultation": w["consultation"], "document": doc, "swot": swot}


def _edit_urls(s, o):
    """Every URL that changes the strategy's content, with its method."""
    pk = s.pk
    return [
        ("strategy_edit", [pk], "get"), ("vision_edit", [pk], "get"), ("swot_add", [pk], "get"),
        ("document_add", [pk], "get"), ("actor_add", [pk], "get"), ("actor_edit", [pk, o["actor"].pk], "get"),
        ("body_add", [pk], "get"), ("body_edit", [pk, o["body"].pk], "get"), ("member_add", [pk, o["body"].pk], "get"),
        ("meeting_add", [pk, o["body"].pk], "get"), ("goal_add", [pk], "get"), ("goal_edit", [pk, o["goal"].pk], "get"),
        ("area_new", [pk], "get"), ("area_edit", [pk, o["area"].pk], "get"), ("action_new", [pk], "get"),
        ("action_edit", [pk, o["action"].pk], "get"), ("indicator_new", [pk], "get"),
        ("indicator_edit", [pk, o["indicator"].pk], "get"), ("consultation_new", [pk], "get"),
        ("run_analysis", [pk], "post"), ("areas_import", [pk], "post"), ("actor_import", [pk], "post"),
        ("vision_edit", [pk], "post"), ("goal_add", [pk], "post"), ("swot_add", [pk], "post"),
        *[(name, [pk, kind, obj.pk], "post") for kind, obj in o.items()
          for name in ("object_archive", "object_delete")],
        ("object_delete", [pk, "actor", o["actor"].pk], "get"),
    ]


def _adopt(s, user=None):
    lifecycle.adopt(s, user)
    s.refresh_from_db()
    return s


def test_an_adopted_version_is_frozen_for_every_editor(client, world):
    s = world["strategy"]
    objects = _content(world)
    _adopt(s)
    for role in ("coordinator", "admin", "area_lead"):
        client_for(client, world, role)
        for name, args, method in _edit_urls(s, objects):
            response = getattr(client, method)(reverse(name, args=args), {"vision": "x", "title": "x", "text": "x"})
            assert response.status_code == 403, (role, name, method, response.status_code)
    client_for(client, world, "coordinator")
    page = client.get(reverse("vision_edit", args=[s.pk]))
    assert "can no longer be changed" in page.content.decode()  # says why, not just "forbidden"
    assert Strategy.objects.get(pk=s.pk).vision == "" and s.actors.count() == 1 and not s.actors.archived().exists()
    # the pages show no edit links on the frozen version
    assert client.get(reverse("vision", args=[s.pk])).context["can_edit"] is False


def test_monitoring_evaluation_and_edp_go_on_on_an_adopted_version(client, world):
    s = world["strategy"]
    ind = Indicator.objects.create(strategy=s, name="Sysselsatta", area=world["area"])
    _adopt(s)
    for role in ("coordinator", "area_lead"):  # the area lead records actuals of their area's indicators
        client_for(client, world, role)
        r = client.post(reverse("actual_add", args=[s.pk, ind.pk]), {"year": 2024, "value": 5})
        assert r.status_code == 302, role
    assert Observation.objects.filter(indicator=ind).count() == 2
    client_for(client, world, "coordinator")
    r = client.post(reverse("evaluations", args=[s.pk]), {"title": "Halvtidsutvärdering", "subject": "strategy"})
    ev = s.evaluations.get()
    assert r.status_code == 302
    assert client.post(reverse("evaluation", args=[s.pk, ev.pk]), {"kind": "finding", "text": "Bra"}).status_code == 302
    assert client.get(reverse("audit", args=[s.pk])).status_code == 200
    r = client.post(reverse("evaluation_decide", args=[s.pk, ev.pk]), {"decision": "Skärp fokus"})
    ev.refresh_from_db()
    assert r.status_code == 302 and ev.revision.status == "draft" and ev.revision.parent_id == s.pk
    client_for(client, world, "stakeholder")  # a stakeholder still responds to the open consultation
    c = world["consultation"]
    scores = {f"s-{cand.pk}-{crit.pk}": "4" for cand in c.candidates.all() for crit in c.criteria.all()}
    assert client.post(reverse("respond", args=[s.pk, c.pk]), scores).status_code == 302
    assert c.responses.count() == 1


def test_one_adopted_version_per_region_and_period(client, world):
    s = world["strategy"]
    client_for(client, world, "coordinator")
    assert client.post(reverse("adopt", args=[s.pk])).status_code == 302
    s.refresh_from_db()
    assert s.status == "adopted"
    v2 = lifecycle.revise(s)
    assert v2.status == "draft" and v2.parent == s and v2.version == 2
    r = client.post(reverse("adopt", args=[v2.pk]))
    assert r.status_code == 302
    s.refresh_from_db()
    v2.refresh_from_db()
    assert (s.status, v2.status) == ("superseded", "adopted")
    assert Strategy.objects.filter(region=s.region, period_start=2021, status="adopted").count() == 1
    # a version that is not a draft is not adopted again; others may not adopt at all
    r = client.post(reverse("adopt", args=[s.pk]), follow=True)
    assert "Only a draft can be adopted" in r.content.decode()
    assert Strategy.objects.get(pk=s.pk).status == "superseded"
    client_for(client, world, "viewer")
    assert client.post(reverse("adopt", args=[v2.pk])).status_code == 403
    # the database refuses a second adopted version too
    with pytest.raises(IntegrityError), transaction.atomic():
        Strategy.objects.filter(pk=s.pk).update(status="adopted")
    # the audit trail has the adoption and the supersession
    summaries = set(AuditEvent.objects.filter(model="Strategy").values_list("summary", flat=True))
    assert {"version 2 adopted", "version 1 superseded by 2"} <= summaries


def test_revision_carries_snapshot_and_evidence(client, world):
    s, area = world["strategy"], world["area"]
    s.areas.create(name="Arkiverat område", archived_at="2025-01-01T00:00Z")
    _adopt(s)
    new = lifecycle.revise(s, world["users"]["coordinator"])
    assert new.snapshots.count() == 1 and new.snapshots.get().pk != world["snapshot"].pk
    copy = new.areas.get(name=area.name)
    assert copy.evidence_snapshot.strategy_id == new.pk
    assert list(copy.leads.all()) == [world["users"]["area_lead"]]
    assert new.areas.get(name="Arkiverat område").archived  # still archived, restorable in the draft
    client_for(client, world, "coordinator")
    rows = client.get(reverse("areas", args=[new.pk])).context["rows"]
    ev = dict((a.name, e) for a, e in rows)[area.name]
    assert ev["available"] and ev["lq_estimate"] is not None  # evidence, not "–"
    _adopt(new)
    public = client.get(reverse("public", args=["SE31"]))
    assert public.context["strategy"] == new and public.context["portfolio"] is not None


def test_a_second_parallel_revision_is_refused(client, world):
    s = world["strategy"]
    _adopt(s)
    client_for(client, world, "coordinator")
    assert client.post(reverse("revise", args=[s.pk])).status_code == 302
    draft = Strategy.objects.get(region=s.region, version=2)
    r = client.post(reverse("revise", args=[s.pk]), follow=True)
    text = r.content.decode()
    assert "still open" in text and reverse("dashboard", args=[draft.pk]) in text
    assert Strategy.objects.filter(region=s.region).count() == 2
    with pytest.raises(lifecycle.LifecycleError) as exc:
        lifecycle.revise(s)
    assert exc.value.draft == draft
    assert not lifecycle.can_revise(s) and not lifecycle.can_revise(draft)
    page = client.get(reverse("versions", args=[s.pk]))
    assert page.context["may_revise"] is False and page.context["draft"] == draft


def test_public_page_changes_only_at_adoption(client, world):
    s = world["strategy"]
    s.vision = "Första visionen"
    s.save()
    r = client.get(reverse("public", args=["SE31"]))
    assert r.status_code == 404 and "No adopted strategy" in r.content.decode()
    _adopt(s)
    assert "Första visionen" in client.get(reverse("public", args=["SE31"])).content.decode()
    draft = lifecycle.revise(s)
    client_for(client, world, "coordinator")
    assert client.post(reverse("vision_edit", args=[draft.pk]),
                       {"vision": "Andra visionen", "lock_version": draft.lock_version}).status_code == 302
    client.logout()
    text = client.get(reverse("public", args=["SE31"])).content.decode()
    assert "Första visionen" in text and "Andra visionen" not in text
    _adopt(draft)
    text = client.get(reverse("public", args=["SE31"])).content.decode()
    assert "Andra visionen" in text and "Första visionen" not in text


def test_archive_restore_and_delete_with_links_listed_and_audited(client, world):
    s = world["strategy"]
    o = _content(world)
    client_for(client, world, "coordinator")
    actors = reverse("actors", args=[s.pk])
    r = client.post(reverse("object_archive", args=[s.pk, "actor", o["actor"].pk]), {"next": actors})
    assert r.status_code == 302 and r["Location"] == actors
    o["actor"].refresh_from_db()
    assert o["actor"].archived
    assert ">Paper Province</a>" not in client.get(actors).content.decode()  # hidden by default
    assert ">Paper Province</a>" in client.get(actors + "?archived=1").content.decode()  # the toggle shows it
    assert client.post(reverse("object_restore", args=[s.pk, "actor", o["actor"].pk])).status_code == 302
    o["actor"].refresh_from_db()
    assert not o["actor"].archived
    # the confirmation page lists what goes with the object and what links to it
    page = client.get(reverse("object_delete", args=[s.pk, "actor", o["actor"].pk]))
    linked = dict(page.context["effects"]["linked"])
    assert page.status_code == 200 and linked["Members"] == ["Anna (ordförande)"] and linked["Actions"] == ["Testbädd"]
    page = client.get(reverse("object_delete", args=[s.pk, "area", o["area"].pk]))
    goes = dict(page.context["effects"]["goes"])
    assert goes["Actions"] == ["Testbädd"] and "16" in goes["NACE activities of areas"]
    assert dict(page.context["effects"]["linked"])["Goals"] == ["Fler jobb"]
    # GET deletes nothing; POST does, and the audit trail says so
    assert client.post(reverse("object_delete", args=[s.pk, "actor", o["actor"].pk])).status_code == 302
    assert not s.actors.exists() and Indicator.objects.filter(pk=o["indicator"].pk).exists()
    o["member"].refresh_from_db()
    assert o["member"].actor is None  # unlinked, kept
    actions = set(AuditEvent.objects.filter(model="Actor").values_list("action", flat=True))
    assert actions == {"archive", "restore", "delete"}
    deleted = AuditEvent.objects.get(model="Actor", action="delete")
    assert deleted.changes["name"] == ["Paper Province", None]
    # every kind can be deleted (areas last: they take actions and indicators with them)
    for kind in ("member", "meeting", "body", "goal", "indicator", "action", "document", "swot", "area"):
        assert client.post(reverse("object_delete", args=[s.pk, kind, o[kind].pk])).status_code == 302, kind
        assert not type(o[kind]).objects.filter(pk=o[kind].pk).exists(), kind
    # another strategy's objects are not reachable through this one
    other = world["other"].actors.create(name="Annan", kind="firm")
    assert client.post(reverse("object_delete", args=[s.pk, "actor", other.pk])).status_code == 404
    assert client.post(reverse("object_delete", args=[s.pk, "nothing", 1])).status_code == 404


def test_protected_objects_say_why_and_only_editors_remove(client, world):
    s, c = world["strategy"], world["consultation"]
    Decision.objects.create(consultation=c, text="Valt", decided_by=world["users"]["coordinator"])
    client_for(client, world, "coordinator")
    page = client.get(reverse("object_delete", args=[s.pk, "consultation", c.pk]))
    assert page.status_code == 200 and page.context["effects"]["protected"]
    r = client.post(reverse("object_delete", args=[s.pk, "consultation", c.pk]))
    assert r.status_code == 409 and "cannot be deleted" in r.content.decode()
    assert s.consultations.filter(pk=c.pk).exists()
    # archiving works where deleting does not
    assert client.post(reverse("object_archive", args=[s.pk, "consultation", c.pk])).status_code == 302
    assert s.consultations.archived().exists()
    for role in ("viewer", "stakeholder", "area_lead", "other_coordinator"):
        client_for(client, world, role)
        assert client.post(reverse("object_restore", args=[s.pk, "consultation", c.pk])).status_code == 403, role
        assert client.get(reverse("object_delete", args=[s.pk, "area", world["area"].pk])).status_code == 403, role
    client.logout()
    assert "/accounts/login/" in client.post(reverse("object_archive", args=[s.pk, "area", world["area"].pk]))["Location"]


def test_word_diff_of_an_edited_vision(client, world):
    s = world["strategy"]
    s.vision = "Värmland är en hållbar region där skogen <och> industrin växer tillsammans med universitetet."
    s.save()
    _adopt(s)
    new = lifecycle.revise(s)
    new.vision = "Värmland är en innovativ region där skogen <och> besöksnäringen växer tillsammans med universitetet."
    new.save()
    client_for(client, world, "viewer")
    page = client.get(reverse("versions", args=[new.pk]))  # by default: against the version it revises
    assert page.context["a"] == s and page.context["b"] == new
    html = str(page.context["changes"]["strategy"]["Vision"])
    assert "<del>hållbar</del><ins>innovativ</ins>" in html
    assert "<del>industrin</del><ins>besöksnäringen</ins>" in html
    assert "&lt;och&gt;" in html and "<och>" not in html  # escaped
    assert "<del>hållbar</del>" in page.content.decode()
    # any two versions can be compared; the same one with itself has no change
    page = client.get(reverse("versions", args=[new.pk]) + f"?a={new.pk}&b={s.pk}")
    assert "<del>innovativ</del><ins>hållbar</ins>" in str(page.context["changes"]["strategy"]["Vision"])
    page = client.get(reverse("versions", args=[new.pk]) + f"?a={s.pk}&b={s.pk}")
    assert page.context["changes"]["strategy"] == {}


def test_word_diff_shortens_long_unchanged_runs():
    old = " ".join(f"w{i}" for i in range(100))
    new = old.replace("w50", "ny")
    html = lifecycle.word_diff(old, new, context=3)
    assert "<del>w50</del><ins>ny</ins>" in html and "w10 " not in html and "…" in html
    assert html.startswith('<span class="elided">') and "w47 w48 w49 " in html
