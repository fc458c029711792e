"""The platform's conclusions as honest as the report's: values on estimated cells marked
with their interval, nothing claimed where cells cannot be estimated, figures of a containing
region said to be such, the complexity reading with its diagnostics, declared areas with why
their codes were matched (and a län missing from the compiled list said to be missing), and
the kommun maps of a region whose own data have kommuner."""

import copy
import html
import os
import re
from pathlib import Path

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from smartspec.analysis.evidence import MIN_STRENGTH
from smartspec.analysis.priorities import declared_areas
from smartspec.platform.core import services
from smartspec.platform.core.lifecycle import revise
from smartspec.platform.core.models import AnalysisSnapshot, Region, Strategy
from smartspec.report import i18n
from tests.analysis.register import imported_register
from tests.browser import chromium_page
from tests.platform.conftest import PASSWORD

SV = "sv"  # the platform's default language, which the test client gets


def text(response) -> str:
    return html.unescape(response.content.decode())


def strategy_for(code: str, name: str, result: dict | None = None) -> Strategy:
    region = Region.objects.create(code=code, name=name)
    s = Strategy.objects.create(region=region, title=f"S3 {code}", period_start=2021, period_end=2027)
    if result is not None:
        AnalysisSnapshot.objects.create(strategy=s, region_code=code, result=result)
    return s


# --- values on estimates, and nothing where cells cannot be estimated -----------------------------

def test_estimated_area_shown_with_interval_in_every_list(client, world):
    s = world["strategy"]
    area = s.areas.create(name="Läkemedel och trä", evidence_snapshot=world["snapshot"])
    services.set_activities(area, [("21", 1.0), ("16", 1.0)])  # 21 is suppressed for SE31
    ev = services.area_evidence(area)
    assert ev["basis"] == "estimated" and ev["lq"] is None
    lq = f"≈\u00a0{floatformat(ev['lq_estimate'], 2)}"
    interval = f"({floatformat(ev['lq_low'], 2)}–{floatformat(ev['lq_high'], 2)})"
    employment = f"≈\u00a0{floatformat(ev['employment_estimate'], '0g')}"
    label = f"{ev['verdict_name']} ({i18n.t('basis_estimated', SV)})"
    client.force_login(world["users"]["viewer"])
    for name in ("areas", "dashboard"):
        page = text(client.get(reverse(name, args=[s.pk])))
        assert lq in page and interval in page and employment in page and label in page, name
        assert "undre gräns" not in page  # no lower bound is claimed any more
    detail = text(client.get(reverse("area_detail", args=[s.pk, area.pk])))
    assert lq in detail and interval in detail and label in detail and ", ".join(ev["suppressed"]) in detail
    s.status = "adopted"
    s.save()
    public = text(client.get(reverse("public", args=["SE31"])))
    assert lq in public and interval in public and label in public
    # the portfolio chart places the area at its estimate, marked as such
    spec = client.get(reverse("dashboard", args=[s.pk])).context["portfolio"]
    point = next(v for v in spec["data"]["values"] if v["area"] == area.name)
    assert point["lq"] == ev["lq_estimate"] and point["estimated"] and point["basis"] == i18n.t("basis_estimated", SV)


def test_incomplete_and_small_evidence_claim_nothing_more(world, analysis_result):
    with translation.override("en"):
        ev = services.evidence(analysis_result, [("21", 1.0), ("16", 1.0)])
        incomplete = {**ev, "basis": "incomplete", "verdict": "unknown", "verdict_name": services.verdict_name("unknown"),
                      "basis_name": "", **{f"{k}_{p}": None for k in ("employment", "lq")
                                           for p in ("estimate", "low", "high")}}
        page = html.unescape(render_to_string("core/_evidence.html", {"ev": incomplete}))
        cards = dict(re.findall(r'<div class="k">([^<]+)</div><div class="v">([^<]*)</div>', page))
        assert cards["Employment"] == "–" and cards["LQ"] == "–" and "≈" not in page
        assert "not estimable under the published totals" in page and "unknown" in page
        small = {**services.evidence(analysis_result, [("16", 1.0)]), "verdict": "small",
                 "verdict_name": services.verdict_name("small")}
        page = html.unescape(render_to_string("core/_evidence.html", {"ev": small}))
        assert i18n.t("small", "en") in page and "LQ ≥ 1 on a few workplaces" in page
    assert MIN_STRENGTH == 100 and services.verdict_name("small", SV) == i18n.t("small", SV) != "small"


# --- figures of a containing region ------------------------------------------------------------------

@pytest.fixture(scope="session")
def coarse_result(analysis_result):
    """Värmland (SE311) on the mirror: the SBS divisions are published for NUTS 2 only."""
    from smartspec.analysis import analyse

    return analyse("SE311", draws=20, peers=3)


