"""Issue 14's "Done when" journey, in headless Chromium through the web pages: a new region
(Värmland, SE311) is started, a coordinator colleague and stakeholders are invited by e-mail,
the coordinator runs the analysis, defines two priority areas and a vision, opens a
consultation whose stakeholders register through their links and score with the evidence
beside each candidate, decides, adopts the strategy, revises it through an evaluation's
decision and adopts the revision; the public page changes only at adoption; the strategy is
exported, imported again on the web and exported again, the same but for the documented
exclusions. Every page visited is photographed at 1366 and 390 px (``journey-*.png``)."""

import json
import re
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import translation

from smartspec.platform.core import services as core_services
from smartspec.platform.core.models import Actor, Region, Strategy
from smartspec.platform.onboarding.models import Invitation
from tests.browser import chromium_page
from tests.platform.conftest import make_user
from tests.platform.test_edp_scale import (
    NEW_PASSWORD,
    SHOTS,
    _register,
    _shots,
    _submit,
)
from tests.platform.test_journeys import login

REGION = "SE311"
COLLEAGUE = "kerstin.lind@regionvarmland.example.org"
STAKEHOLDERS = {  # e-mail: (name, organisation, type, scores of the two areas on the two criteria)
    "anna@sagverket.example.org": ("Anna Sågare", "Sågverket i Värmland AB", "firm", ((5, 4), (3, 2))),
    "bo@kau.example.org": ("Bo Forskare", "Karlstads universitet", "academia", ((4, 4), (5, 3))),
}
AREAS = {"Skog och trä": "16, 17", "Digitala tjänster": "62, 63"}
VISION_1 = "Värmland är 2030 ledande i skogens förädling och i digitala tjänster till industrin."
VISION_2 = "Värmland är 2030 ledande i skogens förädling, i digitala tjänster och i cirkulär industri."
OPTS = {"viewport": {"width": 1366, "height": 900}, "locale": "sv-SE", "accept_downloads": True}
LINK = re.compile(r"https?://\S+/invitations/\S+/")

pytestmark = pytest.mark.django_db(transaction=True)


def _watch(page, failures: list):
    """Server errors and script errors of a page, collected in ``failures``."""
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("pageerror", lambda e: failures.append(f"script error on {page.url}: {e}"))
    return page


@contextmanager
def _person(browser, failures: list):
    """A page in a browser context of its own (its own cookies: another person)."""
    context = browser.new_context(**OPTS)
    try:
        yield _watch(context.new_page(), failures)
    finally:
        context.close()


def _charts(page):
    """Wait until every chart of the page is drawn."""
    charts = page.locator("div.chart")
    for i in range(charts.count()):
        charts.nth(i).locator("svg path").first.wait_for(state="attached")


def _view(page, name: str):
    """The page photographed at 1366 and 390 px wide. Charts fit the width they are drawn at, so a
    page with charts is opened again at 390 px (a phone) in another tab of the same person."""
    _charts(page)
    if not page.locator("div.chart").count():
        _shots(page, f"journey-{name}")
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}-1366.png"), full_page=True)
    phone = page.context.browser.new_context(**{**OPTS, "viewport": {"width": 390, "height": 844}},
                                             storage_state=page.context.storage_state())
    try:
        tab = phone.new_page()
        tab.goto(page.url)
        _charts(tab)
        tab.screenshot(path=str(SHOTS / f"journey-{name}-390.png"), full_page=True)
    finally:
        phone.close()


def _sid(page) -> int:
    return int(re.search(r"/s/(\d+)/", page.url).group(1))


def _message(page) -> str:
    return " ".join(page.locator(".msg").all_inner_texts())


def _public(page, base: str, name: str):
    response = page.goto(f"{base}/public/{REGION}/")
    _view(page, name)
    return response.status, page.inner_text("main")


def _export(page, base: str, sid: int, path) -> dict:
    """The strategy's JSON through the Versions page's export link."""
    page.goto(f"{base}/s/{sid}/versions/")
    with page.expect_download() as download:
        page.click(f"a[href='/s/{sid}/export.json']")
    download.value.save_as(path)
    return json.loads(path.read_text(encoding="utf-8"))


def _import(page, base: str, path, name: str) -> int:
    """Import a JSON file on the home page; the id of the new strategy."""
    page.goto(f"{base}/")
    page.set_input_files("input[name=file]", str(path))
    _view(page, f"{name}-home")
    _submit(page, "form[action$='/strategies/import/']")
    page.wait_for_selector(".msg.success")
    _view(page, f"{name}-dashboard")
    return _sid(page)


