"""The DuckDB store: atomic imports, idempotent re-imports, versions; and the data API."""

import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest

from smartspec import data
from smartspec.data.store import Store, file_hash
from smartspec.errors import InputError, SmartspecError


def _frame(n=3, value=1.0):
    return pd.DataFrame({"region": [f"R{i}" for i in range(n)], "activity": "C", "year": 2020, "measure": "EMP",
                         "unit": "PER", "value": value, "flag": ""})


def _snapshot(store):
    with store.connect(read_only=True) as con:
        return (con.execute("SELECT count(*) FROM observations").fetchall()[0][0],
                con.execute("SELECT count(*) FROM datasets").fetchall()[0][0])


def test_import_then_reimport_is_noop(fresh_store):
    v, created = fresh_store.import_frame("x", _frame(), file_hash="h1", source="test")
    assert (v, created) == (1, True)
    v, created = fresh_store.import_frame("x", _frame(), file_hash="h1", source="test")
    assert (v, created) == (1, False)
    assert _snapshot(fresh_store) == (3, 1)


def test_new_version_keeps_old(fresh_store):
    fresh_store.import_frame("x", _frame(value=1.0), file_hash="h1")
    fresh_store.import_frame("x", _frame(value=2.0), file_hash="h2")
    assert fresh_store.find("x") == 2
    assert fresh_store.query("x", 1).value.tolist() == [1.0] * 3
    assert fresh_store.query("x", 2).value.tolist() == [2.0] * 3
    assert fresh_store.remove("x", 1) == 1
    assert fresh_store.datasets().version.tolist() == [2]


def test_failed_import_leaves_store_unchanged(fresh_store):
    fresh_store.import_frame("x", _frame(), file_hash="h1")
    before = _snapshot(fresh_store)
    with pytest.raises(SmartspecError, match="interrupted"):
        fresh_store.import_frame("y", _frame(1000), file_hash="h2", _fail_after_rows=True)
    assert _snapshot(fresh_store) == before
    assert fresh_store.find("y") is None


def test_import_killed_halfway_leaves_no_partial_rows(tmp_path):
    """A process killed in the middle of a large import: the store reopens without its rows."""
    path = tmp_path / "store.duckdb"
    Store(path).import_frame("keep", _frame(), file_hash="h0")
    script = textwrap.dedent(f"""
        import numpy as np, pandas as pd, sys
        from smartspec.data.store import Store
        n = 30_000_000
        frame = pd.DataFrame({{"region": np.repeat(["R"], n), "activity": "C", "year": 2020, "measure": "m",
                               "unit": "", "value": np.arange(n, dtype=float), "flag": ""}})
        print("ready", flush=True)
        Store({str(path)!r}).import_frame("big", frame, file_hash="h1")
        print("done", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store(path)
    assert store.find("big") is None
    with store.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations WHERE dataset='big'").fetchall()[0][0] == 0
    assert store.query("keep", 1).shape[0] == 3


def test_mirror_datasets_import_once(data_dir):
    store = Store()
    v1 = data.ensure("nama_10r_3empers", store)
    v2 = data.ensure("nama_10r_3empers", store)
    assert v1 == v2
    meta = store.datasets().set_index("dataset").loc["nama_10r_3empers"]
    expected = file_hash(data_dir / "eurostat/nama_10r_3empers_SE.csv", data_dir / "eurostat/nama_10r_3empers_countries.csv")
    assert meta["file_hash"] == expected and "CC BY 4.0" in meta["licence"]


def test_load_slice(data_dir):
    import csv

    with open(data_dir / "eurostat/nama_10r_3empers_SE.csv") as fh:
        raw = [r for r in csv.DictReader(fh) if (r["geo"], r["nace_r2"], r["time_period"]) == ("SE311", "C", "2017")]
    frame = data.load("nama_10r_3empers", regions=["SE311"], activities=["C"], years=[2017])
    assert len(frame) == 1 and frame.value.iloc[0] == float(raw[0]["obs_value"]) == 16000  # Värmland manufacturing
    gdp = data.load("nama_10r_3gdp", regions="SE311", years=2017)
    assert set(gdp.unit) == {"EUR", "EUR_HAB", "NAC", "PPS_EU27_2020", "PPS_HAB_EU27_2020"}


def test_sbs_matrix_for_swedish_nuts2():
    m = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division",
                    regions=["SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33"])
    assert m.shape == (8, 68)
    assert list(m.index) == ["SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33"]
    assert m.at["SE11", "10"] == 9121 and m.at["SE31", "10"] == 2854
    # suppressed cells stay missing; zero cells stay zero
    assert np.isnan(m.at["SE12", "07"]) and np.isnan(m.at["SE31", "11"])
    assert m.at["SE12", "05"] == 0
    assert m.isna().sum().sum() == 85
    raw = data.load("sbs_r_nuts06_r2", regions=["SE12"], activities=["07"])
    assert raw.flag.iloc[0] == "c_or_na"


def test_matrix_requires_choice_of_unit():
    with pytest.raises(SmartspecError, match="several units"):
        data.matrix("nama_10r_3gdp", year=2017, region_level=3)
    m = data.matrix("nama_10r_3gdp", year=2017, region_level=3, unit="EUR_HAB")
    assert m.shape == (21, 1)


def test_import_user_file_atomic_and_idempotent(tmp_path):
    path = tmp_path / "jobs.csv"
    path.write_text("region,activity,year,value\nSE311,C,2017,31000\nSE311,F,2017,12000\n")
    name, version, created = data.import_file(path, dataset="my_jobs")
    assert (name, created) == ("my_jobs", True)
    assert data.import_file(path, dataset="my_jobs")[2] is False
    bad = tmp_path / "bad.csv"
    bad.write_text("region,activity,year,value\nSE311,C,2017,31000\nSE311,F,2017,n/a\n")
    before = _snapshot(Store())
    with pytest.raises(InputError, match="bad.csv, line 3, column 'value'"):
        data.import_file(bad, dataset="my_jobs")
    assert _snapshot(Store()) == before
