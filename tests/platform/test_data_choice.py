"""Step 1's data choice: a coordinator runs the analysis of Värmland (SE311) on a län × division
dataset imported into the store, and the area pages follow that data."""

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from smartspec.data import Store, import_file
from smartspec.platform.core import services
from smartspec.platform.core.models import Region, RegionRole, Role, Strategy

LAN = ["SE110", "SE121", "SE122", "SE123", "SE124", "SE125", "SE211", "SE212", "SE213", "SE214", "SE221", "SE224",
       "SE231", "SE232", "SE311", "SE312", "SE313", "SE321", "SE322", "SE331", "SE332"]
# employees in a mid-sized län, by NACE division (forestry, food, wood, paper, metal goods, machinery,
# construction, retail, IT services, health)
DIVISIONS = {"02": 900, "10": 1600, "16": 1300, "17": 1100, "25": 2000, "28": 2200, "41": 4500, "47": 5200,
             "62": 3000, "86": 7500}
YEARS = (2021, 2022)
NAME = "test_lan_divisions"


@pytest.fixture
def lan_dataset(tmp_path):
    """21 län × 10 divisions × 2 years of plausible counts, Värmland strong in wood and paper,
    one of Värmland's cells suppressed (empty). Removed from the store afterwards."""
    rng = np.random.default_rng(311)
    rows = []
    for region in LAN:
        size = 6.0 if region == "SE110" else rng.uniform(0.4, 2.5)
        for code, base in DIVISIONS.items():
            boost = 3.0 if region == "SE311" and code in ("16", "17") else 1.0
            for year in YEARS:
                value = round(base * size * boost * rng.uniform(0.9, 1.1) * (1.02 if year == YEARS[1] else 1.0))
                rows.append((region, code, year, None if (region, code, year) == ("SE311", "02", 2022) else value))
    frame = pd.DataFrame(rows, columns=["region", "activity", "year", "value"])
    path = tmp_path / f"{NAME}.csv"
    frame.to_csv(path, index=False)
    name, version, created = import_file(path, dataset=NAME)
    assert created
    try:
        yield name, frame
    finally:
        Store().remove(name, version)


@pytest.fixture
def varmland(world):
    se311 = Region.objects.create(code="SE311", name="Värmlands län")
    strategy = Strategy.objects.create(region=se311, title="S3 Värmland", period_start=2021, period_end=2027)
    RegionRole.objects.create(user=world["users"]["coordinator"], region=se311, role=Role.COORDINATOR)
    return strategy


def test_snapshot_on_a_chosen_dataset_and_the_evidence_follows(client, world, varmland, lan_dataset):
    name, frame = lan_dataset
    strategy = varmland
    client.force_login(world["users"]["coordinator"])
    page = client.get(reverse("analysis", args=[strategy.pk]))
    choices = dict(page.context["run_form"].fields["structure"].choices)
    assert name in choices and "nama_10r_3empers" in choices and "nama_10r_3gdp" not in choices  # GDP is no count
    assert "" in choices  # chosen by coverage, the default

    response = client.post(reverse("run_analysis", args=[strategy.pk]), {"structure": name, "reference": ""}, follow=True)
    assert response.status_code == 200
    snap = strategy.snapshots.get()
    structure = snap.result["data"]["structure"]
    assert structure["dataset"] == name and structure["tier"] == "nuts3" and structure["home"] == "SE311"
    assert structure["year"] == 2022 and structure["level"] == "division" and structure["suppressed_cells"] == 1
    assert f"structure={name}" in snap.result["parameters"]["datasets"]
    assert snap.result["data"]["series"]["dataset"] == "nama_10r_3empers"  # the roles left open: chosen by coverage
    used = {u["role"]: u for u in response.context["data_rows"]}  # the page says which data each role used
    assert (used["structure"]["dataset"], used["structure"]["tier"], used["structure"]["year_label"]) == (name, "nuts3", "2022")
    assert used["series"]["dataset"] == "nama_10r_3empers" and response.context["hidden_pct"] is None  # total = parts

    # an area's evidence page follows the snapshot's data
    area = strategy.areas.create(name="Skog och papper")
    services.set_activities(area, [("16", 1.0), ("17", 1.0)])
    detail = client.get(reverse("area_detail", args=[strategy.pk, area.pk]))
    ev = detail.context["ev"]
    x = frame[frame["year"] == 2022].pivot(index="region", columns="activity", values="value")
    totals = x.sum(axis=1)  # no TOTAL in the file: the sum of the divisions (of the known ones for Värmland)
    own = x.loc["SE311", ["16", "17"]].sum()
    lq = (own / totals["SE311"]) / (x[["16", "17"]].sum().sum() / totals.sum())
    assert ev["dataset"] == name and ev["region"] == "SE311" and ev["year"] == 2022 and ev["level"] == "division"
    assert ev["employment"] == own and ev["lq"] == pytest.approx(lq, rel=1e-12) and ev["verdict"] == "strength"
    assert name in detail.content.decode()

    # the suppressed cell: the data cannot tell
    preview = client.get(reverse("area_evidence", args=[strategy.pk]), {"nace": "02"})
    assert preview.context["ev"]["verdict"] == "unknown" and preview.context["ev"]["suppressed"] == ["02"]


def test_the_form_refuses_data_that_do_not_cover_the_region(client, world, varmland):
    client.force_login(world["users"]["coordinator"])
    for value in ("nama_10r_3gdp", "no_such_dataset"):
        response = client.post(reverse("run_analysis", args=[varmland.pk]), {"structure": value}, follow=True)
        assert response.status_code == 200 and not varmland.snapshots.exists()
    assert services.analysis_datasets("SE311") is None  # chosen by coverage
    chosen = services.analysis_datasets("SE311", "", "sbs_r_nuts06_r2")
    assert chosen[-1] == "reference=sbs_r_nuts06_r2" and chosen[0].startswith("structure=")
