"""The JSON API against its own OpenAPI description (schemathesis), and its permissions."""

import pytest
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, settings

from smartspec.platform.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def adopted(world):
    world["strategy"].status = "adopted"
    world["strategy"].save()
    return world


@pytest.mark.django_db(transaction=True)  # the WSGI handler closes the connection after each request
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_description(case, adopted):
    case.call_and_validate()


def test_api_hides_drafts_of_other_regions(client, world):
    sid = world["strategy"].pk
    assert client.get(reverse("api_strategy", args=[sid])).status_code == 403  # draft, anonymous
    client.force_login(world["users"]["other_coordinator"])
    assert client.get(reverse("api_areas", args=[sid])).status_code == 403
    assert [s["region"] for s in client.get(reverse("api_strategies")).json()["strategies"]] == ["SE12"]
    client.force_login(world["users"]["viewer"])
    areas = client.get(reverse("api_areas", args=[sid])).json()["areas"]
    assert areas[0]["name"] == "Skoglig bioekonomi" and areas[0]["evidence"]["lq"] > 3
