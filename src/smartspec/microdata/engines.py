"""Two engines, one SQL: DuckDB (embedded, the default) and Spark (PySpark).

The aggregations in :mod:`smartspec.microdata.aggregate` are plain SQL that both
engines run unchanged. An engine only knows how to expose a microdata table or
a small lookup frame as a view, keep an intermediate result, and hand a query's
result back as an Arrow table.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import duckdb

from smartspec.errors import SmartspecError
from smartspec.microdata.schema import TABLES, Source

ENGINES = ("duckdb", "spark")


@contextmanager
def _engine_errors(engine: str, errors):
    """The engine's own errors (a damaged file, a bad setting) as one clear message, no traceback."""
    try:
        yield
    except errors as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]
        keep = [lines[0]] + [line for line in lines[1:] if line.startswith(("file =", "Original Line", "Error when"))]
        raise SmartspecError(f"{engine}: " + "; ".join(keep)) from None


def _literal(text) -> str:
    """A SQL string literal (a path with a quote in it stays one string)."""
    return "'" + str(text).replace("'", "''") + "'"


def _projection(source: Source) -> str:
    return ", ".join(f"CAST({name} AS {kind}) AS {name}" for name, kind in TABLES[source.table])


class DuckDBEngine:
    """DuckDB reading Parquet/CSV in place (streaming, spilling to ``temp_dir``)."""

    name = "duckdb"

    def __init__(self, *, memory_limit: str | None = None, threads: int | None = None, temp_dir=None):
        self._errors = duckdb.Error
        self.con = duckdb.connect()
        with _engine_errors("DuckDB", self._errors):
            self._settings(memory_limit, threads, temp_dir)

    def _settings(self, memory_limit, threads, temp_dir) -> None:
        if memory_limit:
            self.con.execute(f"SET memory_limit = {_literal(memory_limit)}")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if temp_dir:
            Path(temp_dir).mkdir(parents=True, exist_ok=True)
            self.con.execute(f"SET temp_directory = {_literal(Path(temp_dir).as_posix())}")
        self.con.execute("SET preserve_insertion_order = false")

    def read(self, source: Source) -> None:
        hive = "true" if source.hive else "false"
        if source.fmt == "parquet":
            scan = f"read_parquet({_literal(source.glob)}, hive_partitioning = {hive}, union_by_name = true)"
        else:
            types = ", ".join(f"'{n}': 'VARCHAR'" for n, k in TABLES[source.table] if k == "STRING")
            scan = (f"read_csv({_literal(source.glob)}, header = true, hive_partitioning = {hive}, "
                    f"union_by_name = true, types = {{{types}}})")
        with _engine_errors("DuckDB", self._errors):
            self.con.execute(f"CREATE OR REPLACE VIEW {source.table} AS SELECT {_projection(source)} FROM {scan}")

    def frame(self, view: str, df) -> None:
        self.con.register(f"_{view}_df", df)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT * FROM _{view}_df")

    def keep(self, view: str, sql: str) -> None:
        with _engine_errors("DuckDB", self._errors):
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {view} AS {sql}")

    def arrow(self, sql: str):
        with _engine_errors("DuckDB", self._errors):
            return self.con.sql(sql).to_arrow_table()

    def close(self) -> None:
        self.con.close()


def _endpoints(url: str, default_port: int) -> list[tuple[str, int]]:
    """``host:port`` pairs of ``spark://h1:7077,h2:7077`` or ``sc://host:15002/;token=…``."""
    rest = url.split("://", 1)[1].split("/", 1)[0].split(";", 1)[0]
    pairs = []
    for part in filter(None, rest.split(",")):
        host, sep, port = part.rpartition(":")
        if not sep or host.count(":") and not host.endswith("]"):  # no port, or a bare IPv6 address
            host, port = part, ""
        pairs.append((host.strip("[]"), int(port) if port.isdigit() else default_port))
    return pairs


def _reachable(url: str, what: str, default_port: int, timeout: float = 5.0) -> None:
    """Fail at once, naming ``url``, when none of its endpoints accepts a connection (instead of
    Spark's own retries: a minute for a standalone master, up to ten for Spark Connect)."""
    failures = []
    for host, port in _endpoints(url, default_port):
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            return
        except OSError as exc:
            failures.append(f"{host}:{port} ({exc.strerror or exc})")
    raise SmartspecError(f"Spark {what} {url} is not reachable: cannot connect to {', '.join(failures)}; "
                         f"is the cluster running and the address right?")


def _loopback(url: str) -> bool:
    return all(host in ("127.0.0.1", "localhost", "::1") for host, _ in _endpoints(url, 0))


