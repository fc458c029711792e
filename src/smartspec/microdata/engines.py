"""Two engines, one SQL: DuckDB (embedded, the default) and Spark (PySpark).

The aggregations in :mod:`smartspec.microdata.aggregate` are plain SQL that both
engines run unchanged. An engine only knows how to expose a microdata table or
a small lookup frame as a view, keep an intermediate result, and hand a query's
result back as an Arrow table.
"""

from __future__ import annotations

import os
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


class SparkEngine:
    """Spark SQL, in local mode (``local[*]``) or on a cluster (``spark://host:7077``, ``yarn`` …)."""

    name = "spark"

    def __init__(self, *, master: str | None = None, memory: str = "4g", partitions: int | None = None,
                 temp_dir=None):
        try:
            from pyspark.sql import SparkSession  # lazy: optional extra, ~60 ms at import
        except ImportError:
            raise SmartspecError("the Spark engine needs PySpark: pip install 'smartspec[spark]' "
                                 "(and Java 17 or newer)") from None
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        master = master or os.environ.get("SMARTSPEC_SPARK_MASTER") or "local[*]"
        local = master.startswith("local")
        if local:
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (SparkSession.builder.master(master).appName("smartspec")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                   .config("spark.sql.shuffle.partitions", str(partitions or (8 if local else 200)))
                   .config("spark.driver.memory", memory))
        if local:
            builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        if temp_dir:
            builder = builder.config("spark.local.dir", str(temp_dir))
        try:
            self.spark = builder.getOrCreate()
        except Exception as exc:  # Java missing or the cluster unreachable
            raise SmartspecError(f"Spark did not start on {master}: {exc}") from None
        self.spark.sparkContext.setLogLevel("ERROR")
        self._kept: list = []

    def read(self, source: Source) -> None:
        reader = self.spark.read
        if source.fmt == "parquet":
            df = reader.option("mergeSchema", "true").parquet(str(source.path))
        else:
            strings = [n for n, k in TABLES[source.table] if k == "STRING"]
            df = reader.option("header", "true").option("inferSchema", "false").csv(str(source.path))
            df = df.select(*[df[c].cast("string") if c in strings else df[c] for c in df.columns])
        df.createOrReplaceTempView(f"_{source.table}_raw")
        self.spark.sql(f"SELECT {_projection(source)} FROM _{source.table}_raw").createOrReplaceTempView(source.table)

    def frame(self, view: str, df) -> None:
        schema = ", ".join(f"{c} string" for c in df.columns)
        rows = [tuple(map(str, r)) for r in df.itertuples(index=False)]
        self.spark.createDataFrame(rows, schema=schema).createOrReplaceTempView(view)

    def keep(self, view: str, sql: str) -> None:
        with _engine_errors("Spark", Exception):
            df = self.spark.sql(sql).persist()
            df.count()
        df.createOrReplaceTempView(view)
        self._kept.append(df)

    def arrow(self, sql: str):
        with _engine_errors("Spark", Exception):
            return self.spark.sql(sql).toArrow()

    def close(self) -> None:
        for df in self._kept:
            df.unpersist()
        self._kept.clear()


def open_engine(name: str, *, spark_master: str | None = None, memory_limit: str | None = None,
                threads: int | None = None, temp_dir=None):
    """An engine by name: ``duckdb`` or ``spark``."""
    if name == "duckdb":
        return DuckDBEngine(memory_limit=memory_limit, threads=threads, temp_dir=temp_dir)
    if name == "spark":
        return SparkEngine(master=spark_master, temp_dir=temp_dir)
    raise SmartspecError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
