"""Fixtures for the platform: a region with a strategy, one user per role, real analysis data."""

import pytest
from django.contrib.auth import get_user_model

from smartspec.platform.core.models import (
    AnalysisSnapshot,
    Region,
    RegionRole,
    Role,
    Strategy,
)

PASSWORD = "a-Long-test-passw0rd"
ROLES = ["anonymous", "viewer", "stakeholder", "area_lead", "other_coordinator", "coordinator", "admin"]


@pytest.fixture(scope="session")
def analysis_result():
    from smartspec.analysis import analyse

    return analyse("SE31", draws=50, peers=5)


def make_user(username, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


@pytest.fixture
def world(db, analysis_result):
    """SE31 with a strategy, an area, a consultation, and a user for every role (plus a coordinator of SE12)."""
    from smartspec.platform.core import services
    from smartspec.platform.edp.models import Candidate, Consultation, Criterion

    se31 = Region.objects.create(code="SE31", name="Norra Mellansverige")
    se12 = Region.objects.create(code="SE12", name="Östra Mellansverige")
    strategy = Strategy.objects.create(region=se31, title="S3 SE31", period_start=2021, period_end=2027)
    other = Strategy.objects.create(region=se12, title="S3 SE12", period_start=2021, period_end=2027)
    snap = AnalysisSnapshot.objects.create(strategy=strategy, region_code="SE31", result=analysis_result)
    users = {"admin": make_user("admin", is_superuser=True, is_staff=True)}
    for role, region, name in [(Role.VIEWER, se31, "viewer"), (Role.STAKEHOLDER, se31, "stakeholder"),
                               (Role.AREA_LEAD, se31, "area_lead"), (Role.COORDINATOR, se31, "coordinator"),
                               (Role.COORDINATOR, se12, "other_coordinator")]:
        users[name] = make_user(name)
        RegionRole.objects.create(user=users[name], region=region, role=role)
    area = strategy.areas.create(name="Skoglig bioekonomi", evidence_snapshot=snap)
    services.set_activities(area, [("16", 1.0), ("17", 1.0)])
    area.leads.add(users["area_lead"])
    c = Consultation.objects.create(strategy=strategy, title="Val av områden", status=Consultation.Status.OPEN)
    c.invited.set([users["stakeholder"], users["area_lead"]])
    Criterion.objects.create(consultation=c, name="Kritisk massa", weight=2.0)
    Criterion.objects.create(consultation=c, name="Tillväxtpotential", weight=1.0)
    Candidate.objects.create(consultation=c, area=area, name=area.name)
    return {"se31": se31, "se12": se12, "strategy": strategy, "other": other, "snapshot": snap, "area": area,
            "consultation": c, "users": users}


def client_for(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client
