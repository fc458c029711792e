"""Step 1 in the platform: a coordinator runs the analysis with an uploaded job-flow table."""

import io

import pandas as pd
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from smartspec.platform.core.models import AuditEvent
from tests.platform.conftest import client_for


def _flows_csv() -> bytes:
    # moves within and between wood (16), paper (17) and machinery (28), as in the UK ASHE flow file's layout
    rows = [("1610", "1610", 40), ("1610", "1711", 12), ("1711", "1610", 10), ("1711", "1712", 30),
            ("2811", "2812", 25), ("2812", "1610", 2), ("1712", "2811", 1)]
    buf = io.StringIO()
    pd.DataFrame(rows, columns=["StartIndst", "FinalIndst", "Counts"]).to_csv(buf, index=False)
    return buf.getvalue().encode()


def test_snapshot_with_uploaded_flows(client, world):
    client = client_for(client, world, "coordinator")
    strategy = world["strategy"]
    before = strategy.snapshots.count()
    upload = SimpleUploadedFile("flows.csv", _flows_csv(), content_type="text/csv")
    response = client.post(reverse("run_analysis", args=[strategy.pk]), {"relatedness": upload}, follow=True)
    assert response.status_code == 200
    assert strategy.snapshots.count() == before + 1
    snap = strategy.snapshots.first()
    assert snap.result["parameters"]["relatedness"] == "skill-relatedness from 120 job moves in flows.csv"
    assert snap.result["sections"]["relatedness"]["relatedness_info"]["kind"] == "flows"
    assert "skill-relatedness from 120 job moves" in response.content.decode()
    assert AuditEvent.objects.filter(action="create", summary__contains="analysis snapshot").exists()


def test_a_bad_upload_is_refused_with_its_name(client, world):
    client = client_for(client, world, "coordinator")
    strategy = world["strategy"]
    before = strategy.snapshots.count()
    for name, body, expected in [("flows.xlsx", b"PK", "expected a .csv or .parquet file"),
                                 ("flows.csv", b"a,b,c\n1,2,3\n", "flows.csv")]:
        upload = SimpleUploadedFile(name, body, content_type="text/csv")
        response = client.post(reverse("run_analysis", args=[strategy.pk]), {"relatedness": upload}, follow=True)
        assert expected in response.content.decode()
    assert strategy.snapshots.count() == before


def test_viewers_cannot_run_it(client, world):
    client = client_for(client, world, "viewer")
    upload = SimpleUploadedFile("flows.csv", _flows_csv(), content_type="text/csv")
    response = client.post(reverse("run_analysis", args=[world["strategy"].pk]), {"relatedness": upload})
    assert response.status_code in (302, 403)
    assert world["strategy"].snapshots.count() == 1
