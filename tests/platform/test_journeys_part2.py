"""Journeys of steps 5 and 6 in headless Chromium: actions and actuals, a computed indicator
refreshed after a data import, an evaluation that revises the strategy, and the diff."""

import pytest

from smartspec.data import Store
from smartspec.platform.core.lifecycle import adopt
from smartspec.platform.core.models import RegionRole, Role, Strategy
from smartspec.platform.policy.models import Indicator
from tests.browser import chromium_page
from tests.platform.conftest import make_user
from tests.platform.test_journeys import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _allow_async_unsafe(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_area_lead_adds_action_and_updates_actuals(live_server, world):
    s, area = world["strategy"], world["area"]
    ind = Indicator.objects.create(strategy=s, area=area, name="Företag i testbädden", baseline_year=2024, baseline=0)
    ind.targets.create(year=2026, value=10)
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        login(page, live_server.url, "area_lead")
        page.goto(f"{live_server.url}/s/{s.pk}/plan/actions/new/")
        page.select_option("#id_area", str(area.pk))
        page.fill("#id_title", "Testbädd för bioraffinaderi")
        page.select_option("#id_instrument", "testbed")
        page.fill("#id_start", "2025-01-01")
        page.fill("#id_end", "2026-12-31")
        page.select_option("#id_status", "running")
        page.fill("#id_budget", "2500000")
        page.click("main button[type=submit]")
        page.wait_for_selector("div.chart svg")  # the timeline
        shot(page, "timeline")
        page.goto(f"{live_server.url}/s/{s.pk}/monitoring/{ind.pk}/actual/")
        page.fill("#id_year", "2025")
        page.fill("#id_value", "6")
        page.click("main button[type=submit]")
        page.wait_for_selector(".status-on_track")
        shot(page, "monitoring")
    assert area.actions.get().title == "Testbädd för bioraffinaderi"
    assert ind.observations.get().value == 6 and ind.observations.get().recorded_by == world["users"]["area_lead"]


def test_computed_indicator_refreshes_after_data_import(live_server, world, tmp_path):
    from smartspec import data

    s = world["strategy"]
    ind = Indicator.objects.create(strategy=s, name="BNP per invånare", source="gdp_per_head", baseline_year=2019)
    store = Store()
    frame = store.query("nama_10r_3gdp", data.ensure("nama_10r_3gdp", store))
    frame.loc[(frame.region == "SE31") & (frame.year == 2022) & (frame.unit == "EUR_HAB"), "value"] = 47111.0
    revised = tmp_path / "gdp_revised.csv"
    frame.to_csv(revised, index=False)
    try:
        with chromium_page(viewport={"width": 1280, "height": 900}) as page:
            login(page, live_server.url, "coordinator")
            page.goto(f"{live_server.url}/s/{s.pk}/monitoring/")
            page.click("form[action$='/monitoring/refresh/'] button")
            page.wait_for_selector(".msg.success")
            first = page.inner_text("main")
            data.import_file(revised, dataset="nama_10r_3gdp")  # a revised release arrives
            page.click("form[action$='/monitoring/refresh/'] button")
            page.wait_for_selector(".msg.success")
            second = page.inner_text("main")
            shot(page, "monitoring_refreshed")
        assert "47111.00 (2022)" in second and "47111.00" not in first
        assert ind.observations.filter(year=2022).count() == 2  # history kept
    finally:
        store.remove("nama_10r_3gdp", store.find("nama_10r_3gdp"))


def test_evaluation_revision_and_diff(live_server, world):
    s = world["strategy"]
    adopt(s, world["users"]["coordinator"])  # an evaluation revises the adopted version into a new draft
    evaluator = make_user("evaluator")
    RegionRole.objects.create(user=evaluator, region=world["se31"], role=Role.EVALUATOR)
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        login(page, live_server.url, "evaluator")
        page.goto(f"{live_server.url}/s/{s.pk}/evaluation/")
        page.fill("#id_title", "Utvärdering av skogsområdet")
        page.click("main button[type=submit]")
        page.select_option("#id_kind", "finding")
        page.fill("#id_text", "Få företag deltar utanför pappersindustrin.")
        page.click("main form.stacked button[type=submit]")
        page.wait_for_selector("main li >> text=Få företag deltar")
        page.goto(f"{live_server.url}/accounts/login/")
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        login(page, live_server.url, "coordinator")
        ev = s.evaluations.get()
        page.goto(f"{live_server.url}/s/{s.pk}/evaluation/{ev.pk}/")
        page.fill("#id_decision", "Bredda området till träbyggande.")
        page.click("form[action$='/decide/'] button")
        page.wait_for_selector("h1 >> text=Versions")
        new = Strategy.objects.get(region=s.region, version=2)
        area = new.areas.get(name="Skoglig bioekonomi")
        page.goto(f"{live_server.url}/s/{new.pk}/areas/{area.pk}/edit/")
        page.fill("#id_description", "Inklusive träbyggande")
        page.fill("#id_nace", "16, 17, 41")
        page.click("main button[type=submit]")
        page.goto(f"{live_server.url}/s/{new.pk}/versions/")
        page.wait_for_selector("table.diff")
        shot(page, "diff")
        diff_text = page.inner_text("table.diff")
    assert "Skoglig bioekonomi" in diff_text and "Inklusive träbyggande" in diff_text and "41" in diff_text
    ev.refresh_from_db()
    assert ev.revision.version == 2 and Strategy.objects.get(pk=s.pk).areas.get(name="Skoglig bioekonomi").description == ""
