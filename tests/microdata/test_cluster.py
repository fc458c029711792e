"""Spark as users meet it: a standalone cluster (master + worker JVMs) and a Spark Connect server.

``smartspec microdata aggregate`` runs in a child process (``smartspec.cli.main``), as a
user runs it: one Spark session per process, so the local[2] session other tests share
cannot be handed back by ``getOrCreate``. Input and output are local paths, which the
driver and the executor both see because they run on this machine (on a real cluster:
shared or object storage). The outputs must equal DuckDB's as Arrow tables.
"""

import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from smartspec.cli import main
from smartspec.microdata import aggregate
from tests.microdata.sparkcluster import (
    ConnectServer,
    StandaloneCluster,
    free_port,
    master_state,
    spark_env,
)

SUFFIXES = ("", "-patents", "-flows", "-regionflows", "-colocation")
ROWS = 100_000


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory):
    cluster = StandaloneCluster(tmp_path_factory.mktemp("spark-standalone"))
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def connect_server(tmp_path_factory):
    server = ConnectServer(tmp_path_factory.mktemp("spark-connect"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def small(tmp_path_factory):
    """100,000 spell rows and DuckDB's outputs for them."""
    from smartspec.microdata import generate

    root = tmp_path_factory.mktemp("cluster-input")
    generate(root / "md", ROWS, years=(2015, 2022), seed=11)
    aggregate(root / "md", root / "duck.parquet", engine="duckdb")
    return root / "md", root / "duck.parquet"


def run_cli(args, tmp_path, timeout=240):
    """``smartspec.cli.main(args)`` in a child process; returns (exit code, stdout, stderr)."""
    env = spark_env(tmp_path)
    code = "import sys; from smartspec.cli import main; sys.exit(main(sys.argv[1:]))"
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=tmp_path)
    print(f"{' '.join(args[:6])} …: {time.perf_counter() - t0:.1f} s")
    return done.returncode, done.stdout, done.stderr


def assert_same_as_duckdb(duck, out):
    for suffix in SUFFIXES:
        a = pq.read_table(duck.with_name(duck.stem + suffix + ".parquet"))
        b = pq.read_table(out.with_name(out.stem + suffix + ".parquet"))
        assert a.num_rows == b.num_rows > 0, suffix
        assert a.equals(b), suffix


def assert_nothing_written(folder):
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith(("agg", ".agg")))
    assert left == [], left


def test_standalone_cluster_matches_duckdb(small, spark_cluster, tmp_path):
    folder, duck = small
    out = tmp_path / "agg.parquet"
    code, stdout, stderr = run_cli(["microdata", "aggregate", str(folder), "--out", str(out), "--engine", "spark",
                                    "--spark-master", spark_cluster.url, "--spark-partitions", "4"], tmp_path)
    assert code == 0, stderr[-3000:]
    assert "[9/9] done" in stderr and "engine spark" in stderr
    assert_same_as_duckdb(duck, out)
    assert not (tmp_path / ".agg-tmp").exists()
    # the work ran on the cluster: the master lists the finished application with the worker's core
    state = master_state(spark_cluster.webui)
    apps = state["completedapps"] + state["activeapps"]
    assert any(app["name"] == "smartspec" and app["cores"] >= 1 for app in apps), apps


