"""Evaluation cycles that revise the strategy, the self-assessment per version, monitoring exports and report."""

import csv
import io
import subprocess

import openpyxl
from django.urls import reverse

from smartspec.platform.core.models import RegionRole, Role, Strategy
from smartspec.platform.policy.models import WHEEL, Indicator
from tests.platform.conftest import make_user


def test_evaluator_records_findings_and_coordinator_revises(client, world):
    s = world["strategy"]
    Strategy.objects.filter(pk=s.pk).update(status="adopted")  # evaluated: the adopted version
    s.refresh_from_db()
    evaluator = make_user("evaluator")
    RegionRole.objects.create(user=evaluator, region=world["se31"], role=Role.EVALUATOR)
    ind = Indicator.objects.create(strategy=s, name="Sysselsatta", area=world["area"])
    client.force_login(evaluator)
    r = client.post(reverse("evaluations", args=[s.pk]), {"title": "Utvärdering av Paper Province", "subject": "strategy"})
    ev = s.evaluations.get()
    assert r.status_code == 302
    r = client.post(reverse("evaluation", args=[s.pk, ev.pk]), {"kind": "finding", "text": "Sysselsättningen minskar",
                                                                 "indicators": [ind.pk],
                                                                 "consultations": [world["consultation"].pk]})
    assert r.status_code == 302
    entry = ev.entries.get()
    assert list(entry.indicators.all()) == [ind] and entry.author == evaluator
    # the evaluator may not decide; the coordinator's decision makes a new version
    assert client.post(reverse("evaluation_decide", args=[s.pk, ev.pk]), {"decision": "x"}).status_code == 403
    client.force_login(world["users"]["coordinator"])
    r = client.post(reverse("evaluation_decide", args=[s.pk, ev.pk]), {"decision": "Skärp områdets fokus"})
    ev.refresh_from_db()
    assert ev.revision is not None and ev.revision.version == 2 and ev.revision.status == "draft" and ev.revision.parent == s
    assert Strategy.objects.get(pk=s.pk).version == 1  # the old version is kept
    assert r["Location"].endswith(f"/s/{ev.revision.pk}/versions/")
    # a decided evaluation takes no more entries
    assert client.post(reverse("evaluation", args=[s.pk, ev.pk]), {"kind": "lesson", "text": "sen"}).status_code == 403


def test_self_assessment_per_version_with_radar(client, world):
    s = world["strategy"]
    client.force_login(world["users"]["coordinator"])
    scores = {f: 2 for _, factors in WHEEL for f in factors}
    assert client.post(reverse("assessment", args=[s.pk]), scores).status_code == 302
    Strategy.objects.filter(pk=s.pk).update(status="adopted")  # a revision starts from an adopted version
    new = client.post(reverse("revise", args=[s.pk]))
    v2 = Strategy.objects.get(region=s.region, version=2)
    assert client.post(reverse("assessment", args=[v2.pk]), {**scores, "roadmap": 5}).status_code == 302
    page = client.get(reverse("assessment", args=[v2.pk]))
    series = {row["series"] for row in page.context["radar"]["data"][0]["values"]}
    assert series == {"v1", "v2"} and new.status_code == 302
    assert v2.assessments.get().scores["roadmap"] == 5 and s.assessments.get().scores["roadmap"] == 2
    bad = client.post(reverse("assessment", args=[s.pk]), {**scores, "roadmap": 9})
    assert bad.status_code == 302 and s.assessments.count() == 1


def test_monitoring_exports_and_report(client, world, tmp_path):
    s = world["strategy"]
    ind = Indicator.objects.create(strategy=s, name="=cmd|' /C calc'!A0", baseline_year=2020, baseline=10)
    ind.targets.create(year=2026, value=20)
    ind.observations.create(year=2024, value=16)  # planned 16.67: progress 0.9
    client.force_login(world["users"]["viewer"])
    body = client.get(reverse("monitoring_export", args=[s.pk, "csv"])).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))  # Swedish Excel's CSV (the default language)
    assert rows[0]["name"].startswith("'=") and rows[0]["status"] == "on_track" and rows[0]["actuals"] == "2024: 16"
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("monitoring_export", args=[s.pk, "xlsx"])).content))
    assert book["indicators"]["A2"].value.startswith("'=")
    html = client.get(reverse("monitoring_export", args=[s.pk, "html"])).content.decode()
    assert "<svg" in html and "S3 SE31" in html and "Sysselsatta" not in html
    pdf = client.get(reverse("monitoring_export", args=[s.pk, "pdf"])).content
    path = tmp_path / "m.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "calc" in text and ("on track" in text or "enligt plan" in text)
