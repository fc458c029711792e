"""Platform models and services: evidence, EDP aggregation, locking, imports, audit, demo."""

import statistics

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse

from smartspec import data
from smartspec.analysis.evidence import for_result
from smartspec.analysis.matching import suggest_codes
from smartspec.data.classifications.nace import sections_of
from smartspec.errors import InputError
from smartspec.platform.core import services, steps
from smartspec.platform.core.imports import import_actors
from smartspec.platform.core.models import AuditEvent, PriorityArea
from smartspec.platform.edp import services as edp
from smartspec.report import i18n


def _sbs_2014():
    """The SBS divisions of 2014 by NUTS 2 region and each region's total: the publisher's
    sections where all are published, else the sum of the known divisions."""
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
    return m, totals


def test_area_evidence_matches_engine(world):
    """LQ = (area / region total) / (reference area / reference total), computed here on
    divisions that no region suppresses (their reference sums need no estimate)."""
    m, totals = _sbs_2014()
    codes = ["46", "71"]  # wholesale trade; architecture and engineering
    assert m[codes].notna().all().all()
    trade = world["strategy"].areas.create(name="Handel och teknik", evidence_snapshot=world["snapshot"])
    services.set_activities(trade, [(c, 1.0) for c in codes])
    ev = services.area_evidence(trade)
    emp = m.loc["SE31", codes].sum()
    lq = (emp / totals["SE31"]) / (m[codes].sum().sum() / totals.sum())
    assert ev["basis"] == "measured" and ev["employment"] == emp and ev["lq"] == pytest.approx(lq, rel=1e-12)
    assert ev["employment_estimate"] == ev["employment_low"] == ev["employment_high"] == emp
    assert ev["lq_estimate"] == ev["lq_low"] == ev["lq_high"] == ev["lq"]
    assert ev["region_total"] == totals["SE31"]
    # 16 and 17 are suppressed in some other regions: their reference sums hold those cells at
    # their estimates, so the LQ is the engine's, a little below the sum of the published cells'
    ev = services.area_evidence(world["area"])
    engine = for_result(world["snapshot"].result, [("16", 1.0), ("17", 1.0)])
    emp = m.loc["SE31", ["16", "17"]].sum()
    published_only = (emp / totals["SE31"]) / (m[["16", "17"]].sum().sum() / totals.sum())
    assert ev["employment"] == emp and ev["basis"] == "measured" and ev["lq"] == engine["lq"]
    assert ev["lq"] == pytest.approx(published_only, rel=0.05) and ev["lq"] < published_only
    assert ev["activities"] == ["16", "17"] and ev["level"] == "division" and ev["complete"] and ev["coarser"] == []
    assert ev["dataset"] == "sbs_r_nuts06_r2" and ev["year"] == 2014 and ev["region"] == "SE31"
    assert ev["verdict"] == "strength" and ev["snapshot"] == world["snapshot"].pk
    assert ev["growth_period"] == world["snapshot"].result["data"]["series"]["years"]
    assert "figures_for" not in ev  # SE31's own figures


def test_evidence_weights_suppressed_and_coarser_codes(world, analysis_result):
    full = services.evidence(analysis_result, [("16", 1.0)])
    half = services.evidence(analysis_result, [("16", 0.5)])
    assert half["employment"] == pytest.approx(full["employment"] / 2)
    assert full["basis"] == "measured" and full["basis_name"] == ""
    sup = services.evidence(analysis_result, [("21", 1.0), ("16", 1.0)])  # 21 is suppressed for SE31
    assert sup["complete"] is False and sup["suppressed"] == ["21"] and sup["basis"] == "estimated"
    assert sup["employment"] is None and sup["lq"] is None  # measured cells only
    # the suppressed cell estimated under the published totals, with the interval they allow
    assert sup["employment_low"] == full["employment"] < sup["employment_estimate"] < sup["employment_high"]
    assert sup["lq_low"] < sup["lq_estimate"] < sup["lq_high"] and sup["lq_low"] >= 1
    assert sup["verdict"] == "strength" and sup["basis_name"] == i18n.t("basis_estimated", services._lang())
    only = services.evidence(analysis_result, [("21", 1.0)])
    assert only["employment"] is None and only["lq"] is None and only["basis"] == "estimated"
    assert only["lq_high"] < 1 and only["verdict"] == "unknown"  # weak is said on measured cells only
    finer = services.evidence(analysis_result, [("16.1", 1.0)])  # the data hold divisions only
    assert finer["activities"] == ["16"] and finer["coarser"] == ["16.1"] and finer["employment"] == full["employment"]
    assert services.evidence(analysis_result, []) == {"available": False, "activities": [], "reason": "no_nace"}
    old = {**analysis_result, "schema_version": "1.3"}
    assert services.evidence(old, [("16", 1.0)])["reason"] == "old_schema"