def test_a_lost_worker_fails_clearly_and_writes_nothing(small, spark_cluster, tmp_path):
    """The cluster's only worker (and its executor) dies while the command runs: Spark would
    wait for resources for ever; the command cancels the job after the executor timeout, says
    why in one line and leaves no output.

    After the cluster's other test: it kills the session's worker."""
    folder, _duck = small
    out = tmp_path / "out" / "agg.parquet"
    out.parent.mkdir()
    env = {**spark_env(tmp_path), "SMARTSPEC_SPARK_EXECUTOR_TIMEOUT": "10"}
    code = "import sys; from smartspec.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen([sys.executable, "-c", code, "microdata", "aggregate", str(folder), "--out", str(out),
                             "--engine", "spark", "--spark-master", spark_cluster.url, "--spark-partitions", "4"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    seen = []
    try:
        for line in proc.stderr:  # the work is under way once the second step starts
            seen.append(line)
            if "[2/" in line:
                break
        spark_cluster.services[-1].stop()  # the worker, with its executor (one process group)
        seen.append(proc.stderr.read())
        proc.wait(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = "".join(seen)
    assert any("[2/" in line for line in seen), stderr[-3000:]
    assert proc.returncode == 2, stderr[-3000:]
    last = stderr.strip().splitlines()[-1]
    assert "no executor for 10 s" in last and spark_cluster.url in last and "Traceback" not in stderr, stderr[-3000:]
    assert_nothing_written(out.parent)


def test_spark_connect_matches_duckdb(small, connect_server, tmp_path):
    folder, duck = small
    out = tmp_path / "agg.parquet"
    code, stdout, stderr = run_cli(["microdata", "aggregate", str(folder), "--out", str(out),
                                    "--spark-remote", connect_server.url, "--spark-partitions", "4"], tmp_path)
    assert code == 0, stderr[-3000:]
    assert "engine spark" in stderr
    assert_same_as_duckdb(duck, out)
    assert not (tmp_path / ".agg-tmp").exists()


@pytest.mark.parametrize("option, scheme", [("--spark-master", "spark"), ("--spark-remote", "sc")])
def test_a_closed_port_fails_clearly_and_writes_nothing(hand, tmp_path, capsys, option, scheme):
    url = f"{scheme}://127.0.0.1:{free_port()}"  # nothing listens there
    out = tmp_path / "out" / "agg.parquet"
    out.parent.mkdir()
    t0 = time.perf_counter()
    assert main(["microdata", "aggregate", str(hand), "--out", str(out), "--engine", "spark", option, url]) == 2
    assert time.perf_counter() - t0 < 30
    err = capsys.readouterr().err
    assert url in err and "not reachable" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert_nothing_written(out.parent)


def test_stage_progress_in_classic_mode(spark_engine):
    """``SparkContext.statusTracker`` reports the running stage's task counts while a step runs."""
    from smartspec.microdata.engines import _StageProgress

    lines = []
    watcher = _StageProgress(spark_engine.spark.sparkContext, lines.append, every=0.2)
    watcher.start()
    try:
        spark_engine.spark.range(0, 200, numPartitions=20).selectExpr(
            "java_method('java.lang.Thread', 'sleep', 100L) AS s").collect()
    finally:
        watcher.stop()
    assert any("Spark stage" in line and "/20 tasks" in line for line in lines), lines


def test_remote_and_master_together_are_refused(hand, tmp_path, capsys):
    assert main(["microdata", "aggregate", str(hand), "--out", str(tmp_path / "a.parquet"), "--engine", "duckdb",
                 "--spark-remote", "sc://127.0.0.1:1"]) == 2
    assert "--spark-remote" in capsys.readouterr().err


def test_a_lost_connect_server_fails_clearly_and_writes_nothing(small, connect_server, tmp_path):
    """The Connect server dies while the command runs: one message naming it, no outputs.

    Last in this file: it stops the session's Connect server (saving a second 15 s start)."""
    folder, _duck = small
    server = connect_server
    out = tmp_path / "out" / "agg.parquet"
    out.parent.mkdir()
    code = "import sys; from smartspec.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen([sys.executable, "-c", code, "microdata", "aggregate", str(folder), "--out", str(out),
                             "--spark-remote", server.url, "--spark-partitions", "4"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=spark_env(tmp_path))
    seen = []
    try:
        for line in proc.stderr:  # the work is under way once the second step starts
            seen.append(line)
            if "[2/" in line:
                break
        server.stop()
        seen.append(proc.stderr.read())
        proc.wait(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = "".join(seen)
    assert any("[2/" in line for line in seen), stderr[-3000:]
    assert proc.returncode == 2, stderr[-3000:]
    last = stderr.strip().splitlines()[-1]
    assert server.url in last and "Traceback" not in stderr, stderr[-3000:]
    assert_nothing_written(out.parent)
