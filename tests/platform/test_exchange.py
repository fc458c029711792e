"""A whole strategy as JSON: export, import, revisions and the diff between versions."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from smartspec.cli import main
from smartspec.errors import InputError
from smartspec.platform.core.exchange import export_strategy, import_strategy
from smartspec.platform.core.lifecycle import diff, revise
from smartspec.platform.core.models import Strategy
from smartspec.platform.policy.models import Indicator


@pytest.fixture
def rich(world):
    s, area = world["strategy"], world["area"]
    actor = s.actors.create(name="Paper Province", kind="cluster", nace="17")
    area.organisation = actor
    area.save()
    goal = s.goals.create(title="Fler jobb", rationale="Därför")
    goal.areas.add(area)
    action = area.actions.create(title="Testbädd", start=date(2025, 1, 1), end=date(2026, 12, 31), budget=1000000, lead=actor)
    action.partners.add(actor)
    ind = Indicator.objects.create(strategy=s, name="Företag", action=action, baseline_year=2024, baseline=0)
    ind.targets.create(year=2026, value=10)
    ind.observations.create(year=2025, value=4)
    return world


def _strip(doc):
    doc = json.loads(json.dumps(doc))
    for k in ("exported_at",):
        doc.pop(k)
    doc["strategy"].pop("version")
    for ind in doc["indicators"]:
        for o in ind["observations"]:
            o.pop("recorded_at")
    return doc


def test_round_trip_creates_next_version(rich):
    s = rich["strategy"]
    doc = export_strategy(s)
    assert doc["schema"] == "smartspec-strategy" and doc["schema_version"] == "1.0"
    copy = import_strategy(doc)
    assert copy.version == 2 and copy.region == s.region and Strategy.objects.get(pk=s.pk).version == 1
    assert _strip(export_strategy(copy)) == _strip(doc)


def test_revision_and_diff(rich):
    s = rich["strategy"]
    new = revise(s)
    assert new.status == "revision" and new.version == 2 and s.areas.count() == new.areas.count()
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


def test_bad_documents_store_nothing(rich):
    before = Strategy.objects.count()
    with pytest.raises(InputError, match="not a smartspec-strategy 1.0 document"):
        import_strategy({"schema": "other"})
    doc = export_strategy(rich["strategy"])
    doc["actions"][0]["area"] = "area-999"  # a dangling reference
    with pytest.raises(KeyError):
        import_strategy(doc)
    assert Strategy.objects.count() == before


def test_web_versions_diff_and_import(client, rich):
    s = rich["strategy"]
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
    client.force_login(rich["users"]["other_coordinator"])  # coordinator of SE12, not SE31
    upload = SimpleUploadedFile("s.json", export, content_type="application/json")
    assert client.post(reverse("strategy_import"), {"file": upload}).status_code == 403
    assert Strategy.objects.filter(region=s.region).count() == 3


@pytest.mark.django_db(transaction=True)
def test_cli_export_and_import(rich, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["strategy", "export", "SE31", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["region"]["code"] == "SE31"
    assert main(["strategy", "import", str(out)]) == 0
    assert "as version 2" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["strategy", "import", str(bad)]) == 2
    assert "bad.json: not a readable JSON file" in capsys.readouterr().err
