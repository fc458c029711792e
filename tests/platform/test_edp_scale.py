"""EDP at scale: registration through a consultation's invitation, evidence beside the scores,
reminders, response rates, scores and agreement by stakeholder type (hand-worked numbers),
and who sees which consultation."""

import json
import math
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from smartspec.platform.core import services as core_services
from smartspec.platform.core.models import Actor, AuditEvent, RegionRole, Role
from smartspec.platform.edp import services
from smartspec.platform.edp.models import Candidate, Consultation, Criterion
from smartspec.platform.onboarding.models import Invitation, Profile
from tests.platform.conftest import client_for, make_user

NEW_PASSWORD = "Fjällbjörk-2027-ljus"

# Criteria k1 (weight 2) and k2 (weight 1); candidates A, B, C. Each respondent's weighted mean:
#   u1 firm:     A (2·5+2)/3 = 4   B (2·1+4)/3 = 2   C (2·3+3)/3 = 3
#   u2 firm:     A 3               B 2               C (2·4+1)/3 = 3
#   u3 academia: A 1               B (2·4+1)/3 = 3   C 5
#   u4 (no type) A (2·2+5)/3 = 3
# By type: firm A 3.5 B 2 C 3; academia A 1 B 3 C 5; not stated A 3.
# Spearman firm × academia: ranks (3, 1, 2) and (1, 2, 3): d² = 4+1+1 = 6, ρ = 1 − 6·6/(3·8) = −0.5.
RAW = {1: {"A": (5, 2), "B": (1, 4), "C": (3, 3)}, 2: {"A": (3, 3), "B": (2, 2), "C": (4, 1)},
       3: {"A": (1, 1), "B": (4, 1), "C": (5, 5)}, 4: {"A": (2, 5)}}
KINDS = {1: "firm", 2: "firm", 3: "academia"}
WEIGHTS = {10: 2.0, 11: 1.0}


def _scores():
    return [{"user": u, "candidate": cand, "criterion": k, "value": v}
            for u, row in RAW.items() for cand, values in row.items() for k, v in zip((10, 11), values)]


# --- pure aggregation --------------------------------------------------------------------------------

def test_response_rates_by_type():
    rows, total = services.response_rates([(1, "firm"), (2, "firm"), (3, "academia"), (4, ""), (5, "public")],
                                          [1, 3, 4])
    assert [(r["kind"], r["invited"], r["responded"], r["rate"]) for r in rows] == [
        ("", 1, 1, 1.0), ("academia", 1, 1, 1.0), ("firm", 2, 1, 0.5), ("public", 1, 0, 0.0)]
    assert (total["invited"], total["responded"], total["rate"]) == (5, 3, 0.6)
    assert services.response_rates([], [])[1]["rate"] is None


def test_respondent_means_are_weighted():
    means = services.respondent_means(_scores(), WEIGHTS)
    assert means[(1, "A")] == pytest.approx(4.0) and means[(1, "B")] == pytest.approx(2.0)
    assert means[(2, "C")] == pytest.approx(3.0) and means[(4, "A")] == pytest.approx(3.0)


def test_scores_by_type():
    rows = {(r["candidate"], r["kind"]): (r["mean"], r["n"]) for r in services.scores_by_type(_scores(), WEIGHTS, KINDS)}
    assert rows == {("A", ""): (pytest.approx(3.0), 1), ("A", "academia"): (pytest.approx(1.0), 1),
                    ("A", "firm"): (pytest.approx(3.5), 2), ("B", "academia"): (pytest.approx(3.0), 1),
                    ("B", "firm"): (pytest.approx(2.0), 2), ("C", "academia"): (pytest.approx(5.0), 1),
                    ("C", "firm"): (pytest.approx(3.0), 2)}


def test_ranks_and_spearman():
    assert services.ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert services.spearman([3.5, 2, 3], [1, 3, 5]) == pytest.approx(-0.5)
    assert services.spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(3 / math.sqrt(10))  # 4.5 / √(4.5·5)
    assert services.spearman([1, 2], [2, 1]) is None  # too few
    assert services.spearman([2, 2, 2], [1, 2, 3]) is None  # no variation


