"""The forms refuse what a user would not mean, with a message (never a server error), and
error messages name the uploaded file, not a path on the server."""

import io
import logging
import os
import subprocess
import sys
from datetime import timedelta

import openpyxl
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from smartspec.platform.core.models import Actor
from smartspec.platform.edp.models import Consultation
from smartspec.platform.policy.models import Action, Indicator, Target


@pytest.fixture
def coordinator(client, world):
    client.force_login(world["users"]["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _errors(response) -> str:
    """Every error of the page's form, as one text."""
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _area(name="Ny", nace="16", **extra):
    return {"name": name, "kind": "strength", "orientation": "technology", "nace": nace, **extra}


def _strategy(start, end):
    return {"title": "S3", "period_start": start, "period_end": end, "status": "draft"}


def _action(world, **extra):
    return {"area": world["area"].pk, "title": "Pilot", "instrument": "grant", "status": "planned",
            "start": "2025-01-01", "end": "2026-12-31", **extra}


def _indicator(**extra):
    return {"name": "Sysselsatta", "kind": "result", "direction": "up", "source": "manual", "tolerance": "0.15",
            **extra}


def _consultation(world, **extra):
    return {"title": "Runda 2", "criteria": "Kritisk massa: 2", "candidates": [world["area"].pk], **extra}


# --- what used to give a server error ----------------------------------------------------------------

def test_a_duplicate_actor_name_is_refused(coordinator, world):
    Actor.objects.create(strategy=world["strategy"], name="Mittuniversitetet", kind="academia")
    response = coordinator.post(reverse("actor_add", args=[world["strategy"].pk]),
                                {"name": "Mittuniversitetet", "kind": "academia"})
    assert "“Mittuniversitetet” is already used in this strategy" in _errors(response)


def test_a_duplicate_area_name_is_refused(coordinator, world):
    response = coordinator.post(reverse("area_new", args=[world["strategy"].pk]), _area("Skoglig bioekonomi"))
    assert "“Skoglig bioekonomi” is already used in this strategy" in _errors(response)


def test_a_nace_code_given_twice_is_refused(coordinator, world):
    response = coordinator.post(reverse("area_new", args=[world["strategy"].pk]), _area(nace="62, 62"))
    assert "62 is given more than once." in _errors(response)


@pytest.mark.parametrize("weight, message", [("-5", "the weight must be above 0 and at most 100"),
                                             ("abc", "the weight “abc” is not a number"),
                                             ("1000", "the weight must be above 0 and at most 100")])
def test_a_consultation_weight_is_parsed_with_a_clear_error(coordinator, world, weight, message):
    response = coordinator.post(reverse("consultation_new", args=[world["strategy"].pk]),
                                _consultation(world, criteria=f"Kritisk massa: {weight}"))
    assert f"Line 1: {message}" in _errors(response)


def test_a_target_year_given_twice_is_refused(coordinator, world):
    response = coordinator.post(reverse("indicator_new", args=[world["strategy"].pk]),
                                _indicator(targets="2027: 10\n2027: 12"))
    assert "Line 2: the year 2027 has a target already." in _errors(response)
    assert not Target.objects.exists()


# --- years and periods ---------------------------------------------------------------------------------

def test_strategy_years_are_plausible(coordinator, world):
    response = coordinator.post(reverse("strategy_edit", args=[world["strategy"].pk]), _strategy(21, 2027))
    assert "Give a year between 1990 and 2100." in _errors(response)


def test_a_strategy_period_does_not_end_before_it_starts(coordinator, world):
    response = coordinator.post(reverse("strategy_edit", args=[world["strategy"].pk]), _strategy(2027, 2021))
    assert "The period must not end before it starts." in _errors(response)


def test_an_indicator_baseline_year_is_plausible(coordinator, world):
    response = coordinator.post(reverse("indicator_new", args=[world["strategy"].pk]),
                                _indicator(baseline_year="20201"))
    assert "Give a year between 1990 and 2100." in _errors(response)


def test_a_target_does_not_come_before_the_baseline(coordinator, world):
    response = coordinator.post(reverse("indicator_new", args=[world["strategy"].pk]),
                                _indicator(baseline_year="2020", baseline="10", targets="2015: 12"))
    assert "A target year (2015) comes before the baseline year 2020." in _errors(response)


def test_a_target_year_is_plausible(coordinator, world):
    response = coordinator.post(reverse("indicator_new", args=[world["strategy"].pk]), _indicator(targets="99999: 1"))
    assert "Line 1: give a year between 1990 and 2100." in _errors(response)


def test_an_action_does_not_end_before_it_starts(coordinator, world):
    response = coordinator.post(reverse("action_new", args=[world["strategy"].pk]),
                                _action(world, start="2026-01-01", end="2025-01-01"))
    assert "The end must not be before the start." in _errors(response)


def test_an_action_year_is_plausible(coordinator, world):
    response = coordinator.post(reverse("action_new", args=[world["strategy"].pk]), _action(world, start="1066-10-14"))
    assert "Give a year between 1990 and 2100." in _errors(response)


def test_a_milestone_lies_within_the_action(coordinator, world):
    response = coordinator.post(reverse("action_new", args=[world["strategy"].pk]),
                                _action(world, milestones="2030-06-30: Pilot ready"))
    assert "Line 1: the milestone's date is outside the action's period" in _errors(response)
    assert not Action.objects.exists()


# --- amounts, weights, codes ---------------------------------------------------------------------------

def test_a_budget_is_not_negative(coordinator, world):
    response = coordinator.post(reverse("action_new", args=[world["strategy"].pk]), _action(world, budget="-100"))
    assert "The budget must not be negative." in _errors(response)


@pytest.mark.parametrize("weight", ["0", "1.5", "-0.2", "nan"])
def test_a_nace_weight_is_above_0_and_at_most_1(coordinator, world, weight):
    response = coordinator.post(reverse("area_new", args=[world["strategy"].pk]), _area(nace=f"16, 17:{weight}"))
    assert "The weight of 17 must be above 0 and at most 1." in _errors(response)


def test_a_nace_weight_is_a_number(coordinator, world):
    response = coordinator.post(reverse("area_new", args=[world["strategy"].pk]), _area(nace="17:half"))
    assert "The weight of 17 is not a number: “half”." in _errors(response)


@pytest.mark.parametrize("code", ["62.99", "00", "ZZ", "16.111"])
def test_a_nace_code_exists_in_the_classification(coordinator, world, code):
    response = coordinator.post(reverse("area_new", args=[world["strategy"].pk]), _area(nace=f"16, {code}"))
    assert f"“{code}” is not a NACE Rev. 2 code" in _errors(response)


def test_nace_codes_at_every_level_are_accepted(coordinator, world):
    response = coordinator.post(reverse("area_new", args=[world["strategy"].pk]),
                                _area(nace="C, 16, 16.2, 16.21, 01.110, B-E"))
    assert response.status_code == 302


def test_an_actor_nace_code_exists(coordinator, world):
    response = coordinator.post(reverse("actor_add", args=[world["strategy"].pk]),
                                {"name": "Sandvik", "kind": "firm", "nace": "25, 62.99"})
    assert "“62.99” is not a NACE Rev. 2 code" in _errors(response)


def test_nace_codes_the_data_do_not_cover_are_named(coordinator, world):
    response = coordinator.post(reverse("area_new", args=[world["strategy"].pk]), _area(nace="16, 84, 99"))
    assert response.status_code == 302
    assert "The analysis data hold none of these NACE codes, so the area's evidence leaves them out: 84, 99." \
        in _messages(response)


def test_a_tolerance_is_a_share(coordinator, world):
    response = coordinator.post(reverse("indicator_new", args=[world["strategy"].pk]), _indicator(tolerance="15"))
    assert "The tolerance is a share: give a number from 0 to 1, e.g. 0.15." in _errors(response)


def test_a_consultation_closes_after_it_opens(coordinator, world):
    past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = coordinator.post(reverse("consultation_new", args=[world["strategy"].pk]),
                                _consultation(world, closes_at=past))
    assert "The consultation must close after it opens: give a later date." in _errors(response)
    assert Consultation.objects.count() == 1  # the fixture's


def test_an_evaluation_of_an_area_names_the_area(coordinator, world):
    response = coordinator.post(reverse("evaluations", args=[world["strategy"].pk]),
                                {"title": "Halvtid", "subject": "area"})
    assert "Choose the priority area to evaluate." in _errors(response)


def test_valid_input_is_saved(coordinator, world):
    """The rules leave ordinary input alone."""
    sid = world["strategy"].pk
    assert coordinator.post(reverse("indicator_new", args=[sid]), _indicator(
        baseline_year="2020", baseline="100", targets="2025: 110\n2030: 120")).status_code == 302
    assert coordinator.post(reverse("action_new", args=[sid]), _action(
        world, budget="500000", milestones="2025-06-30: Pilot ready [x]")).status_code == 302
    assert Indicator.objects.get().targets.count() == 2 and Action.objects.get().milestones.get().done


def test_messages_are_in_swedish(client, world):
    client.force_login(world["users"]["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = client.post(reverse("area_new", args=[world["strategy"].pk]), _area(nace="62, 62"))
    assert "62 anges mer än en gång." in _errors(response)


# --- no server paths in messages ------------------------------------------------------------------------

def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_an_actor_upload_error_names_the_file_not_a_server_path(coordinator, world):
    upload = SimpleUploadedFile("bad.xlsx", b"PK\x03\x04 not really a workbook")
    response = coordinator.post(reverse("actor_import", args=[world["strategy"].pk]), {"file": upload})
    text = _messages(response)
    assert "bad.xlsx" in text and "/tmp" not in text and settings.HOME.as_posix() not in text


def test_an_actor_upload_row_error_names_the_file(coordinator, world):
    upload = SimpleUploadedFile("actors.xlsx", _xlsx([["name", "type"], ["Sandvik", "spaceship"]]))
    response = coordinator.post(reverse("actor_import", args=[world["strategy"].pk]), {"file": upload})
    assert "actors.xlsx, line 2, column 'type'" in _messages(response)


def test_a_relatedness_upload_error_names_the_file_not_a_server_path(coordinator, world, monkeypatch):
    from smartspec.platform.core import services

    monkeypatch.setattr(services, "take_snapshot", lambda *a, **k: pytest.fail("the upload should be refused"))
    upload = SimpleUploadedFile("bad.csv", b"\x00\x01garbage;;\n1,2")
    response = coordinator.post(reverse("run_analysis", args=[world["strategy"].pk]), {"relatedness": upload})
    text = _messages(response)
    assert "bad.csv" in text and "/tmp" not in text


def test_a_message_shows_no_server_directory(data_dir):
    from smartspec import config
    from smartspec.data.paths import MissingDataError
    from smartspec.platform.core.imports import public_message

    error = MissingDataError(f"x.csv was not found in {data_dir} nor in {config.home() / 'downloads'}")
    assert public_message(error) == "x.csv was not found in <data directory> nor in <workspace>/downloads"


# --- a server error is logged with its traceback and the request id ---------------------------------------

def _boom(request):
    raise RuntimeError("boom in a test view")


urlpatterns = [path("boom/", _boom)]  # the URLs of the tests below (pytest.mark.urls)
handler500 = "smartspec.platform.core.middleware.server_error"


@pytest.fixture
def console():
    """What the django.request console handler writes, in a buffer."""
    handler = next(h for h in logging.getLogger("django.request").handlers if isinstance(h, logging.StreamHandler))
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield buffer
    handler.setStream(old)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("given, kept", [("proxy-1234abcd", True), ("bad id with spaces", False), ("", False)])
def test_a_server_error_is_logged_with_traceback_and_request_id(db, console, given, kept):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", headers={"X-Request-ID": given} if given else {})
    rid = response["X-Request-ID"]
    assert response.status_code == 500 and (rid == given) is kept and len(rid) >= 8
    log = console.getvalue()
    assert f"ERROR [{rid}] django.request: Internal Server Error: /boom/" in log
    assert "Traceback (most recent call last)" in log and "RuntimeError: boom in a test view" in log
    page = response.content.decode()
    assert rid in page and "Traceback" not in page and "boom in a test view" not in page
    assert str(settings.BASE_DIR) not in page and "/work/" not in page


def test_every_response_has_a_request_id(client, world):
    response = client.get(reverse("home"))
    assert len(response["X-Request-ID"]) == 32


def test_errors_also_go_to_a_file_when_configured(tmp_path):
    code = ("import logging, django; django.setup(); "
            "logging.getLogger('django.request').error('Internal Server Error: /x', exc_info=ValueError('bad'))")
    env = {**{k: v for k, v in os.environ.items() if k != "SMARTSPEC_ENV"}, "SMARTSPEC_HOME": str(tmp_path),
           "SMARTSPEC_LOG_FILE": "1", "DJANGO_SETTINGS_MODULE": "smartspec.platform.settings"}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120, capture_output=True)
    text = (tmp_path / "logs" / "platform.log").read_text()
    assert "ERROR [-] django.request: Internal Server Error: /x" in text and "ValueError: bad" in text


def test_a_strategy_does_not_take_the_first_year_of_another_of_the_region(coordinator, world):
    from smartspec.platform.core.models import Strategy

    Strategy.objects.create(region=world["se31"], title="S3 2028", period_start=2028, period_end=2034)
    response = coordinator.post(reverse("strategy_edit", args=[world["strategy"].pk]), _strategy(2028, 2034))
    assert "The region already has a strategy from 2028 in version 1." in _errors(response)
