"""Platform models and services: evidence, EDP aggregation, locking, imports, audit, demo."""

import statistics

import pytest
from django.urls import reverse

from smartspec import data
from smartspec.data.classifications.nace import sections_of
from smartspec.errors import InputError
from smartspec.platform.core import services
from smartspec.platform.core.imports import import_actors
from smartspec.platform.core.models import AuditEvent, PriorityArea
from smartspec.platform.edp import services as edp


def test_area_evidence_matches_engine(world):
    """LQ = (area / region total) / (reference area / reference total), totals the publisher's
    sections where all are published, else the sum of the known divisions."""
    ev = services.area_evidence(world["area"])
    m = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division")
    m = m[~m.index.str.endswith("ZZ")]
    m = m.loc[m.notna().any(axis=1) & (m.fillna(0).sum(axis=1) > 0)]
    sections = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="section").reindex(m.index)
    by_section = m.T.groupby(lambda c: sections_of(c)[0]).sum(min_count=1).T.where(
        ~m.isna().T.groupby(lambda c: sections_of(c)[0]).any().T)
    for code in sections.columns:  # the publisher's sections where published
        by_section[code] = sections[code]
    totals = m.sum(axis=1)
    known = by_section.notna().all(axis=1)
    totals[known] = by_section.sum(axis=1)[known]
    emp = m.loc["SE31", ["16", "17"]].sum()
    lq = (emp / totals["SE31"]) / (m[["16", "17"]].sum().sum() / totals.sum())
    assert ev["employment"] == emp and ev["lq"] == pytest.approx(lq, rel=1e-12)
    assert ev["region_total"] == totals["SE31"]
    assert ev["activities"] == ["16", "17"] and ev["level"] == "division" and ev["complete"] and ev["coarser"] == []
    assert ev["dataset"] == "sbs_r_nuts06_r2" and ev["year"] == 2014 and ev["region"] == "SE31"
    assert ev["verdict"] == "strength" and ev["snapshot"] == world["snapshot"].pk
    assert ev["growth_period"] == world["snapshot"].result["data"]["series"]["years"]


def test_evidence_weights_suppressed_and_coarser_codes(world, analysis_result):
    full = services.evidence(analysis_result, [("16", 1.0)])
    half = services.evidence(analysis_result, [("16", 0.5)])
    assert half["employment"] == pytest.approx(full["employment"] / 2)
    sup = services.evidence(analysis_result, [("21", 1.0), ("16", 1.0)])  # 21 is suppressed for SE31
    assert sup["complete"] is False and sup["suppressed"] == ["21"] and sup["lq_lower_bound"] is True
    assert sup["employment"] == full["employment"]  # the known part
    only = services.evidence(analysis_result, [("21", 1.0)])
    assert only["employment"] is None and only["lq"] is None and only["verdict"] == "unknown"
    finer = services.evidence(analysis_result, [("16.1", 1.0)])  # the data hold divisions only
    assert finer["activities"] == ["16"] and finer["coarser"] == ["16.1"] and finer["employment"] == full["employment"]
    assert services.evidence(analysis_result, []) == {"available": False, "activities": [], "reason": "no_nace"}
    old = {**analysis_result, "schema_version": "1.3"}
    assert services.evidence(old, [("16", 1.0)])["reason"] == "old_schema"


def test_evidence_pages_show_level_suppression_and_verdict(client, world):
    client.force_login(world["users"]["viewer"])
    s = world["strategy"]
    page = client.get(reverse("area_evidence", args=[s.pk]), {"nace": "21, 16.1"}).content.decode()
    assert "21" in page and "16.1" in page and "≥" in page
    unknown = client.get(reverse("area_evidence", args=[s.pk]), {"nace": "21"})
    assert unknown.context["ev"]["verdict"] == "unknown"
    assert unknown.context["ev"]["verdict_name"] in unknown.content.decode()  # "okänt: sekretess i statistiken"
    detail = client.get(reverse("area_detail", args=[s.pk, world["area"].pk]))
    assert detail.context["ev"]["activities"] == ["16", "17"] and "sbs_r_nuts06_r2" in detail.content.decode()


def test_edp_results_weighted_with_spread(world):
    c, users = world["consultation"], world["users"]
    cand = c.candidates.get()
    k1, k2 = list(c.criteria.all())  # weights 2 and 1
    edp.save_response(c, users["stakeholder"], {(cand.pk, k1.pk): 5, (cand.pk, k2.pk): 2}, {cand.pk: "bra"})
    edp.save_response(c, users["area_lead"], {(cand.pk, k1.pk): 3, (cand.pk, k2.pk): 3}, {})
    r = edp.results(c)[0]
    a, b = (2 * 5 + 1 * 2) / 3, 3.0
    assert r["n"] == 2 and r["mean"] == pytest.approx((a + b) / 2) and r["sd"] == pytest.approx(statistics.pstdev([a, b]))
    assert r["criteria"] == {"Kritisk massa": 4.0, "Tillväxtpotential": 2.5} and r["comments"] == ["bra"]
    # one response per user: saving again replaces it
    edp.save_response(c, users["stakeholder"], {(cand.pk, k1.pk): 1, (cand.pk, k2.pk): 1}, {})
    assert c.responses.count() == 2 and edp.results(c)[0]["mean"] == pytest.approx((1 + 3) / 2)


def test_closed_consultation_refuses_responses(world):
    c = world["consultation"]
    c.status = "closed"
    c.save()
    cand, k = c.candidates.get(), c.criteria.first()
    with pytest.raises(edp.ClosedError):
        edp.save_response(c, world["users"]["stakeholder"], {(cand.pk, k.pk): 4}, {})
    assert c.responses.count() == 0