def test_agreement_between_types():
    agree = services.agreement(services.scores_by_type(_scores(), WEIGHTS, KINDS))
    pairs = {(p["a"], p["b"]): (p["rho"], p["n"]) for p in agree["pairs"]}
    assert pairs[("academia", "firm")] == (pytest.approx(-0.5), 3)
    assert pairs[("", "firm")] == (None, 1) and pairs[("", "academia")] == (None, 1)
    assert [(s["candidate"], s["spread"], s["n_types"]) for s in agree["spread"]] == [
        ("A", pytest.approx(2.5), 3), ("B", pytest.approx(1.0), 2), ("C", pytest.approx(2.0), 2)]


# --- the same numbers through the database and the coordinator's page ---------------------------------

@pytest.fixture
def scored(world):
    """A consultation with candidates A, B, C scored by four stakeholders as in RAW."""
    s = world["strategy"]
    c = Consultation.objects.create(strategy=s, title="Skala", status=Consultation.Status.OPEN)
    k1 = Criterion.objects.create(consultation=c, name="k1", weight=2.0)
    k2 = Criterion.objects.create(consultation=c, name="k2", weight=1.0)
    cands = {n: Candidate.objects.create(consultation=c, name=n) for n in "ABC"}
    users = {}
    for i in (1, 2, 3, 4, 5):
        users[i] = make_user(f"u{i}", email=f"u{i}@example.org")
        RegionRole.objects.create(user=users[i], region=world["se31"], role=Role.STAKEHOLDER)
        Profile.objects.create(user=users[i], kind={**KINDS, 5: "public"}.get(i, ""), language="sv")
    c.invited.set(users.values())
    for i, row in RAW.items():
        scores = {(cands[n].pk, k.pk): v for n, values in row.items() for k, v in zip((k1, k2), values)}
        services.save_response(c, users[i], scores, {})
    return {**world, "c": c, "u": users}


def _spec(html: str, sid: str) -> dict:
    return json.loads(re.search(rf'<script id="{sid}" type="application/json">(.*?)</script>', html, re.DOTALL).group(1))


@pytest.mark.django_db
def test_coordinator_sees_rates_scores_and_agreement_charts(client, scored):
    client_for(client, scored, "coordinator")
    html = client.get(reverse("consultation", args=[scored["strategy"].pk, scored["c"].pk])).content.decode()
    with translation.override("sv"):
        label = {k: str(v) for k, v in [("", "Ej angivet"), *Actor.Kind.choices]}
    rates = {v["type"]: (v["rate"], v["label"]) for v in _spec(html, "rate-spec")["data"]["values"]}
    assert rates == {label[""]: (1.0, "1/1"), label["academia"]: (1.0, "1/1"), label["firm"]: (1.0, "2/2"),
                     label["public"]: (0.0, "0/1")}
    means = {(v["candidate"], v["type"]): (round(v["mean"], 6), v["n"]) for v in _spec(html, "scores-spec")["data"]["values"]}
    assert means == {("A", label[""]): (3.0, 1), ("A", label["academia"]): (1.0, 1), ("A", label["firm"]): (3.5, 2),
                     ("B", label["academia"]): (3.0, 1), ("B", label["firm"]): (2.0, 2),
                     ("C", label["academia"]): (5.0, 1), ("C", label["firm"]): (3.0, 2)}
    rho = {(v["a"], v["b"]): round(v["rho"], 6) for v in _spec(html, "agreement-spec")["data"]["values"]}
    assert rho[(label["firm"], label["academia"])] == rho[(label["academia"], label["firm"])] == -0.5
    assert rho[(label["firm"], label["firm"])] == 1.0 and len(rho) == 4  # "not stated" shares one candidate only
    assert "4 av 5 inbjudna har svarat" in html


@pytest.mark.django_db
def test_stakeholders_see_no_charts(client, scored):
    c = Client()
    c.force_login(scored["u"][1])
    html = c.get(reverse("consultation", args=[scored["strategy"].pk, scored["c"].pk])).content.decode()
    assert "rate-spec" not in html and "Skicka påminnelser" not in html