class _StageProgress(threading.Thread):
    """Reports the running Spark stages' task counts (classic mode: ``SparkContext.statusTracker``)
    every few seconds while a step runs, e.g. ``  Spark stage 12: 37/200 tasks (2 running)``."""

    def __init__(self, sc, progress, every: float = 3.0):
        super().__init__(name="smartspec-spark-progress", daemon=True)
        self.tracker, self.progress, self.every = sc.statusTracker(), progress, every
        self.stopped = threading.Event()
        self._last = None

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                stages = [self.tracker.getStageInfo(i) for i in sorted(self.tracker.getActiveStageIds())]
                parts = [f"stage {s.stageId}: {s.numCompletedTasks}/{s.numTasks} tasks ({s.numActiveTasks} running)"
                         for s in stages if s is not None]
            except Exception:  # the context is stopping or gone: nothing to report
                return
            line = "  Spark " + "; ".join(parts) if parts else None
            if line and line != self._last:
                self.progress(line)
            self._last = line

    def stop(self) -> None:
        self.stopped.set()


class _ExecutorWatch(threading.Thread):
    """Cancels the running jobs when a cluster has had no executor for ``timeout`` seconds
    (its workers died or left): Spark itself would wait for resources for ever."""

    def __init__(self, sc, where: str, timeout: float, every: float = 2.0):
        super().__init__(name="smartspec-spark-executors", daemon=True)
        self.sc, self.where, self.timeout, self.every = sc, where, timeout, every
        self.stopped = threading.Event()
        self.lost = False

    def executors(self) -> int:
        return self.sc._jsc.sc().getExecutorMemoryStatus().size() - 1  # the driver is listed too

    def run(self) -> None:
        since = time.monotonic()
        while not self.stopped.wait(self.every):
            try:
                if self.executors() > 0:
                    since = time.monotonic()
                elif time.monotonic() - since > self.timeout:
                    self.lost = True
                    self.sc.cancelAllJobs()
                    return
            except Exception:  # the context is stopping or gone
                return

    @property
    def message(self) -> str:
        return (f"{self.where}: no executor for {self.timeout:.0f} s (the cluster's workers died or left), so the "
                "job was cancelled and nothing was written; check the workers and run the command again")

    def stop(self) -> None:
        self.stopped.set()


#: Seconds a cluster may have no executor before the job is cancelled (SMARTSPEC_SPARK_EXECUTOR_TIMEOUT).
EXECUTOR_TIMEOUT = 120