def test_evidence_pages_show_level_suppression_and_verdict(client, world):
    client.force_login(world["users"]["viewer"])
    s = world["strategy"]
    response = client.get(reverse("area_evidence", args=[s.pk]), {"nace": "21, 16.1"})
    page, ev = response.content.decode(), response.context["ev"]
    assert "21" in page and "16.1" in page and ev["basis"] == "estimated"
    assert f"≈\u00a0{floatformat(ev['lq_estimate'], 2)}" in page  # the estimate with its interval
    assert f"({floatformat(ev['lq_low'], 2)}–{floatformat(ev['lq_high'], 2)})" in page
    assert f"{ev['verdict_name']} ({ev['basis_name']})" in page  # the verdict says it rests on estimates
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
    matched = suggest_codes("Dataspel och spelifiering", "Computer games and gamification")
    assert [x.nace for x in games.activities.all()] == sorted(m["code"] for m in matched)
    assert all(x.nace.startswith("58") for x in games.activities.all()) and games.source_url.startswith("http")
    for x in games.activities.all():  # why each code was matched is kept with it
        m = next(m for m in matched if m["code"] == x.nace)
        assert x.reason["source"] == m["source"] and x.reason["matched_terms"] == list(m["matched_terms"])
        assert x.reason["score"] == pytest.approx(m["score"], abs=1e-4) and "dataspel" in x.reason["matched_terms"]
    # a horizontal theme: no codes, its themes named
    place = world["strategy"].areas.get(name="Attraktion genom hållbar platsutveckling")
    assert not place.activities.exists() and place.themes == ["attractive living environments", "sustainability"]
    ev = services.area_evidence(place)
    assert ev["horizontal"] == place.themes and ev["available"] is False and ev["reason"] == "no_nace"
    # editing an area keeps the reasons of the codes it keeps; a code someone adds has none
    services.set_activities(games, [(x.nace, 1.0) for x in games.activities.all()] + [("62", 0.5)])
    assert games.activities.get(nace="62").reason is None
    assert all(x.reason for x in games.activities.exclude(nace="62"))
    assert services.import_declared_areas(world["strategy"], nuts3=["SE311"]) == []


def test_audit_trail_records_changes(client, world):
    client.force_login(world["users"]["coordinator"])
    s = world["strategy"]
    client.post(reverse("vision_edit", args=[s.pk]), {"vision": "Ny vision", "lock_version": 0})
    event = AuditEvent.objects.filter(model="Strategy").latest("at")
    assert event.user == world["users"]["coordinator"] and event.changes["vision"] == ["", "Ny vision"]


def test_step_status(world):
    state = {s["step"]: s["state"] for s in steps.step_status(world["strategy"])}
    assert state["analysis"] == "started" and state["priorities"] == "started" and state["policy"] == "todo"


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


def test_warm_evidence_computes_every_current_area(world):
    """What the wsgi module runs at start: every current strategy's areas, superseded ones left out."""
    assert services.warm_evidence() == world["strategy"].areas.count() + world["other"].areas.count()
    world["strategy"].status = "superseded"
    world["strategy"].save()
    assert services.warm_evidence() == world["other"].areas.count()
