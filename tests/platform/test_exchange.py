"""A whole strategy as JSON: export, import, revisions and the diff between versions."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from smartspec.cli import main
from smartspec.errors import InputError
from smartspec.platform.core.exchange import export_strategy, import_strategy, restore
from smartspec.platform.core.lifecycle import diff, revise
from smartspec.platform.core.models import Strategy
from smartspec.platform.edp import services as edp
from smartspec.platform.edp.models import (
    Candidate,
    Comment,
    Consultation,
    Response,
    Score,
)
from smartspec.platform.policy.models import Assessment, Evaluation, Indicator


@pytest.fixture
def rich(world):
    """The world's strategy with every kind of object the export carries."""
    s, area, users, snap = world["strategy"], world["area"], world["users"], world["snapshot"]
    users["stakeholder"].email = "anna@paper.example"
    users["stakeholder"].save()
    actor = s.actors.create(name="Paper Province", kind="cluster", nace="17", contact_email="anna@paper.example")
    uni = s.actors.create(name="Karlstads universitet", kind="academia")
    area.organisation = actor
    area.save()
    area2 = s.areas.create(name="Digitalisering", kind="enabling", themes=["digitalisation"], evidence_snapshot=snap)
    body = s.bodies.create(name="Styrgrupp", kind="steering", mandate="Leder")
    body.members.create(person="Eva", actor=uni, role="ordförande")
    body.meetings.create(date=date(2025, 3, 1), minutes="Protokoll", decisions="Beslut")
    body.meetings.create(date=date(2025, 5, 1), minutes="Protokoll 2")
    area2.steering_group = body
    area2.save()
    goal = s.goals.create(title="Fler jobb", rationale="Därför")
    goal.areas.add(area, area2)
    action = area.actions.create(title="Testbädd", start=date(2025, 1, 1), end=date(2026, 12, 31), budget=1000000, lead=actor)
    action.partners.add(actor, uni)
    action.milestones.create(title="Öppnad", due=date(2025, 6, 1), done=True)
    ind = Indicator.objects.create(strategy=s, name="Företag", action=action, baseline_year=2024, baseline=0)
    ind.targets.create(year=2026, value=10)
    ind.observations.create(year=2025, value=4)
    Indicator.objects.create(strategy=s, name="Sysselsättning", area=area, goal=goal, kind="context")
    s.swot.create(kind="S", text="Skog", source="SCB")
    doc = s.documents.create(title="Utvärdering 2024", url="https://example.org/u.pdf", year=2024)
    c = world["consultation"]
    crit = list(c.criteria.all())
    cands = [c.candidates.get(), Candidate.objects.create(consultation=c, name="Turism")]
    for user, base in ((users["stakeholder"], 4), (users["area_lead"], 2)):
        r = Response.objects.create(consultation=c, user=user)
        for k, cand in enumerate(cands):
            for j, cr in enumerate(crit):
                Score.objects.create(response=r, candidate=cand, criterion=cr, value=base + (k + j) % 2)
        Comment.objects.create(response=r, candidate=cands[0], text=f"Bra, säger {user.username}")
    edp.decide(c, users["coordinator"], "Skog väljs", [cands[0].pk], evidence=snap)
    Consultation.objects.create(strategy=s, title="Andra omgången", description="Utkast")
    ev = Evaluation.objects.create(strategy=s, title="Halvtid", subject="area", area=area, organisation=actor,
                                   decision="Fortsätt", decided_at=timezone.now(), decided_by=users["coordinator"])
    e = ev.entries.create(kind="finding", text="Fler företag", author=users["area_lead"])
    e.indicators.add(ind)
    e.documents.add(doc)
    e.consultations.add(c)
    ev.entries.create(kind="lesson", text="Tidigare dialog")
    ev.entries.create(kind="recommendation", text="Mer testbäddar", author=users["coordinator"])
    Assessment.objects.create(strategy=s, created_by=users["coordinator"], scores={"regional_assets": 3, "roadmap": 2})
    return world


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English."""
    with translation.override("en"):
        yield


def _strip(doc):
    """What a round trip may change, documented as such: the export time and the version number."""
    doc = json.loads(json.dumps(doc))
    doc.pop("exported_at")
    doc["strategy"].pop("version")
    return doc


def test_round_trip_restores_everything(rich):
    s = rich["strategy"]
    doc = export_strategy(s)
    assert doc["schema"] == "smartspec-strategy" and doc["schema_version"] == "2.0"
    assert all(doc[k] for k in ("actors", "bodies", "snapshots", "areas", "goals", "swot", "documents", "actions",
                                "indicators", "consultations", "evaluations", "assessments"))
    c = doc["consultations"][1]  # the older one (newest first)
    assert [r["user"] for r in c["responses"]] == ["stakeholder", "area_lead"]
    assert c["responses"][0]["organisation_kind"] == "cluster" and len(c["responses"][0]["scores"]) == 4
    assert c["decision"]["decided_by"] == "coordinator" and c["decision"]["evidence"] == "snapshot-1"
    assert c["decision"]["chosen"] == [c["candidates"][0]["key"]] 
    assert {r["name"]: r["area"] for r in c["decision"]["results"]} == {"Skoglig bioekonomi": "area-2", "Turism": None}
    assert doc["areas"][1]["evidence_snapshot"] == "snapshot-1" and doc["areas"][1]["leads"] == ["area_lead"]
    entry = next(e for e in doc["evaluations"][0]["entries"] if e["kind"] == "finding")
    assert entry["indicators"] and entry["documents"] == ["document-1"] and entry["consultations"] == [c["key"]]
    before = get_user_model().objects.count()
    result = restore(doc)
    copy = result.strategy
    assert copy.version == 2 and copy.region == s.region and Strategy.objects.get(pk=s.pk).version == 1
    assert result.notes == [] and get_user_model().objects.count() == before
    snap = copy.areas.get(name="Skoglig bioekonomi").evidence_snapshot  # the copy's own snapshot
    assert snap.strategy == copy and snap.created_at == rich["snapshot"].created_at and snap.pk != rich["snapshot"].pk
    assert _strip(export_strategy(copy)) == _strip(doc)


def test_snapshots_travel_to_another_server(rich):
    doc = export_strategy(rich["strategy"], include_snapshots=True)
    assert doc["snapshots"][0]["result"] == rich["snapshot"].result and doc["snapshots"][0]["own"] is True
    doc["snapshots"][0]["created_at"] = "2020-01-01T00:00:00+00:00"  # as if this server did not have it
    copy = import_strategy(doc)
    snap = copy.areas.get(name="Skoglig bioekonomi").evidence_snapshot
    assert snap.strategy == copy and snap.result == rich["snapshot"].result and snap.pk != rich["snapshot"].pk
    assert copy.consultations.get(title="Val av områden").decision.evidence == snap
    again = export_strategy(copy, include_snapshots=True)
    assert _strip(again) == _strip(doc)
    doc["snapshots"][0].pop("result")
    doc["snapshots"][0]["created_at"] = "2019-01-01T00:00:00+00:00"
    result = restore(doc)
    assert result.strategy.areas.get(name="Skoglig bioekonomi").evidence_snapshot is None
    assert any("snapshots[0]" in n and "not on this server" in n for n in result.notes)


def test_unknown_users_are_left_empty_and_reported(rich):
    doc = export_strategy(rich["strategy"])
    text = json.dumps(doc).replace('"area_lead"', '"ghost"').replace('"coordinator"', '"nobody"')
    before = get_user_model().objects.count()
    result = restore(json.loads(text), rich["users"]["admin"])
    assert get_user_model().objects.count() == before
    c = result.strategy.consultations.get(title="Val av områden")
    assert [r.user.username for r in c.responses.all()] == ["stakeholder"]  # ghost's response cannot be stored
    assert c.decision.decided_by.username == "admin"  # the importer stands in, and it is said
    notes = "\n".join(result.notes)
    assert "responses[1]" in notes and "'nobody' is not a user here; recorded as admin" in notes
    assert "no user 'ghost' on this server" in notes and "areas[1].leads[0]" in notes
    assert not result.strategy.areas.get(name="Skoglig bioekonomi").leads.exists()


def test_anonymised_export(rich):
    doc = export_strategy(rich["strategy"], anonymise=True)
    text = json.dumps(doc, ensure_ascii=False)
    for user in rich["users"].values():
        assert f'"{user.username}"' not in text
    assert "@" not in text and doc["anonymised"] is True
    c = doc["consultations"][1]
    assert [(r["user"], r["organisation_kind"]) for r in c["responses"]] == [("respondent 1", "cluster"),
                                                                         ("respondent 2", None)]
    assert c["invited"] == ["respondent 1", "respondent 2"] and c["decision"]["decided_by"] is None
    assert export_strategy(rich["strategy"], anonymise=True)["consultations"] == doc["consultations"]  # stable
    result = restore(doc, rich["users"]["coordinator"])
    copy = result.strategy.consultations.get(title="Val av områden")
    assert not copy.responses.exists() and copy.decision.decided_by == rich["users"]["coordinator"]
    assert sum("anonymised response" in n for n in result.notes) == 2


def test_older_files_still_import(world):
    doc = json.loads((FIXTURES / "strategy-1.0.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] == "1.0"
    s = import_strategy(doc)
    assert s.version == 2 and s.status == "draft"
    assert s.areas.count() == 2 and s.actors.count() == 2 and s.documents.count() == 1
    assert s.bodies.get().meetings.count() == 2 and s.indicators.count() == 2
    assert s.areas.get(name="Skoglig bioekonomi").organisation.name == "Paper Province"
    assert Indicator.objects.get(strategy=s, name="Företag").observations.get().value == 4
    assert export_strategy(s)["schema_version"] == "2.0"


@pytest.mark.parametrize("path, change, message", [
    ("actions.0", {"area": "area-999"}, r"^actions\[0\]: unknown area 'area-999'$"),
    ("actions.0", {"partners": ["actor-1", "actor-7"]}, r"^actions\[0\]\.partners\[1\]: unknown actor 'actor-7'"),
    ("actions.0.milestones.0", {"due": "soon"}, r"^actions\[0\]\.milestones\[0\]: due: .*date"),
    ("consultations.1.responses.0.scores.1", {"candidate": "X"},
     r"^consultations\[1\]\.responses\[0\]\.scores\[1\]: unknown candidate 'X'$"),
    ("consultations.1.responses.0.scores.0", {"value": 9}, r"^consultations\[1\]\.responses\[0\]\.scores\[0\]: a score"),
    ("consultations.1", {"status": "maybe"}, r"^consultations\[1\]: status: 'maybe' is not one of draft"),
    ("evaluations.0.entries.0", {"indicators": ["indicator-9"]}, r"evaluations\[0\]\.entries\[0\]\.indicators\[0\]"),
    ("goals.0", {"title": None}, r"^goals\[0\]: 'title' must not be empty"),
    ("areas.0.activities.0", {"nace": "ZZ"}, r"^areas\[1\]\.activities\[0\]: "),
])
def test_bad_documents_store_nothing(rich, path, change, message):
    doc = export_strategy(rich["strategy"])
    parts = path.split(".")
    if parts[:2] == ["areas", "0"]:
        parts[1] = "1"  # the area with activities
    item = doc
    for p in parts:
        item = item[int(p)] if p.isdigit() else item[p]
    item.update(change)
    before = {m: m.objects.count() for m in (Strategy, Indicator, Response, Evaluation)}
    with pytest.raises(InputError, match=message):
        import_strategy(doc)
    assert before == {m: m.objects.count() for m in before}


def test_not_a_strategy_document(db):
    with pytest.raises(InputError, match="not a smartspec-strategy document"):
        import_strategy({"schema": "other"})
    with pytest.raises(InputError, match="not a smartspec-strategy document"):
        import_strategy({"schema": "smartspec-strategy", "schema_version": "3.0", "region": {}, "strategy": {}})
    with pytest.raises(InputError, match="^region: missing 'code'"):
        import_strategy({"schema": "smartspec-strategy", "schema_version": "2.0", "region": {}, "strategy": {}})


def test_revision_and_diff(rich):
    s = rich["strategy"]
    Strategy.objects.filter(pk=s.pk).update(status="adopted")  # a revision starts from an adopted version
    s.refresh_from_db()
    new = revise(s)
    assert new.version == 2 and s.areas.count() == new.areas.count()
    area = new.areas.get(name="Skoglig bioekonomi")
    area.description = "Skärpt fokus"
    area.save()
    new.areas.create(name="Solel")
    new.goals.get().delete()
    d = diff(export_strategy(s), export_strategy(new))
    assert d["areas"]["added"] == ["Solel"] and d["areas"]["dropped"] == []
    assert d["areas"]["changed"]["Skoglig bioekonomi"] == {"description": ["", "Skärpt fokus"]}
    assert d["goals"]["dropped"] == ["Fler jobb"]
    assert d["actions"] == {"added": [], "dropped": [], "changed": {}}


def test_web_versions_diff_and_import(client, rich):
    s = rich["strategy"]
    Strategy.objects.filter(pk=s.pk).update(status="adopted")
    s.refresh_from_db()
    client.force_login(rich["users"]["coordinator"])
    response = client.post(reverse("revise", args=[s.pk]))
    new = Strategy.objects.get(region=s.region, version=2)
    assert response.status_code == 302 and response["Location"].endswith(f"/s/{new.pk}/")
    new.areas.create(name="Solel")
    page = client.get(reverse("versions", args=[new.pk]))
    assert page.status_code == 200 and page.context["changes"]["areas"]["added"] == ["Solel"]
    export = client.get(reverse("strategy_export", args=[s.pk])).content
    upload = SimpleUploadedFile("s.json", export, content_type="application/json")
    assert client.post(reverse("strategy_import"), {"file": upload}).status_code == 302
    assert Strategy.objects.filter(region=s.region).count() == 3
    anonymous = client.get(reverse("strategy_export", args=[s.pk]) + "?anonymise=1")
    assert "anonymised" in anonymous["Content-Disposition"] and b'"stakeholder"' not in anonymous.content
    upload = SimpleUploadedFile("s.json", anonymous.content, content_type="application/json")
    response = client.post(reverse("strategy_import"), {"file": upload}, follow=True)
    notes = [str(m) for m in response.context["messages"]]
    assert any("consultations[1].responses[0]: " in n for n in notes) and Strategy.objects.filter(region=s.region).count() == 4
    client.force_login(rich["users"]["other_coordinator"])  # coordinator of SE12, not SE31
    upload = SimpleUploadedFile("s.json", export, content_type="application/json")
    assert client.post(reverse("strategy_import"), {"file": upload}).status_code == 403
    assert Strategy.objects.filter(region=s.region).count() == 4


@pytest.mark.django_db(transaction=True)
def test_cli_export_and_import(rich, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["strategy", "export", "SE31", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["region"]["code"] == "SE31"
    assert main(["strategy", "import", str(out)]) == 0
    assert "as version 2" in capsys.readouterr().out
    assert main(["strategy", "export", "SE31", "--out", str(out), "--anonymise", "--snapshots"]) == 0
    doc = json.loads(out.read_text())
    assert doc["anonymised"] and doc["snapshots"][0]["result"] and '"stakeholder"' not in out.read_text()
    assert main(["strategy", "import", str(out), "--user", "coordinator"]) == 0
    printed = capsys.readouterr().out
    assert "as version 3" in printed and "note: consultations[1].responses[0]: an anonymised response" in printed
    assert main(["strategy", "import", str(out), "--user", "ghost"]) == 2
    assert "--user: no user 'ghost'" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["strategy", "import", str(bad)]) == 2
    assert "bad.json: not a readable JSON file" in capsys.readouterr().err

