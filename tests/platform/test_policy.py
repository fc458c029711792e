"""Steps 5 and 6: action plans, computed indicators with history, the status rule."""

import csv
from datetime import date

import pytest
from django.urls import reverse

from smartspec.data import Store
from smartspec.platform.policy import services
from smartspec.platform.policy.models import Indicator, Target


def _raw(data_dir):
    with open(data_dir / "eurostat/nama_10r_3empers_SE.csv") as fh:
        return {(r["geo"], r["nace_r2"], int(r["time_period"])): float(r["obs_value"]) for r in csv.DictReader(fh)}


A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]


def test_computed_area_indicators_match_the_raw_file(world, data_dir):
    raw = _raw(data_dir)
    emp = Indicator.objects.create(strategy=world["strategy"], area=world["area"], name="Sysselsatta",
                                   source=Indicator.Source.AREA_EMPLOYMENT, baseline_year=2010)
    lq = Indicator.objects.create(strategy=world["strategy"], area=world["area"], name="LQ",
                                  source=Indicator.Source.AREA_LQ)
    assert services.refresh(emp) == services.refresh(lq) == 18  # 2000–2017
    actual = services.actuals(emp)
    assert actual[2017] == raw[("SE31", "B-E", 2017)]  # divisions 16, 17 lie in A10 group B-E
    emp.refresh_from_db()
    assert emp.baseline == raw[("SE31", "B-E", 2010)]
    tot = lambda g, y: sum(raw[(g, a, y)] for a in A10)  # noqa: E731
    expected = (raw[("SE31", "B-E", 2017)] / tot("SE31", 2017)) / (raw[("SE", "B-E", 2017)] / tot("SE", 2017))
    assert services.actuals(lq)[2017] == pytest.approx(expected)
    assert services.refresh(emp) == 0  # unchanged data: nothing new


def test_reimport_adds_history_and_updates_actuals(world):
    ind = Indicator.objects.create(strategy=world["strategy"], name="BNP/inv", source=Indicator.Source.GDP_PER_HEAD)
    services.refresh(ind)
    first = services.actuals(ind)[2020]
    store = Store()
    frame = store.query("nama_10r_3gdp", store.find("nama_10r_3gdp"))
    frame.loc[(frame.region == "SE31") & (frame.year == 2020) & (frame.unit == "EUR_HAB"), "value"] = 99999.0
    store.import_frame("nama_10r_3gdp", frame, file_hash="revised-release", source="test")
    try:
        assert services.refresh(ind) > 0
        assert services.actuals(ind)[2020] == 99999.0
        history = list(ind.observations.filter(year=2020).order_by("recorded_at").values_list("value", flat=True))
        assert history == [first, 99999.0]  # the earlier value is kept
    finally:
        store.remove("nama_10r_3gdp", store.find("nama_10r_3gdp"))


@pytest.mark.parametrize("direction, actual, state", [
    ("up", 108.0, "at_risk"),    # planned 110 in 2025: progress 0.8 (on track needs ≥ 0.85, at risk ≥ 0.70)
    ("up", 109.0, "on_track"),
    ("up", 107.5, "at_risk"),
    ("up", 102.0, "off_track"),
])
def test_status_rule(world, direction, actual, state):
    ind = Indicator.objects.create(strategy=world["strategy"], name="x", baseline_year=2020, baseline=100.0,
                                   direction=direction, tolerance=0.15)
    Target.objects.create(indicator=ind, year=2030, value=120.0)
    ind.observations.create(year=2025, value=actual)
    result = services.status(ind)
    assert result["expected"] == pytest.approx(110.0)
    progress = (actual - 100) / 10
    assert result["progress"] == pytest.approx(progress)
    want = "on_track" if progress >= 0.85 else "at_risk" if progress >= 0.7 else "off_track"
    assert result["status"] == want


def test_status_when_lower_is_better_and_no_change_planned(world):
    ind = Indicator.objects.create(strategy=world["strategy"], name="utsläpp", baseline_year=2020, baseline=100.0,
                                   direction="down")
    Target.objects.create(indicator=ind, year=2030, value=80.0)
    ind.observations.create(year=2025, value=88.0)  # planned 90: ahead of plan
    assert services.status(ind)["status"] == "on_track"
    flat = Indicator.objects.create(strategy=world["strategy"], name="flat", baseline_year=2020, baseline=100.0)
    Target.objects.create(indicator=flat, year=2030, value=100.0)
    flat.observations.create(year=2025, value=80.0)  # 20 % below a flat plan, higher is better: 1 − 0.2 ≥ 0.7
    assert services.status(flat)["status"] == "at_risk"
    flat.observations.create(year=2026, value=60.0)  # 40 % below
    assert services.status(flat)["status"] == "off_track"
    assert services.status(Indicator.objects.create(strategy=world["strategy"], name="empty"))["status"] == "no_data"


def test_area_lead_adds_action_to_own_area_only(client, world):
    other = world["strategy"].areas.create(name="Stål")
    client.force_login(world["users"]["area_lead"])
    form = {"area": world["area"].pk, "title": "Testbädd för bioraffinaderi", "instrument": "testbed",
            "start": "2025-01-01", "end": "2026-06-30", "status": "running", "budget": "2500000",
            "milestones": "2025-09-30: Pilot i drift [x]\n2026-06-30: Tio företag har testat"}
    assert client.post(reverse("action_new", args=[world["strategy"].pk]), form).status_code == 302
    action = world["area"].actions.get()
    assert action.budget == 2500000
    assert [(m.due.isoformat(), m.title, m.done) for m in action.milestones.all()] == [
        ("2025-09-30", "Pilot i drift", True), ("2026-06-30", "Tio företag har testat", False)]
    bad_ms = client.post(reverse("action_new", args=[world["strategy"].pk]), {**form, "milestones": "snart: x"})
    assert "milestones" in bad_ms.context["form"].errors
    response = client.post(reverse("action_new", args=[world["strategy"].pk]), {**form, "area": other.pk})
    assert response.status_code == 200 and "area" in response.context["form"].errors
    bad = client.post(reverse("action_new", args=[world["strategy"].pk]), {**form, "end": "2024-01-01"})
    assert "end" in bad.context["form"].errors


def test_plan_and_logic_pages(client, world):
    goal = world["strategy"].goals.create(title="Fler jobb")
    goal.areas.add(world["area"])
    action = world["area"].actions.create(title="Kluster", start=date(2025, 1, 1), end=date(2027, 1, 1))
    Indicator.objects.create(strategy=world["strategy"], name="Deltagande företag", kind="output", action=action)
    client.force_login(world["users"]["viewer"])
    plan = client.get(reverse("plan", args=[world["strategy"].pk]))
    assert plan.status_code == 200 and plan.context["gantt"]["data"]["values"][0]["action"] == "Kluster"
    logic = client.get(reverse("logic", args=[world["strategy"].pk]))
    nodes = logic.context["spec"]["layer"][1]["data"]["values"]
    assert [n["kind"] for n in nodes] == ["goal", "area", "action", "indicator"]
    assert len(logic.context["spec"]["layer"][0]["data"]["values"]) == 3  # goal→area→action→indicator