def _comparable(doc: dict) -> dict:
    """An export without what a round trip changes by design (docs/strategy-schema.md, Round trip):
    the export time, and the version number and status the import gives."""
    doc = json.loads(json.dumps(doc))
    doc.pop("exported_at")
    for key in ("version", "status"):
        doc["strategy"].pop(key)
    return doc


def test_strategy_from_a_new_region_to_a_revised_public_strategy(live_server, monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    base, failures = live_server.url, []
    starter = make_user("maria.berg", email="maria.berg@regionvarmland.example.org", first_name="Maria",
                        last_name="Berg")  # may start regions; everything else happens on the web
    starter.user_permissions.add(Permission.objects.get(codename="start_region", content_type__app_label="onboarding"))

    with chromium_page(**OPTS) as anonymous:  # a reader of the public page; the others get their own contexts
        browser = _watch(anonymous, failures).context.browser
        # --- 1. a new region, its members, the analysis, areas, vision and a consultation -----------------
        with _person(browser, failures) as page:
            login(page, base, "maria.berg")
            _view(page, "home")
            page.click("a[href='/start/']")
            page.select_option("#id_region", REGION)
            page.fill("#id_title", "Smart specialisering i Värmland")
            _view(page, "start")
            _submit(page)
            assert page.url.endswith("/members/") and "Värmland" in _message(page)
            sid = _sid(page)
            page.fill("#id_emails", COLLEAGUE)
            page.select_option("#id_role", "coordinator")
            _submit(page, "form[action$='/members/invite/']")
            page.fill("#id_emails", "\n".join(STAKEHOLDERS))
            page.select_option("#id_role", "stakeholder")
            _submit(page, "form[action$='/members/invite/']")
            assert "2 inbjudningar skickade" in _message(page)
            pending = page.inner_text("table.invitations")
            assert all(email in pending for email in [COLLEAGUE, *STAKEHOLDERS])
            _view(page, "members")
        assert [m.to[0] for m in mail.outbox] == [COLLEAGUE, *STAKEHOLDERS]
        strategy = Strategy.objects.get(pk=sid)
        assert (strategy.region.code, strategy.status, strategy.version) == (REGION, "draft", 1)

        with _person(browser, failures) as page:
            # the colleague accepts the link and sets a password; she coordinates from here on
            _register(page, LINK.search(mail.outbox[0].body).group(0), "Kerstin Lind")
            assert page.url.endswith(f"/s/{sid}/") and "Välkommen" in _message(page)
            _view(page, "dashboard-new")

            page.goto(f"{base}/s/{sid}/analysis/")
            with page.expect_navigation(timeout=300_000):  # the analysis takes a few seconds
                page.click("form.run-analysis button[type=submit]")
            assert "Ny analysögonblicksbild" in _message(page)
            _view(page, "analysis")
            assert strategy.snapshots.count() == 1

            for name, codes in AREAS.items():
                page.goto(f"{base}/s/{sid}/areas/new/")
                page.fill("#id_name", name)
                page.fill("#id_nace", codes)
                page.wait_for_selector(f"#evidence .small >> text={codes}")  # the evidence of the codes, live
                _view(page, f"area-new-{codes[:2]}")
                _submit(page)
                page.wait_for_selector(f"h1:has-text('{name}')")
                _view(page, f"area-{codes[:2]}")
            page.goto(f"{base}/s/{sid}/areas/")
            _view(page, "areas")
            assert {a.name: sorted(a.activities.values_list("nace", flat=True)) for a in strategy.areas.all()} == {
                name: [c.strip() for c in codes.split(",")] for name, codes in AREAS.items()}

            page.goto(f"{base}/s/{sid}/vision/edit/")
            page.fill("#id_vision", VISION_1)
            _view(page, "vision-edit")
            _submit(page)
            assert VISION_1 in page.inner_text("main")
            _view(page, "vision")

            # the consultation: the two areas as candidates, opened, the stakeholders invited by its link
            page.goto(f"{base}/s/{sid}/edp/new/")
            page.fill("#id_title", "Val av styrkeområden 2027")
            page.fill("#id_criteria", "Kritisk massa: 2\nTillväxtpotential: 1")
            for box in page.locator("input[name=candidates]").all():
                box.check()
            _view(page, "consultation-new")
            _submit(page)
            page.click("main form[action$='/status/'] button[type=submit]")  # open it
            page.wait_for_load_state("networkidle")
            page.fill("form[action$='/invite/'] textarea[name=emails]", "\n".join(STAKEHOLDERS))
            _submit(page, "form[action$='/invite/']")
            assert "2 inbjudningar skickade" in _message(page)
            _view(page, "consultation-open")
            consultation = strategy.consultations.get()
            assert consultation.status == "open" and consultation.candidates.count() == 2
            links = {m.to[0]: LINK.search(m.body).group(0) for m in mail.outbox[-2:]}
            assert set(links) == set(STAKEHOLDERS) and all("Val av styrkeområden 2027" in m.subject for m in mail.outbox[-2:])

            snapshot = strategy.snapshots.get()
            verdicts = {a.name: core_services.area_evidence(a, snapshot)["verdict_name"] for a in strategy.areas.all()}
            for email, (name, organisation, kind, values) in STAKEHOLDERS.items():
                with _person(browser, failures) as stakeholder:  # registers through the link and scores
                    _register(stakeholder, links[email], name, organisation, kind)
                    assert stakeholder.url.endswith(f"/edp/{consultation.pk}/")
                    _view(stakeholder, f"consultation-{kind}")
                    stakeholder.click("a[href$='/respond/']")
                    stakeholder.wait_for_selector("aside.candidate-evidence")
                    sections = stakeholder.locator("section.candidate")
                    assert sections.count() == 2
                    for i in range(2):  # the evidence of each candidate's own area beside its scores
                        section = sections.nth(i)
                        area = section.locator("h2").inner_text()
                        aside = section.locator("aside.candidate-evidence")
                        evidence = aside.inner_text()
                        assert "Sysselsättning" in evidence and "LQ" in evidence and verdicts[area] in evidence, evidence
                        assert AREAS[area] in aside.locator(".codes").inner_text()
                        detail = aside.locator("a[href*='/areas/']").get_attribute("href")
                        assert detail == f"/s/{sid}/areas/{strategy.areas.get(name=area).pk}/"
                        radios = section.locator("table.score tbody tr")
                        for row, value in enumerate(values[list(AREAS).index(area)]):
                            radios.nth(row).locator(f"input[value='{value}']").check()
                    _view(stakeholder, f"respond-{kind}")
                    stakeholder.click("main form button[type=submit]")
                    stakeholder.wait_for_selector(".msg.success")
                    _view(stakeholder, f"responded-{kind}")
            assert consultation.responses.count() == 2

            # the coordinator reads the response rates, then decides
            page.goto(f"{base}/s/{sid}/edp/{consultation.pk}/")
            page.wait_for_selector("div.chart[data-spec='rate-spec'] svg")
            text = page.inner_text("main")
            assert "2 av 2 inbjudna har svarat; 0 inbjudningar är ännu inte accepterade" in text
            with translation.override("sv"):
                kinds = {k: str(v) for k, v in Actor.Kind.choices}
            rates = {r.split("\t")[0]: r.split("\t")[1:] for r in page.locator("table.rates tbody tr").all_inner_texts()}
            assert rates == {kinds["firm"]: ["1", "1", "100"], kinds["academia"]: ["1", "1", "100"]}
            _view(page, "consultation-rates")
            page.click(f"a[href$='/edp/{consultation.pk}/decide/']")
            page.fill("#id_text", "Båda områdena väljs: höga betyg från företag och akademi, och stark evidens för skogen.")
            for box in page.locator("input[name=chosen]").all():
                box.check()
            _view(page, "decide")
            _submit(page)
            page.wait_for_selector(".evidence >> text=Båda områdena väljs")
            assert "Beslutat av Kerstin Lind" in page.inner_text(".evidence")  # her name, not her login
            assert not page.locator("form[action$='/invite/']").count()  # decided: no more invitations
            _view(page, "decision")
            consultation.refresh_from_db()
            assert consultation.status == "closed" and consultation.decision.chosen.count() == 2
            assert consultation.decision.evidence == snapshot
            page.goto(f"{base}/s/{sid}/members/")  # the stakeholders are members now
            members = page.inner_text("table.members")
            assert "Kerstin Lind" in members and "Sågverket i Värmland AB" in members and "Karlstads universitet" in members
            _view(page, "members-after")

            # --- 2 and 3. adoption, an evaluation that revises, the revision adopted; the public page ---------
            status, text = _public(anonymous, base, "public-none")
            assert status == 404 and "Ingen antagen strategi" in text and VISION_1 not in text
            page.goto(f"{base}/s/{sid}/versions/")
            _view(page, "versions-draft")
            _submit(page, "form[action$='/versions/adopt/']")
            assert "Version 1 är antagen och nu den publika strategin." in _message(page)
            _view(page, "versions-adopted")
            status, text = _public(anonymous, base, "public-v1")
            assert status == 200 and VISION_1 in text and all(a in text for a in AREAS)
            assert page.goto(f"{base}/s/{sid}/vision/edit/").status == 403  # adopted: frozen
            assert "kan inte längre ändras" in page.inner_text("main")

            page.goto(f"{base}/s/{sid}/evaluation/")
            page.fill("#id_title", "Halvtidsutvärdering 2027")
            page.select_option("#id_subject", "strategy")
            _view(page, "evaluations")
            _submit(page)
            page.select_option("#id_kind", "finding")
            page.fill("#id_text", "Cirkulär industri växer snabbt i länet men saknas i strategin.")
            _submit(page, "main form.stacked:not([action])")
            assert "Cirkulär industri" in page.inner_text("main") and "Kerstin Lind" in page.inner_text("main ul")
            page.fill("#id_decision", "Visionen breddas till cirkulär industri.")
            _view(page, "evaluation")
            _submit(page, "form[action$='/decide/']")
            assert "version 2 skapad för revideringen" in _message(page)
            v2 = _sid(page)
            assert v2 != sid and page.url.endswith(f"/s/{v2}/versions/")
            _view(page, "versions-revision")
            page.goto(f"{base}/s/{sid}/evaluation/")
            assert "reviderad som version 2" in page.inner_text("main table")

            page.goto(f"{base}/s/{v2}/vision/edit/")
            assert page.input_value("#id_vision") == VISION_1
            page.fill("#id_vision", VISION_2)
            _view(page, "vision-edit-revision")
            _submit(page)
            assert VISION_2 in page.inner_text("main")
            status, text = _public(anonymous, base, "public-during-revision")
            assert status == 200 and VISION_1 in text and VISION_2 not in text  # a draft is not public

            page.goto(f"{base}/s/{v2}/versions/")
            assert "<del>" in page.inner_html("dl.worddiff")  # what the revision changed, word by word
            assert "cirkulär" in " ".join(page.locator("dl.worddiff ins").all_inner_texts())
            _view(page, "versions-revision-diff")
            _submit(page, "form[action$='/versions/adopt/']")
            message = _message(page)
            assert "Version 2 är antagen och nu den publika strategin." in message and "Version 1 är ersatt." in message
            rows = page.locator("main table").first.locator("tbody tr").all_inner_texts()
            assert [r.split("\t")[:2] for r in rows] == [["v1", "Ersatt"], ["v2 ←", "Antagen"]]
            _view(page, "versions-revision-adopted")
            status, text = _public(anonymous, base, "public-v2")
            assert status == 200 and VISION_2 in text and VISION_1 not in text and "version 2" in text
        assert dict(Strategy.objects.filter(region__code=REGION).values_list("version", "status")) == {
            1: "superseded", 2: "adopted"}

        # --- 4. export, import on the web, export again: the same but for the documented exclusions -----------
        with _person(browser, failures) as page:
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", COLLEAGUE)
            page.fill("#id_password", NEW_PASSWORD)
            _submit(page, "main form")
            # the adopted strategy: imported as a draft (an adopted version exists), its next version number
            first = _export(page, base, v2, tmp_path / "v2.json")
            v3 = _import(page, base, tmp_path / "v2.json", "import-adopted")
            assert "Importerad som version 3." in _message(page) and not page.locator(".msg.warning").count()
            again = _export(page, base, v3, tmp_path / "v3.json")
            _view(page, "versions-imported")
            assert (first["strategy"]["version"], first["strategy"]["status"]) == (2, "adopted")
            assert (again["strategy"]["version"], again["strategy"]["status"]) == (3, "draft")
            assert _comparable(again) == _comparable(first)
            assert first["strategy"]["vision"] == VISION_2 and len(first["areas"]) == 2
            # the first version with the record of the process: consultation, responses, decision, evaluation
            first = _export(page, base, sid, tmp_path / "v1.json")
            v4 = _import(page, base, tmp_path / "v1.json", "import-superseded")
            assert "Importerad som version 4." in _message(page) and not page.locator(".msg.warning").count()
            again = _export(page, base, v4, tmp_path / "v4.json")
            assert _comparable(again) == _comparable(first)
            assert (first["strategy"]["version"], again["strategy"]["version"]) == (1, 4)
            assert again["strategy"]["status"] == first["strategy"]["status"] == "superseded"
            (c,) = first["consultations"]
            assert len(c["responses"]) == 2 and len(c["decision"]["chosen"]) == 2
            assert first["evaluations"][0]["revision"] == {"region": REGION, "period_start": strategy.period_start,
                                                           "version": 2}
        assert Region.objects.get(code=REGION).strategies.count() == 4
        assert Invitation.objects.filter(region__code=REGION, accepted_at__isnull=False).count() == 3
        assert not failures, failures