# --- who sees which consultation -------------------------------------------------------------------

@pytest.mark.django_db
def test_stakeholders_see_only_open_or_closed_consultations_they_are_invited_to(client, world):
    s, stakeholder = world["strategy"], world["users"]["stakeholder"]
    draft = Consultation.objects.create(strategy=s, title="Utkast", status=Consultation.Status.DRAFT)
    draft.invited.add(stakeholder)
    other = Consultation.objects.create(strategy=s, title="Annan", status=Consultation.Status.OPEN)
    closed = Consultation.objects.create(strategy=s, title="Stängd", status=Consultation.Status.CLOSED)
    closed.invited.add(stakeholder)
    client_for(client, world, "stakeholder")
    text = client.get(reverse("consultations", args=[s.pk])).content.decode()
    assert "Val av områden" in text and "Stängd" in text and "Utkast" not in text and "Annan" not in text
    assert client.get(reverse("consultation", args=[s.pk, draft.pk])).status_code == 404
    assert client.get(reverse("consultation", args=[s.pk, other.pk])).status_code == 404
    assert client.get(reverse("consultation", args=[s.pk, closed.pk])).status_code == 200
    viewer = Client()
    viewer.force_login(world["users"]["viewer"])
    text = viewer.get(reverse("consultations", args=[s.pk])).content.decode()
    assert "Annan" in text and "Utkast" not in text
    assert viewer.get(reverse("consultation", args=[s.pk, draft.pk])).status_code == 404
    coordinator = Client()
    coordinator.force_login(world["users"]["coordinator"])
    assert "Utkast" in coordinator.get(reverse("consultations", args=[s.pk])).content.decode()
    assert coordinator.get(reverse("consultation", args=[s.pk, draft.pk])).status_code == 200


# --- registering through a consultation's invitation --------------------------------------------------

def _link(message) -> str:
    return re.sub(r"^https?://[^/]+", "", re.search(r"https?://\S+/invitations/\S+/", message.body).group(0))