def test_coarse_data_said_next_to_the_numbers(client, world, coarse_result):
    assert coarse_result["data"]["structure"]["own"] is False
    s = strategy_for("SE311", "Värmlands län", coarse_result)
    area = s.areas.create(name="Skog", evidence_snapshot=s.snapshots.get())
    services.set_activities(area, [("16", 1.0), ("17", 1.0)])
    badge = i18n.t("parent_badge", SV, parent="SE31", region="SE311")
    client.force_login(world["users"]["admin"])
    detail = text(client.get(reverse("area_detail", args=[s.pk, area.pk])))
    assert badge in detail and "· SE311" in detail  # the growth is Värmland's own series
    analysis = text(client.get(reverse("analysis", args=[s.pk])))
    assert analysis.count(badge) >= 4  # complexity and specialisation cards, specialisations, industry space …
    for name in ("areas", "dashboard"):
        assert badge in text(client.get(reverse(name, args=[s.pk]))), name
    own = text(client.get(reverse("area_detail", args=[world["strategy"].pk, world["area"].pk])))
    assert "figures-for" not in own and "figures-for" not in text(client.get(reverse("analysis", args=[world["strategy"].pk])))


# --- the complexity reading ---------------------------------------------------------------------------

def test_analysis_page_reads_complexity(client, world, analysis_result):
    client.force_login(world["users"]["viewer"])
    cx = analysis_result["sections"]["relatedness"]["complexity"]
    assert cx["measure"] is not None
    response = client.get(reverse("analysis", args=[world["strategy"].pk]))
    page = text(response)
    assert response.context["complexity"]["text"] in page
    assert i18n.t("measure_" + cx["measure"], SV) in page and i18n.t("complexity_table", SV) in page
    rows = re.findall(r'<tr class="candidate( chosen)?" data-measure="(\w+)">', page)
    assert {m for _, m in rows} == set(cx["candidates"]) and [m for c, m in rows if c] == [cx["measure"]]
    rho = cx["candidates"][cx["measure"]]["rho_gdp"]
    assert floatformat(rho, 2) in page and 'id="spec-scatter"' in page
    # no measure passes: complexity is left out, said so, and no complexity axis is drawn
    none = copy.deepcopy(analysis_result)
    none["sections"]["relatedness"]["complexity"]["measure"] = None
    for o in none["sections"]["relatedness"]["opportunities"] + none["sections"]["relatedness"]["scatter"]:
        o["pci"] = None
    AnalysisSnapshot.objects.create(strategy=world["strategy"], region_code="SE31", result=none)
    page = text(client.get(reverse("analysis", args=[world["strategy"].pk])))
    assert i18n.t("complexity_none", SV) in page and 'id="spec-scatter"' not in page
    assert re.findall(r'<tr class="candidate chosen"', page) == [] and i18n.t("measure_eci", SV) in page


# --- declared areas --------------------------------------------------------------------------------------

def _messages(response) -> list[tuple[str, str]]:
    """The messages shown on the page an import redirects to."""
    return [(level, html.unescape(m)) for level, m in
            re.findall(r'<div class="msg (\w+)" role="status">(.*?)</div>', response.content.decode(), re.DOTALL)]


def test_import_says_when_the_compiled_list_lacks_the_lan(client, world):
    client.force_login(world["users"]["admin"])
    vb = strategy_for("SE331", "Västerbottens län")
    response = client.post(reverse("areas_import", args=[vb.pk]), follow=True)
    missing = i18n.t("not_listed", SV, regions="Västerbottens län (SE331)")
    assert _messages(response) == [("warning", missing)] and not vb.areas.exists()
    assert "(SE331)" in missing and len(missing) > 100  # missing from the list, which is not having none
    # Övre Norrland: Norrbotten's areas are imported, Västerbotten's said to be missing
    on = strategy_for("SE33", "Övre Norrland")
    got = _messages(client.post(reverse("areas_import", args=[on.pk]), follow=True))
    assert [level for level, _ in got] == ["success", "warning"] and got[1][1] == missing
    assert on.areas.filter(name="Rymdteknik").exists() and on.areas.count() == len(declared_areas("SE332"))
    assert _messages(client.post(reverse("areas_import", args=[on.pk]), follow=True)) == [("warning", missing)]
    de = strategy_for("DE21", "Oberbayern")
    assert _messages(client.post(reverse("areas_import", args=[de.pk]), follow=True)) == [("warning", i18n.t("not_swedish", SV))]


