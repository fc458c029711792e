"""Charts and exports that read well: real time scales, one colour scheme for actual/baseline/
target, chart text in the user's language, labelled self-assessment, Excel-ready CSV, a readable
audit trail, an intervention logic that stays legible with 20 areas, and pages that fit a phone."""

import csv
import io
import json
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from smartspec.platform.core.models import AuditEvent
from smartspec.platform.policy import evaluation
from smartspec.platform.policy.models import WHEEL, Indicator
from smartspec.platform.policy.views import gantt_spec, indicator_chart, logic_layout
from smartspec.report import chart_specs
from smartspec.report.charts import SERIES_COLOURS
from tests.browser import chromium_page
from tests.platform.conftest import PASSWORD

SHOTS = Path(os.environ.get("SMARTSPEC_SCREENSHOTS", Path(__file__).resolve().parents[2] / "out" / "screenshots"))
ENGLISH = {"actual", "baseline", "target", "action", "area", "start", "end", "budget", "year", "value",
           "series", "employment", "growth", "activity", "goals", "actions", "indicators", "top", "category"}


def _indicator(world):
    ind = Indicator.objects.create(strategy=world["strategy"], name="Sysselsatta", unit="personer",
                                   baseline_year=2022, baseline=100, area=world["area"])
    ind.targets.create(year=2027, value=130)
    ind.observations.create(year=2023, value=104)
    ind.observations.create(year=2024, value=110)
    return ind


def _chart(ind, lang):
    from smartspec.platform.policy import services

    with translation.override(lang):
        return indicator_chart(ind, {"actuals": services.actuals(ind)})


def _texts(spec) -> list[str]:
    """Every text a reader sees in a spec: titles, legend entries (scale domains), tooltip titles, drawn labels."""
    out = []

    def walk(x, key=None):
        if isinstance(x, dict):
            for k, v in x.items():
                if k in ("title", "text") and isinstance(v, str):
                    out.append(v)
                if k == "domain" and isinstance(v, list):
                    out.extend(d for d in v if isinstance(d, str))
                if k == "values" and isinstance(v, list):  # drawn labels (column heads, node labels)
                    out.extend(d["label"] for d in v if isinstance(d, dict) and isinstance(d.get("label"), str))
                walk(v, k)
        elif isinstance(x, list):
            for v in x:
                walk(v, key)
    walk(spec)
    return out