@pytest.mark.django_db
def test_stakeholders_register_through_the_consultation_invitation(client, world):
    s, c = world["strategy"], world["consultation"]
    client_for(client, world, "coordinator")
    r = client.post(reverse("consultation_invite", args=[s.pk, c.pk]),
                    {"emails": "eva@uni.example.org\nper@uni.example.org", "language": "en"})
    assert r.status_code == 302 and len(mail.outbox) == 2
    assert "consultation “Val av områden”" in mail.outbox[0].subject
    assert Invitation.objects.filter(consultation=c, role=Role.STAKEHOLDER).count() == 2
    eva = Client()
    link = _link(mail.outbox[0])
    assert eva.get(link).status_code == 200
    r = eva.post(link, {"name": "Eva Ek", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert r.status_code == 200  # the organisation and its type are required
    r = eva.post(link, {"name": "Eva Ek", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                        "organisation": "Karlstads universitet", "kind": "academia"})
    assert r.status_code == 302 and r["Location"] == reverse("consultation", args=[s.pk, c.pk])
    user = c.invited.get(email="eva@uni.example.org")
    assert RegionRole.objects.filter(user=user, region=world["se31"], role=Role.STAKEHOLDER).exists()
    assert (user.smartspec_profile.organisation, user.smartspec_profile.kind) == ("Karlstads universitet", "academia")
    actor = s.actors.get(name="Karlstads universitet")
    assert actor.kind == Actor.Kind.ACADEMIA and actor.contact_email == "eva@uni.example.org"
    per = Client()
    per.post(_link(mail.outbox[1]), {"name": "Per Ek", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                     "organisation": "KARLSTADS UNIVERSITET", "kind": "academia"})
    assert c.invited.filter(email="per@uni.example.org").exists() and s.actors.count() == 1  # the same actor
    assert eva.get(reverse("respond", args=[s.pk, c.pk])).status_code == 200
    r = client.post(reverse("consultation_invite", args=[s.pk, c.pk]), {"emails": "eva@uni.example.org", "language": "sv"})
    assert len(mail.outbox) == 2  # already invited: no new mail


@pytest.mark.django_db
def test_only_coordinators_invite_to_a_consultation(client, world):
    client_for(client, world, "stakeholder")
    r = client.post(reverse("consultation_invite", args=[world["strategy"].pk, world["consultation"].pk]),
                    {"emails": "x@example.org", "language": "sv"})
    assert r.status_code == 403 and not mail.outbox


# --- evidence beside the scores -------------------------------------------------------------------------

@pytest.mark.django_db
def test_evidence_beside_each_candidate_while_scoring(client, world):
    s, c = world["strategy"], world["consultation"]
    client_for(client, world, "stakeholder")
    html = client.get(reverse("respond", args=[s.pk, c.pk])).content.decode()
    ev = core_services.area_evidence(world["area"], world["snapshot"])
    assert ev["available"]
    assert 'class="evidence candidate-evidence"' in html and ev["verdict_name"] in html
    assert reverse("area_detail", args=[s.pk, world["area"].pk]) in html
    assert "Sysselsättning" in html or "Employment" in html


# --- reminders ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_reminders_go_to_those_who_have_not_responded(client, world):
    s, c = world["strategy"], world["consultation"]
    for name in ("stakeholder", "area_lead"):
        world["users"][name].email = f"{name}@example.org"
        world["users"][name].save()
    Profile.objects.create(user=world["users"]["area_lead"], language="en")
    client_for(client, world, "coordinator")
    client.post(reverse("consultation_invite", args=[s.pk, c.pk]), {"emails": "new@example.org", "language": "sv"})
    mail.outbox.clear()
    r = client.post(reverse("consultation_remind", args=[s.pk, c.pk]), follow=True)
    assert "3 påminnelser skickade" in r.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["area_lead@example.org", "new@example.org", "stakeholder@example.org"]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["area_lead@example.org"].startswith("Reminder") and subjects["stakeholder@example.org"].startswith("Påminnelse")
    assert "/invitations/" in next(m.body for m in mail.outbox if m.to == ["new@example.org"])
    event = AuditEvent.objects.get(action="remind")
    assert event.changes == {"reminders": 3} and event.user == world["users"]["coordinator"]
    assert "Senaste påminnelsen" in r.content.decode()
    crit = list(c.criteria.all())
    services.save_response(c, world["users"]["stakeholder"], {(c.candidates.get().pk, k.pk): 3 for k in crit}, {})
    mail.outbox.clear()
    client.post(reverse("consultation_remind", args=[s.pk, c.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == ["area_lead@example.org", "new@example.org"]


@pytest.mark.django_db
def test_reminders_need_a_coordinator_and_an_open_consultation(client, world):
    s, c = world["strategy"], world["consultation"]
    client_for(client, world, "area_lead")
    assert client.post(reverse("consultation_remind", args=[s.pk, c.pk])).status_code == 403
    c.status = Consultation.Status.CLOSED
    c.save()
    coordinator = Client()
    coordinator.force_login(world["users"]["coordinator"])
    coordinator.post(reverse("consultation_remind", args=[s.pk, c.pk]))
    assert not mail.outbox and not AuditEvent.objects.filter(action="remind").exists()


# --- in the browser: from a new region to the coordinator's charts ---------------------------------------

SHOTS = Path(os.environ.get("SMARTSPEC_SCREENSHOTS", Path(__file__).resolve().parents[2] / "out" / "screenshots"))


def _shots(page, name):
    """The page at 1366 and at 390 px wide (a phone), whole."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _submit(page, form="main form.stacked"):
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state("networkidle")


def _register(page, link, name, organisation=None, kind=None):
    page.goto(link)
    page.fill("#id_name", name)
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    if organisation:
        page.fill("#id_organisation", organisation)
        page.select_option("#id_kind", kind)
    _submit(page)


@pytest.mark.django_db(transaction=True)
def test_new_region_invitations_registration_scores_and_charts(live_server, analysis_result, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    from smartspec.platform.core.models import AnalysisSnapshot, Region
    from tests.browser import chromium_page
    from tests.platform.conftest import PASSWORD

    base = live_server.url
    make_user("admin", is_superuser=True, is_staff=True)
    opts = {"viewport": {"width": 1366, "height": 900}, "locale": "sv-SE"}
    with chromium_page(**opts) as page:  # a superuser starts SE31 and invites its coordinator
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.click("a[href='/start/']")
        page.select_option("#id_region", "SE31")
        page.fill("#id_title", "Smart specialisering i Norra Mellansverige")
        _shots(page, "start")
        _submit(page)
        page.fill("#id_emails", "kerstin@region.example.org")
        page.select_option("#id_role", "coordinator")
        _submit(page, "form[action$='/members/invite/']")
        assert "kerstin@region.example.org" in page.inner_text("table.invitations")
    region = Region.objects.get(code="SE31")
    strategy = region.strategies.get()
    AnalysisSnapshot.objects.create(strategy=strategy, region_code="SE31", result=analysis_result)
    for name, codes in (("Skog och trä", ["16", "17"]), ("Livsmedel", ["10", "11"]), ("Digitala tjänster", ["62", "63"])):
        core_services.set_activities(strategy.areas.create(name=name), [(c_, 1.0) for c_ in codes])
    coordinator_link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)

    with chromium_page(**opts) as page:  # the coordinator registers, opens a consultation, invites stakeholders
        _register(page, coordinator_link, "Kerstin Lind")
        assert page.url.endswith(f"/s/{strategy.pk}/")
        page.goto(f"{base}/s/{strategy.pk}/edp/new/")
        page.fill("#id_title", "Val av styrkeområden")
        for box in page.locator("input[name=candidates]").all():
            box.check()
        _submit(page)
        page.click("main form[action$='/status/'] button[type=submit]")  # open it
        page.wait_for_load_state("networkidle")
        page.fill("#id_emails", "anna@sagverk.example.org\nbo@kau.example.org\ncecilia@kommun.example.org")
        _submit(page, "form[action$='/invite/']")
        page.goto(f"{base}/s/{strategy.pk}/members/")
        _shots(page, "members")
    consultation = strategy.consultations.get()
    links = {m.to[0]: re.search(r"https?://\S+/invitations/\S+/", m.body).group(0) for m in mail.outbox[-3:]}
    cands, crits = list(consultation.candidates.all()), list(consultation.criteria.all())
    for email, name, org, kind, values in (("anna@sagverk.example.org", "Anna Sågare", "Sågverket AB", "firm", (5, 2, 3)),
                                           ("bo@kau.example.org", "Bo Forskare", "Karlstads universitet", "academia", (2, 4, 5))):
        with chromium_page(**opts) as page:  # each stakeholder registers through the link and scores
            _register(page, links[email], name, org, kind)
            page.click("a[href$='/respond/']")
            page.wait_for_selector("aside.candidate-evidence")
            for cand, v in zip(cands, values):
                for crit in crits:
                    page.check(f"input[name='s-{cand.pk}-{crit.pk}'][value='{v}']")
            if kind == "firm":
                _shots(page, "respond-evidence")
            page.click("main form button[type=submit]")
            page.wait_for_selector(".msg.success")
    assert consultation.responses.count() == 2

    with chromium_page(**opts) as page:  # the coordinator reminds the third and reads the charts
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "kerstin@region.example.org")
        page.fill("#id_password", NEW_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{base}/s/{strategy.pk}/edp/{consultation.pk}/")
        page.click("form[action$='/remind/'] button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "1 påminnelse skickad" in page.inner_text("main")
        page.wait_for_selector("div.chart[data-spec='rate-spec'] svg")
        page.wait_for_selector("div.chart[data-spec='scores-spec'] svg")
        page.wait_for_selector("div.chart[data-spec='agreement-spec'] svg")
        text = page.inner_text("main")
        _shots(page, "consultation-charts")
    assert "2 av 2 inbjudna har svarat" in text
    assert mail.outbox[-1].to == ["cecilia@kommun.example.org"]