def test_imported_areas_show_why_and_their_themes(client, world):
    client.force_login(world["users"]["coordinator"])
    services.import_declared_areas(world["strategy"], nuts3=["SE311"])
    s = world["strategy"]
    games = s.areas.get(name="Dataspel och spelifiering")
    reason = games.activities.first().reason
    page = text(client.get(reverse("area_detail", args=[s.pk, games.pk])))
    assert f"{reason['source']}: {', '.join(reason['matched_terms'])}" in page
    place = s.areas.get(name="Attraktion genom hållbar platsutveckling")
    page = text(client.get(reverse("area_detail", args=[s.pk, place.pk])))
    assert i18n.t("horizontal", SV) in page and all(t in page for t in place.themes)
    listing = text(client.get(reverse("areas", args=[s.pk])))
    assert f"{i18n.t('horizontal', SV)}: {', '.join(place.themes)}" in listing
    # a new version of the strategy keeps both
    Strategy.objects.filter(pk=s.pk).update(status="adopted")  # a revision starts from an adopted version
    new = revise(s)
    assert [x.reason for x in new.areas.get(name=games.name).activities.all()] == \
        [x.reason for x in games.activities.all()]
    assert new.areas.get(name=place.name).themes == place.themes


def test_api_gives_the_new_evidence_keys(client, world):
    area = world["strategy"].areas.create(name="Läkemedel", evidence_snapshot=world["snapshot"])
    services.set_activities(area, [("21", 1.0)])
    client.force_login(world["users"]["viewer"])
    areas = {a["name"]: a["evidence"] for a in client.get(reverse("api_areas", args=[world["strategy"].pk])).json()["areas"]}
    assert "lq_lower_bound" not in areas["Läkemedel"]
    assert areas["Läkemedel"]["basis"] == "estimated" and areas["Läkemedel"]["lq"] is None
    assert areas["Läkemedel"]["lq_low"] <= areas["Läkemedel"]["lq_estimate"] <= areas["Läkemedel"]["lq_high"]
    forest = areas["Skoglig bioekonomi"]
    assert forest["basis"] == "measured" and forest["lq"] == forest["lq_estimate"] > 3
    spec = client.get(reverse("openapi")).json()
    props = spec["paths"]["/api/v1/strategies/{sid}/areas/"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"]["properties"]["areas"]["items"]["properties"]["evidence"]["properties"]
    assert {"basis", "lq_estimate", "lq_low", "lq_high", "employment_estimate"} <= set(props)
    assert "lq_lower_bound" not in props


# --- kommun maps ------------------------------------------------------------------------------------------

KOMMUN_DATASET = "platform_kommun_maps"


@pytest.fixture(scope="module")
def kommun_register(tmp_path_factory, analysis_result, coarse_result):
    """A kommun register imported for this module and removed afterwards (other tests choose
    datasets by coverage). The session's mirror-only results are made first, so that they
    never see it."""
    for dataset, _, _ in imported_register(tmp_path_factory, KOMMUN_DATASET):
        yield dataset


@pytest.fixture(scope="module")
def kommun_result(kommun_register):
    """Värmland on its own kommun data."""
    from smartspec.analysis import analyse

    return analyse("SE311", datasets=[kommun_register], draws=20, peers=3)


def test_analysis_page_shows_kommun_maps(client, world, kommun_result):
    maps = kommun_result["sections"]["maps"]
    assert maps["available"] and maps["layers"]
    s = strategy_for("SE311", "Värmlands län", kommun_result)
    client.force_login(world["users"]["admin"])
    response = client.get(reverse("analysis", args=[s.pk]))
    page = text(response)
    spec = response.context["specs"]["kommun_maps"]
    assert 'id="spec-kommun-maps"' in page and len(spec["concat"]) == len(maps["layers"])
    assert i18n.t("maps_title", SV) in page and f"{maps['dataset']}, {maps['year']}" in page
    # the mirror's SE31 has no kommun rows: the page says why there are no maps
    page = text(client.get(reverse("analysis", args=[world["strategy"].pk])))
    assert i18n.t("maps_no_kommun_data", SV) in page and 'id="spec-kommun-maps"' not in page


SHOTS = Path(os.environ.get("SMARTSPEC_SCREENSHOTS", Path(__file__).resolve().parents[2] / "out" / "screenshots"))


@pytest.mark.django_db(transaction=True)
def test_kommun_maps_drawn_in_the_browser(live_server, world, kommun_result):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    s = strategy_for("SE311", "Värmlands län", kommun_result)
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{live_server.url}/s/{s.pk}/analysis/")
        page.wait_for_selector('div.chart[data-spec="spec-kommun-maps"] svg', timeout=30000)
        shapes = page.locator('div.chart[data-spec="spec-kommun-maps"] svg path').count()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "analysis_kommun_maps.png"), full_page=True)
        reading = page.inner_text(".complexity-reading")
    assert errors == [] and shapes >= 16  # at least Värmland's 16 kommuner
    measure = kommun_result["sections"]["relatedness"]["complexity"]["measure"]
    assert any((i18n.t("measure_" + measure, lang) if measure else i18n.t("complexity_none", lang)) in reading
               for lang in ("sv", "en"))  # the browser's language