def test_decision_links_input_and_evidence(world):
    c, users = world["consultation"], world["users"]
    cand = c.candidates.get()
    edp.save_response(c, users["stakeholder"], {(cand.pk, k.pk): 4 for k in c.criteria.all()}, {})
    d = edp.decide(c, users["coordinator"], "Välj skog", [cand.pk], evidence=world["snapshot"])
    c.refresh_from_db()
    assert c.status == "closed" and list(d.chosen.all()) == [cand] and d.evidence == world["snapshot"]
    assert d.results[0]["mean"] == 4.0 and d.decided_by == users["coordinator"]
    assert AuditEvent.objects.filter(model="Decision", object_id=str(d.pk)).exists()


def test_optimistic_locking(world):
    area = world["area"]
    a1, a2 = PriorityArea.objects.get(pk=area.pk), PriorityArea.objects.get(pk=area.pk)
    a1.description = "first"
    services.save_versioned(a1, world["users"]["coordinator"], world["se31"], expected_version=0)
    a2.description = "second"
    with pytest.raises(services.ConflictError):
        services.save_versioned(a2, world["users"]["coordinator"], world["se31"], expected_version=0)
    assert PriorityArea.objects.get(pk=area.pk).description == "first"


def test_conflict_message_in_the_web(client, world):
    s, a = world["strategy"], world["area"]
    client.force_login(world["users"]["coordinator"])
    form = {"name": a.name, "kind": "strength", "orientation": "technology", "nace": "16, 17", "lock_version": 0}
    assert client.post(reverse("area_edit", args=[s.pk, a.pk]), form).status_code == 302
    stale = client.post(reverse("area_edit", args=[s.pk, a.pk]), {**form, "description": "late"})
    page = stale.content.decode()
    assert stale.status_code == 409 and ("Someone else changed this" in page or "Någon annan ändrade detta" in page)


def test_actor_import_validates_and_is_atomic(world):
    s, user = world["strategy"], world["users"]["coordinator"]
    good = "name,type,contact,email,nace\nPaper Province,cluster,Anna,anna@example.org,17\nKau,university,,,72\n"
    assert len(import_actors(s, user, "a.csv", good.encode())) == 2
    bad = "name;type;nace\nFirma A;firm;10\nFirma B;rocket;10\n"
    with pytest.raises(InputError, match=r"b.csv, line 3, column 'type': type 'rocket'"):
        import_actors(s, user, "b.csv", bad.encode())
    assert not s.actors.filter(name="Firma A").exists()
    with pytest.raises(InputError, match="line 2, column 'nace'"):
        import_actors(s, user, "c.csv", b"name,type,nace\nX,firm,ZZ\n")
    with pytest.raises(InputError, match="line 2, column 'contact_email'"):
        import_actors(s, user, "d.csv", b"name,type,email\nY,firm,not-an-email\n")


def test_import_declared_areas(world):
    created = services.import_declared_areas(world["strategy"], world["users"]["coordinator"], nuts3=["SE311"])
    names = {a.name for a in created}
    assert "Dataspel och spelifiering" in names and "Skoglig bioekonomi" not in names  # exists already
    games = world["strategy"].areas.get(name="Dataspel och spelifiering")
    assert [x.nace for x in games.activities.all()] == ["58", "62"] and games.source_url.startswith("http")
    assert services.import_declared_areas(world["strategy"], nuts3=["SE311"]) == []


def test_audit_trail_records_changes(client, world):
    client.force_login(world["users"]["coordinator"])
    s = world["strategy"]
    client.post(reverse("vision_edit", args=[s.pk]), {"vision": "Ny vision", "lock_version": 0})
    event = AuditEvent.objects.filter(model="Strategy").latest("at")
    assert event.user == world["users"]["coordinator"] and event.changes["vision"] == ["", "Ny vision"]


def test_step_status(world):
    steps = {s["step"]: s["state"] for s in services.step_status(world["strategy"])}
    assert steps["analysis"] == "started" and steps["priorities"] == "started" and steps["policy"] == "todo"


@pytest.mark.django_db
def test_demo_loads_a_living_process():
    from smartspec.platform.demo import load_demo

    s = load_demo()
    assert s.is_demo and s.status == "adopted" and s.snapshots.count() == 1
    assert s.actors.count() >= 10 and s.bodies.filter(kind="steering").exists() and s.goals.count() == 2
    kinds = set(s.areas.values_list("kind", flat=True))
    orientations = set(s.areas.values_list("orientation", flat=True))
    assert {"strength", "growth", "enabling"} <= kinds and {"technology", "service"} <= orientations
    done = s.consultations.get(status="closed")
    assert done.decision.chosen.count() == 4 and done.responses.count() == 4
    assert s.consultations.filter(status="open").exists()
    from smartspec.platform.policy.models import Action
    from smartspec.platform.policy.services import status

    assert Action.objects.filter(area__strategy=s, status="running").count() == 2
    statuses = {i.name: status(i)["status"] for i in s.indicators.all()}
    assert len(statuses) == 3 and all(v != "no_data" for v in statuses.values())
    assert s.indicators.get(source="area_employment").observations.count() == 18
    ev = s.evaluations.get()
    assert ev.revision.version == 2 and ev.entries.count() == 4 and ev.entries.get(kind="finding").indicators.count() == 2
    assert s.assessments.count() == 1 and ev.revision.assessments.count() == 1
    assert "41" in [a.nace for a in ev.revision.areas.get(name="Skoglig bioekonomi").activities.all()]
    assert load_demo().pk == s.pk  # idempotent
