"""Main journeys in headless Chromium (Debian's), driven by Playwright, against a live server."""

import os
from pathlib import Path

import pytest

from tests.browser import chromium_page
from tests.platform.conftest import PASSWORD

SHOTS = Path(os.environ.get("SMARTSPEC_SCREENSHOTS", Path(__file__).resolve().parents[2] / "out" / "screenshots"))

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _allow_async_unsafe():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    yield


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_coordinator_creates_area_from_evidence(live_server, world):
    s = world["strategy"]
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        login(page, live_server.url, "coordinator")
        page.goto(f"{live_server.url}/s/{s.pk}/analysis/")
        page.wait_for_selector("div.chart svg")
        shot(page, "analysis")
        first = page.locator("a", has_text="Create area").first if page.locator("a", has_text="Create area").count() \
            else page.locator("a", has_text="Skapa område").first
        first.click()
        page.wait_for_selector("#evidence .card")  # HTMX evidence preview for the opportunity's division
        assert "LQ" in page.inner_text("#evidence")
        page.fill("#id_nace", "16, 17, 22:0.5")
        page.wait_for_selector("#evidence .small >> text=16, 17, 22")
        page.fill("#id_name", "Skog och trä")
        shot(page, "area_form")
        page.click("main button[type=submit]")
        page.wait_for_selector("h1:has-text('Skog och trä')")
        shot(page, "area_detail")
        text = page.inner_text("main")
    area = s.areas.get(name="Skog och trä")
    assert sorted((a.nace, a.weight) for a in area.activities.all()) == [("16", 1.0), ("17", 1.0), ("22", 0.5)]
    assert "relatedness density" in text.lower() or "släktskapstäthet" in text.lower()


def test_stakeholder_scores_and_coordinator_decides(live_server, world):
    s, c = world["strategy"], world["consultation"]
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        login(page, live_server.url, "stakeholder")
        page.goto(f"{live_server.url}/s/{s.pk}/edp/{c.pk}/")
        page.click("a[href$='/respond/']")
        for crit in c.criteria.all():
            page.check(f"input[name='s-{c.candidates.get().pk}-{crit.pk}'][value='4']")
        page.fill(f"textarea[name='c-{c.candidates.get().pk}']", "Stark bas i Värmland")
        shot(page, "respond")
        page.click("main button[type=submit]")
        page.wait_for_selector(".msg.success")
    assert c.responses.get().scores.count() == 2
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        login(page, live_server.url, "coordinator")
        page.goto(f"{live_server.url}/s/{s.pk}/edp/{c.pk}/decide/")
        page.fill("#id_text", "Skogen väljs: högt betyg och stark evidens.")
        page.check("input[name='chosen']")
        page.click("main button[type=submit]")
        page.wait_for_selector(".evidence >> text=Skogen väljs")
        shot(page, "decision")
        assert "Stark bas i Värmland" in page.inner_text("main")
    c.refresh_from_db()
    assert c.status == "closed" and c.decision.chosen.count() == 1 and c.decision.evidence == world["snapshot"]


def test_public_page_shows_adopted_strategy(live_server, world):
    s = world["strategy"]
    s.status, s.vision = "adopted", "Från en bra plats att bo på till ett innovationsdrivet varumärke"
    s.save()
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{live_server.url}/public/SE31/")
        page.wait_for_selector("div.chart svg")
        shot(page, "public")
        text = page.inner_text("main")
    assert "innovationsdrivet varumärke" in text and "Skoglig bioekonomi" in text
    assert all(u.startswith(live_server.url) or u.startswith("data:") for u in requests)  # every asset served locally


def test_language_switch(live_server, world):
    with chromium_page() as page:
        login(page, live_server.url, "viewer")
        page.goto(f"{live_server.url}/s/{world['strategy'].pk}/")
        page.select_option("select[name=language]", "sv")
        page.click("header button[type=submit]")
        page.wait_for_load_state("networkidle")
        sv = page.inner_text("nav.steps")
        page.select_option("select[name=language]", "en")
        page.click("header button[type=submit]")
        page.wait_for_load_state("networkidle")
        en = page.inner_text("nav.steps")
    assert "Analys" in sv and "Prioriteringar" in sv
    assert "Analysis" in en and "Priorities" in en