def _tooltips_titled(spec) -> bool:
    tips = []

    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("tooltip"), list):
                tips.extend(x["tooltip"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(spec)
    return bool(tips) and all("title" in t for t in tips)


# --- time scales -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_indicator_chart_puts_years_on_a_linear_scale(world):
    spec = _chart(_indicator(world), "en")
    x = spec["encoding"]["x"]
    assert x["type"] in ("quantitative", "temporal") and x["field"] == "year"
    assert x["scale"]["domain"] == [2022, 2027]  # 2022 → 2027: five years apart, not five ordinal steps
    assert x["axis"]["values"] == [2022, 2023, 2024, 2025, 2026, 2027] and x["axis"]["format"] == "d"


def test_no_series_chart_uses_ordinal_years(analysis_result):
    for lang in ("en", "sv"):
        for name, spec in chart_specs(analysis_result, lang=lang).items():
            assert '"field": "year", "type": "ordinal"' not in json.dumps(spec), name
    gdp = chart_specs(analysis_result, lang="en").get("gdp")
    if gdp:
        assert gdp["encoding"]["x"]["type"] == "quantitative"


@pytest.mark.django_db
def test_gantt_is_on_a_utc_time_scale(world):
    area = world["area"]
    area.actions.create(title="Kluster", start=date(2022, 1, 1), end=date(2027, 6, 30))
    with translation.override("sv"):
        spec = gantt_spec(area.actions.select_related("area"))
    x = spec["spec"]["encoding"]["x"]
    assert x["type"] == "temporal" and x["scale"]["type"] == "utc" and x["axis"]["format"] == "%Y"
    assert x["axis"]["tickCount"] == {"interval": "year", "step": 1}
    assert {t["title"] for t in spec["spec"]["encoding"]["tooltip"]} >= {"Insats", "Område", "Status"}


# --- one colour scheme -------------------------------------------------------------------------

@pytest.mark.django_db
def test_actual_baseline_target_share_one_colour_scheme(world, client):
    ind = _indicator(world)
    for lang in ("sv", "en"):
        spec = _chart(ind, lang)
        scale = spec["encoding"]["color"]["scale"]
        assert scale["range"] == [SERIES_COLOURS[k] for k in ("actual", "baseline", "target")]
    # the monitoring report (HTML/PDF) draws the same spec: the same colours in its SVG
    client.force_login(world["users"]["viewer"])
    html = client.get(reverse("monitoring_export", args=[world["strategy"].pk, "html"])).content.decode()
    for colour in SERIES_COLOURS.values():
        assert colour.lower() in html.lower()
    # the analysis report's series (GDP per head) take the scheme's "actual" colour
    import smartspec.platform.policy.views as pv
    assert pv.series_encoding.__module__ == "smartspec.report.charts"


def test_report_series_use_the_scheme(analysis_result):
    gdp = chart_specs(analysis_result, lang="en").get("gdp")
    if gdp is None:
        pytest.skip("no GDP series for the region")
    assert gdp["encoding"]["color"]["scale"]["range"][0] == SERIES_COLOURS["actual"]


# --- language of chart text --------------------------------------------------------------------

@pytest.mark.django_db
def test_indicator_chart_text_follows_the_language(world):
    ind = _indicator(world)
    sv, en = _texts(_chart(ind, "sv")), _texts(_chart(ind, "en"))
    assert {"utfall", "utgångsvärde", "mål"} <= set(sv) and {"actual", "baseline", "target"} <= set(en)
    assert not {w.lower() for w in sv} & ENGLISH
    assert _tooltips_titled(_chart(ind, "sv"))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_chart_text_follows_the_language_of_the_reader(analysis_result, lang):
    """A snapshot made in one language shows its charts in the reader's language."""
    made_in = "en" if lang == "sv" else "sv"
    specs = chart_specs({**analysis_result, "lang": made_in}, lang=lang)
    texts = {w.lower() for spec in specs.values() for w in _texts(spec)}
    if lang == "sv":
        assert not texts & ENGLISH, texts & ENGLISH
        assert "sysselsättning" in texts or "tillväxt" in texts
    else:
        assert not texts & {"sysselsättning", "tillväxt", "år", "andel", "kategori"}
    for name in ("lq", "portfolio", "scatter"):
        if name in specs:
            assert _tooltips_titled(specs[name]), name


@pytest.mark.django_db
@pytest.mark.parametrize("lang,words", [("sv", {"Mål", "Insatser", "Indikatorer"}), ("en", {"Goals", "Actions", "Indicators"})])
def test_logic_and_portfolio_text_follow_the_language(client, world, lang, words):
    goal = world["strategy"].goals.create(title="Fler jobb")
    goal.areas.add(world["area"])
    client.force_login(world["users"]["viewer"])
    client.cookies["django_language"] = lang
    page = client.get(reverse("logic", args=[world["strategy"].pk]), HTTP_ACCEPT_LANGUAGE=lang)
    assert words <= set(_texts(page.context["spec"]))


# --- self-assessment labels --------------------------------------------------------------------

@pytest.mark.django_db
def test_assessment_shows_translated_labels(client, world):
    client.force_login(world["users"]["coordinator"])
    scores = {f: 3 for _, factors in WHEEL for f in factors}
    client.post(reverse("assessment", args=[world["strategy"].pk]), scores)
    client.cookies["django_language"] = "sv"
    page = client.get(reverse("assessment", args=[world["strategy"].pk]), HTTP_ACCEPT_LANGUAGE="sv")
    html = page.content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Färdplan" in text and "Kritisk massa" in text and "Åtgärder (policymix)" in text
    keys = [k for k in [f for _, factors in WHEEL for f in factors] + [s for s, _ in WHEEL] if k != "vision"]  # sv: vision
    assert not [k for k in keys if re.search(rf"(?<![\w\"=/]){k}(?![\w\"/])", text)]  # no keys shown as text
    radar_labels = {v["label"] for v in page.context["radar"]["data"][0]["values"]}
    assert "Färdplan" in radar_labels and "roadmap" not in radar_labels
    with translation.override("en"):
        assert evaluation.wheel_label("policy_mix") == "Policy mix"


# --- CSV for Excel -----------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("name", ["actors_export", "monitoring_export"])
def test_csv_has_bom_and_semicolons_under_swedish(client, world, name):
    _indicator(world).observations.create(year=2025, value=112.5)
    world["strategy"].actors.create(name="Karlstads universitet", kind="academia", nace="85")
    client.force_login(world["users"]["viewer"])
    client.cookies["django_language"] = "sv"
    body = client.get(reverse(name, args=[world["strategy"].pk, "csv"]), HTTP_ACCEPT_LANGUAGE="sv").content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows[0]) > 3 and all(len(r) == len(rows[0]) for r in rows)
    if name == "monitoring_export":
        row = dict(zip(rows[0], rows[1]))
        assert "112,5" in row["actuals"] and row["baseline"] == "100"
    client.cookies["django_language"] = "en"
    body = client.get(reverse(name, args=[world["strategy"].pk, "csv"]), HTTP_ACCEPT_LANGUAGE="en").content
    assert body.startswith(b"\xef\xbb\xbf") and len(next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) > 3


def test_one_csv_helper():
    root = Path(__file__).resolve().parents[2] / "src" / "smartspec" / "platform"
    writers = [p for p in root.rglob("*.py") if "csv.writer(" in p.read_text(encoding="utf-8")]
    assert [p.name for p in writers] == ["downloads.py"]


@pytest.mark.django_db
def test_xlsx_is_offered_first(client, world):
    client.force_login(world["users"]["viewer"])
    for page in ("actors", "monitoring"):
        html = client.get(reverse(page, args=[world["strategy"].pk])).content.decode()
        assert html.index("export.xlsx") < html.index("export.csv"), page


# --- audit trail -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_audit_shows_names_and_local_time(client, world, settings):
    user = world["users"]["coordinator"]
    user.first_name, user.last_name = "Sara", "Samordnare"
    user.save()
    area = world["area"]
    AuditEvent.objects.create(user=user, region=world["se31"], action="update", model="PriorityArea",
                              object_id=str(area.pk), summary="x", at=datetime(2025, 1, 15, 12, 0, tzinfo=UTC),
                              changes={"name": ["Skog", area.name], "lock_version": [1, 2]})
    client.force_login(user)
    client.cookies["django_language"] = "sv"
    page = client.get(reverse("audit", args=[world["strategy"].pk]), HTTP_ACCEPT_LANGUAGE="sv")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Sara Samordnare" in text and area.name in text
    assert settings.TIME_ZONE == "Europe/Stockholm" and "2025-01-15 13:00" in text  # UTC 12:00 is 13:00 in Stockholm
    assert "lock_version" not in text and "Lock version" not in text
    assert "ändrad" in text


# --- intervention logic ------------------------------------------------------------------------

def _crossings(nodes, edges) -> int:
    pos = {n["id"]: (n["x"], n["y"]) for n in nodes}
    segs = [(pos[a], pos[b]) for a, b in edges]
    count = 0
    for i, ((x1, y1), (x2, y2)) in enumerate(segs):
        for (u1, v1), (u2, v2) in segs[i + 1:]:
            if (x1, x2) == (u1, u2) and (y1 - v1) * (y2 - v2) < 0:
                count += 1
    return count


def _twenty_areas():
    areas = [(f"area-{i}", f"Område {i}") for i in range(20)]
    goals = [(f"goal-{g}", f"Mål {g}", [f"area-{i}" for i in range(20) if i % 5 == g]) for g in range(5)]
    goals[0][2].append("area-7")  # one area under two goals
    actions = [(f"action-{i}-{j}", f"Insats {i}.{j}", f"area-{i}") for i in range(20) for j in range(2)]
    indicators = [(f"ind-{i}", f"Indikator {i}", f"action-{i}-0") for i in range(20)]
    indicators += [(f"ind-a{i}", f"Områdesindikator {i}", f"area-{i}") for i in range(0, 20, 3)]
    indicators += [("ind-free", "Fristående", None)]
    areas.append(("area-unlinked", "Utan koppling"))
    return goals, areas, actions, indicators


def test_logic_with_twenty_areas_keeps_lines_short_and_few_crossings():
    goals, areas, actions, indicators = _twenty_areas()
    nodes, edges, unlinked = logic_layout(goals, areas, actions, indicators)
    assert set(unlinked) == {"Utan koppling", "Fristående"}  # only linked items are drawn
    assert len(nodes) == 5 + 20 + 40 + 27
    pos = {n["id"]: n for n in nodes}
    inner = [(a, b) for a, b in edges if not a.startswith("goal")]
    assert _crossings(nodes, inner) == 0  # area → action → indicator: no crossings at all
    assert max(abs(pos[a]["y"] - pos[b]["y"]) for a, b in inner) <= 2  # children sit beside their parent
    assert _crossings(nodes, edges) <= 20  # goal → area links: bounded
    ys = [n["y"] for n in nodes if n["kind"] == "area"]
    assert len(set(ys)) == len(ys)  # no two areas on one row


# --- pages on a laptop and a phone -------------------------------------------------------------

DEMO_PAGES = ["dashboard", "analysis", "actors", "governance", "vision", "areas", "consultations", "plan", "logic",
              "monitoring", "evaluations", "assessment", "audit", "versions", "area_new", "actor_add", "action_new",
              "indicator_new"]


@pytest.fixture
def demo(transactional_db):
    from django.contrib.auth import get_user_model

    from smartspec.platform.demo import load_demo

    strategy = load_demo(with_snapshot=True)
    user = get_user_model().objects.get(username="samordnare")
    user.set_password(PASSWORD)
    user.save()
    return strategy


def _urls(strategy):
    urls = []
    for name in DEMO_PAGES:
        urls.append((name, reverse(name, args=[strategy.pk])))
    area = strategy.areas.first()
    urls.append(("area_detail", reverse("area_detail", args=[strategy.pk, area.pk])))
    consultation = strategy.consultations.first()
    if consultation:
        urls.append(("consultation", reverse("consultation", args=[strategy.pk, consultation.pk])))
    evaluation_ = strategy.evaluations.first()
    if evaluation_:
        urls.append(("evaluation", reverse("evaluation", args=[strategy.pk, evaluation_.pk])))
    urls += [("home", "/"), ("public", f"/public/{strategy.region.code}/")]
    return urls


@pytest.mark.slow
def test_every_demo_page_fits_a_laptop_and_a_phone(live_server, demo):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    SHOTS.mkdir(parents=True, exist_ok=True)
    overflow = []
    for width, height in ((1366, 900), (390, 844)):
        with chromium_page(viewport={"width": width, "height": height}) as page:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", "samordnare")
            page.fill("#id_password", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_load_state("networkidle")
            for name, url in _urls(demo):
                page.goto(live_server.url + url)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(150)  # charts render after load
                scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if scroll > inner + 1:
                    overflow.append((width, name, scroll))
                page.screenshot(path=str(SHOTS / f"read-{name}-{width}.png"), full_page=True)
    assert not overflow