class SparkEngine:
    """Spark SQL, in local mode (``local[*]``), on a cluster (``spark://host:7077``, ``yarn`` …)
    or through a Spark Connect server (``remote="sc://host:15002"``)."""

    name = "spark"

    def __init__(self, *, master: str | None = None, remote: str | None = None, memory: str = "4g",
                 partitions: int | None = None, temp_dir=None, progress=None):
        try:
            from pyspark.sql import (
                SparkSession,  # lazy: optional extra, ~60 ms at import
            )
        except ImportError:
            raise SmartspecError("the Spark engine needs PySpark: pip install 'smartspec[spark]' "
                                 "(and Java 17 or newer)") from None
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        remote = remote or (None if master else os.environ.get("SMARTSPEC_SPARK_REMOTE"))
        if remote and master:
            raise SmartspecError("give either a Spark master (--spark-master) or a Spark Connect URL "
                                 "(--spark-remote), not both")
        self._progress_thread = None
        self._watch = None
        self._kept: list = []
        self.remote = remote
        if remote:
            self._connect(SparkSession, remote, partitions)
            return
        master = master or os.environ.get("SMARTSPEC_SPARK_MASTER") or "local[*]"
        self.where = f"Spark on {master}"
        local = master.startswith("local")
        if master.startswith("spark://"):
            _reachable(master, "master", 7077)
        if local:
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (SparkSession.builder.master(master).appName("smartspec")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                   .config("spark.sql.shuffle.partitions", str(partitions or (8 if local else 200)))
                   .config("spark.driver.memory", memory))
        if local or (master.startswith("spark://") and _loopback(master)):
            builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        if temp_dir and local:  # a cluster's workers use their own SPARK_LOCAL_DIRS
            builder = builder.config("spark.local.dir", str(temp_dir))
        try:
            self.spark = builder.getOrCreate()
        except Exception as exc:  # Java missing or the cluster unreachable
            raise SmartspecError(f"Spark did not start on {master}: {_first_line(exc)}") from None
        sc = self.spark.sparkContext
        if sc.master != master:  # getOrCreate handed back this process's session on another master
            raise SmartspecError(f"this process already runs a Spark session on {sc.master}; "
                                 f"stop it before using {master}")
        sc.setLogLevel("ERROR")
        if not local:
            timeout = float(os.environ.get("SMARTSPEC_SPARK_EXECUTOR_TIMEOUT", EXECUTOR_TIMEOUT))
            self._watch = _ExecutorWatch(sc, self.where, timeout)
            self._watch.start()
        if progress:
            self._progress_thread = _StageProgress(sc, progress)
            self._progress_thread.start()

    def _connect(self, SparkSession, remote: str, partitions) -> None:
        self.where = f"Spark Connect at {remote}"
        if not remote.startswith("sc://"):
            raise SmartspecError(f"a Spark Connect URL looks like sc://host:15002, not {remote!r}")
        _reachable(remote, "Connect server", 15002)
        try:
            builder = SparkSession.builder.remote(remote).config("spark.sql.session.timeZone", "UTC")
            if partitions:
                builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
            self.spark = builder.getOrCreate()
        except ImportError as exc:
            raise SmartspecError(f"Spark Connect needs its client libraries ({exc}): "
                                 "pip install 'smartspec[spark]'") from None
        except Exception as exc:
            raise SmartspecError(f"Spark Connect at {remote} did not answer: {_first_line(exc)}") from None
        try:  # a dead server fails within about a minute instead of Spark's ten
            from pyspark.sql.connect.client.retries import DefaultPolicy

            self.spark.client.set_retry_policies([DefaultPolicy(max_retries=6)])
        except (ImportError, AttributeError):
            pass

    def read(self, source: Source) -> None:
        with self._errors():
            reader = self.spark.read
            if source.fmt == "parquet":
                df = reader.option("mergeSchema", "true").parquet(str(source.path))
            else:
                strings = [n for n, k in TABLES[source.table] if k == "STRING"]
                df = reader.option("header", "true").option("inferSchema", "false").csv(str(source.path))
                df = df.select(*[df[c].cast("string") if c in strings else df[c] for c in df.columns])
            df.createOrReplaceTempView(f"_{source.table}_raw")
            self.spark.sql(f"SELECT {_projection(source)} FROM _{source.table}_raw").createOrReplaceTempView(
                source.table)

    def frame(self, view: str, df) -> None:
        schema = ", ".join(f"{c} string" for c in df.columns)
        rows = [tuple(map(str, r)) for r in df.itertuples(index=False)]
        with self._errors():
            self.spark.createDataFrame(rows, schema=schema).createOrReplaceTempView(view)

    def keep(self, view: str, sql: str) -> None:
        with self._errors():
            df = self.spark.sql(sql).persist()
            df.count()
            df.createOrReplaceTempView(view)
        self._kept.append(df)

    def arrow(self, sql: str):
        with self._errors():
            return self.spark.sql(sql).toArrow()

    @contextmanager
    def _errors(self):
        """Spark's errors as one message; a job cancelled for lost executors says so."""
        try:
            with _engine_errors(self.where, Exception):
                yield
        except SmartspecError:
            if self._watch is not None and self._watch.lost:
                raise SmartspecError(self._watch.message) from None
            raise

    def close(self) -> None:
        if self._watch:
            self._watch.stop()
            self._watch = None
        if self._progress_thread:
            self._progress_thread.stop()
            self._progress_thread = None
        for df in [] if self.remote else self._kept:  # Connect: released with the session
            try:
                df.unpersist()
            except Exception:  # the cluster is gone: nothing left to free
                pass
        self._kept.clear()

    def stop(self) -> None:
        """Close and end the session (on Spark Connect: release it on the server)."""
        self.close()
        try:
            if self.remote:  # one attempt to release the session, not a minute of retries on a dead server
                from pyspark.sql.connect.client.retries import DefaultPolicy

                self.spark.client.set_retry_policies([DefaultPolicy(max_retries=0)])
            self.spark.stop()
        except Exception:
            pass


def _first_line(exc) -> str:
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)


def open_engine(name: str, *, spark_master: str | None = None, spark_remote: str | None = None,
                memory_limit: str | None = None, threads: int | None = None, temp_dir=None, progress=None,
                spark_partitions: int | None = None):
    """An engine by name: ``duckdb`` or ``spark`` (``spark_master`` or a Spark Connect ``spark_remote``)."""
    if name == "duckdb":
        return DuckDBEngine(memory_limit=memory_limit, threads=threads, temp_dir=temp_dir)
    if name == "spark":
        return SparkEngine(master=spark_master, remote=spark_remote, partitions=spark_partitions, temp_dir=temp_dir,
                           progress=progress)
    raise SmartspecError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
