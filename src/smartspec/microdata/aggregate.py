"""Aggregate microdata into the data layer's observation table, once, on either engine.

Every step is one SQL statement that DuckDB and Spark SQL both run unchanged
(:mod:`smartspec.microdata.engines` only exposes the tables). The heavy step
reads the raw rows once and groups them at the finest level (kommun/NUTS 3 ×
NACE class × year); roll-ups to coarser levels then join that small result to
the lookup tables of :mod:`smartspec.microdata.hierarchy`.

Outputs (``out`` = ``NAME.parquet``):

* ``NAME.parquet`` — observations ``region, activity, year, measure, unit, value,
  flag``: ``employees`` and ``establishments`` (establishments table) and
  ``workers`` (spells: persons employed); importable with ``smartspec data import``.
* ``NAME-patents.parquet`` — ``region, technology, year, patents``: fractional
  counts by technology class (IPC/CPC codes are not NACE, so they stay apart).
* ``NAME-flows.parquet`` — job-to-job moves between industries
  ``level, window_start, window_end, source, target, moves``: a person whose
  spell in year t+1 is at another establishment than in year t moved from the
  industry of t to that of t+1; the move counts in the window containing t.
  Within-industry moves (other establishment, same industry) are kept on the
  diagonal. This is the flow table :func:`smartspec.metrics.skill_relatedness`
  takes.
* ``NAME-regionflows.parquet`` — the same moves between regions.
* ``NAME-colocation.parquet`` — ``year, source, target, regions``: in how many
  regions (at ``colocation`` levels) both activities have an establishment with
  at least one employee (the co-occurrence count of :func:`smartspec.metrics.co_occurrence`).

Results are identical on both engines, not merely close: counts are integers,
and patent fractions are summed as DECIMAL(38, 12) (exact in both) and rounded
to 9 decimals, so three thirds make exactly 1.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from smartspec.errors import InputError
from smartspec.microdata import hierarchy
from smartspec.microdata.engines import open_engine
from smartspec.microdata.schema import discover
from smartspec.progress import Step

OBSERVATION_SCHEMA = (("region", "string"), ("activity", "string"), ("year", "int32"), ("measure", "string"),
                      ("unit", "string"), ("value", "float64"), ("flag", "string"))
FLOW_SCHEMA = (("level", "string"), ("window_start", "int32"), ("window_end", "int32"), ("source", "string"),
               ("target", "string"), ("moves", "int64"))
COLOCATION_SCHEMA = (("year", "int32"), ("source", "string"), ("target", "string"), ("regions", "int64"))
PATENT_SCHEMA = (("region", "string"), ("technology", "string"), ("year", "int32"), ("patents", "float64"))

BASE = {
    "establishments": """
        SELECT region, industry AS activity, year, CAST(SUM(employees) AS BIGINT) AS employees,
               CAST(COUNT(*) AS BIGINT) AS establishments,
               CAST(SUM(CASE WHEN employees > 0 THEN 1 ELSE 0 END) AS BIGINT) AS active
        FROM establishments GROUP BY region, industry, year""",
    "spells": """
        SELECT region, industry AS activity, year, CAST(COUNT(*) AS BIGINT) AS workers
        FROM spells GROUP BY region, industry, year""",
    "patents": """
        SELECT region, technology AS activity, year,
               SUM(CAST(fraction AS DECIMAL(38, 12))) AS patents
        FROM patents GROUP BY region, technology, year""",
}

#: measure → (base view, unit)
MEASURES = {
    "employees": ("base_establishments", "persons"),
    "establishments": ("base_establishments", "count"),
    "workers": ("base_spells", "persons"),
}

PATENTS = """
    SELECT r.parent AS region, b.activity AS technology, CAST(b.year AS INT) AS year,
           CAST(ROUND(SUM(b.patents), 9) AS DOUBLE) AS patents
    FROM base_patents b JOIN region_levels r ON r.code = b.region
    GROUP BY r.level, r.parent, b.activity, b.year"""

MOVES = """
    SELECT year, industry AS source, next_industry AS target, region AS source_region,
           next_region AS target_region, CAST(COUNT(*) AS BIGINT) AS moves
    FROM (SELECT year, establishment, industry, region,
                 LEAD(year) OVER (PARTITION BY person ORDER BY year, establishment) AS next_year,
                 LEAD(establishment) OVER (PARTITION BY person ORDER BY year, establishment) AS next_establishment,
                 LEAD(industry) OVER (PARTITION BY person ORDER BY year, establishment) AS next_industry,
                 LEAD(region) OVER (PARTITION BY person ORDER BY year, establishment) AS next_region
          FROM spells) AS t
    WHERE next_year = year + 1 AND next_establishment <> establishment
    GROUP BY year, industry, next_industry, region, next_region"""


def rollup_sql(measure: str) -> str:
    """Observations of one measure at every requested level (one statement, both engines)."""
    view, unit = MEASURES[measure]
    return f"""
        SELECT r.parent AS region, a.parent AS activity, CAST(b.year AS INT) AS year,
               '{measure}' AS measure, '{unit}' AS unit, CAST(SUM(b.{measure}) AS DOUBLE) AS value, '' AS flag
        FROM {view} b JOIN region_levels r ON r.code = b.region JOIN activity_levels a ON a.code = b.activity
        GROUP BY r.level, a.level, r.parent, a.parent, b.year"""


def flows_sql(kind: str, start: int, width: int) -> str:
    """Moves summed per window of ``width`` years and per level of the activity (or region) hierarchy."""
    lookup, src, dst = (("activity_levels", "source", "target") if kind == "activity"
                        else ("region_levels", "source_region", "target_region"))
    window = f"(m.year - ((m.year - {start}) % {width}))"
    return f"""
        SELECT s.level AS level, CAST({window} AS INT) AS window_start,
               CAST({window} + {width - 1} AS INT) AS window_end,
               s.parent AS source, d.parent AS target, CAST(SUM(m.moves) AS BIGINT) AS moves
        FROM moves m JOIN {lookup} s ON s.code = m.{src} JOIN {lookup} d ON d.code = m.{dst} AND d.level = s.level
        GROUP BY s.level, {window}, s.parent, d.parent"""


def colocation_sql(region_level: str, activity_level: str) -> str:
    return f"""
        WITH present AS (
            SELECT DISTINCT b.year, r.parent AS region, a.parent AS activity
            FROM base_establishments b
            JOIN region_levels r ON r.code = b.region AND r.level = '{region_level}'
            JOIN activity_levels a ON a.code = b.activity AND a.level = '{activity_level}'
            WHERE b.active > 0)
        SELECT CAST(x.year AS INT) AS year, x.activity AS source, y.activity AS target,
               CAST(COUNT(*) AS BIGINT) AS regions
        FROM present x JOIN present y ON x.year = y.year AND x.region = y.region
        GROUP BY x.year, x.activity, y.activity"""


def aggregate(directory, out, *, engine: str = "duckdb", region_levels=hierarchy.REGION_LEVELS,
              activity_levels=hierarchy.ACTIVITY_LEVELS, window: int = 3, colocation=("nuts3", "division"),
              spark_master: str | None = None, memory_limit: str | None = None, threads: int | None = None,
              temp_dir=None, progress=None) -> dict:
    """Aggregate the microdata in ``directory`` on ``engine``; write the outputs next to ``out``.

    ``engine`` is ``duckdb``, ``spark`` or an engine already open (left open).

    Returns ``{output name: (path, rows)}`` and the seconds taken per step.
    """
    out = Path(out)
    if out.suffix != ".parquet":
        raise InputError("the output must be a .parquet file", path=out)
    if window < 1:
        raise InputError(f"the flow window must be at least one year, not {window}")
    region_levels, activity_levels = tuple(region_levels), tuple(activity_levels)
    for needed, levels, kind in ((colocation[0], region_levels, "region"),
                                 (colocation[1], activity_levels, "activity")):
        if needed not in levels:
            raise InputError(f"the co-location {kind} level {needed!r} must be among the {kind} levels {levels}")
    sources = discover(directory)
    plan = _plan(sources)
    clock = _Clock(progress, len(plan))
    owned = isinstance(engine, str)
    scratch = Path(temp_dir) if temp_dir else out.parent / f".{out.stem}-tmp"
    eng = open_engine(engine, spark_master=spark_master, memory_limit=memory_limit, threads=threads,
                      temp_dir=scratch) if owned else engine
    try:
        for source in sources.values():
            eng.read(source)
        results = _run(eng, sources, clock, region_levels, activity_levels, window, colocation)
    finally:
        if owned:
            eng.close()
        if not temp_dir:
            shutil.rmtree(scratch, ignore_errors=True)
    clock.step("writing")
    written = _write_all(results, out)
    clock.done()
    return {"outputs": written, "seconds": clock.seconds, "engine": eng.name}


def _plan(sources) -> list[str]:
    steps = [f"base_{t}" for t in sources] + ["lookups", "observations"]
    if "spells" in sources:
        steps += ["moves", "flows"]
    if "establishments" in sources:
        steps += ["colocation"]
    return steps + ["writing"]


def _run(eng, sources, clock, region_levels, activity_levels, window, colocation) -> dict:
    for table in sources:
        clock.step(f"base_{table}")
        eng.keep(f"base_{table}", BASE[table])
    clock.step("lookups")
    regions, activities = _codes(eng, sources)
    eng.frame("region_levels", hierarchy.region_table(regions, region_levels))
    eng.frame("activity_levels", hierarchy.activity_table(activities, activity_levels))
    clock.step("observations")
    measures = [m for m, (view, _unit) in MEASURES.items() if view.removeprefix("base_") in sources]
    results = {}
    if measures:
        obs = " UNION ALL ".join(f"({rollup_sql(m)})" for m in measures)
        results["observations"] = _sorted(eng.arrow(obs), OBSERVATION_SCHEMA)
    if "patents" in sources:
        results["patents"] = _sorted(eng.arrow(PATENTS), PATENT_SCHEMA)
    if "spells" in sources:
        clock.step("moves")
        eng.keep("moves", MOVES)
        clock.step("flows")
        start = eng.arrow("SELECT CAST(MIN(year) AS INT) AS y FROM moves").column(0)[0].as_py() or 0
        results["flows"] = _sorted(eng.arrow(flows_sql("activity", start, window)), FLOW_SCHEMA)
        results["regionflows"] = _sorted(eng.arrow(flows_sql("region", start, window)), FLOW_SCHEMA)
    if "establishments" in sources:
        clock.step("colocation")
        results["colocation"] = _sorted(eng.arrow(colocation_sql(*colocation)), COLOCATION_SCHEMA)
    return results


def _codes(eng, sources) -> tuple[list, list]:
    regions, activities = set(), set()
    for table in sources:
        got = eng.arrow(f"SELECT DISTINCT region, activity FROM base_{table}").to_pydict()
        regions.update(got["region"])
        if table != "patents":
            activities.update(got["activity"])
    for name, values in (("region", regions), ("industry", activities)):
        if None in values:
            raise InputError(f"empty {name} codes in the microdata")
    return sorted(regions), sorted(activities)


def _sorted(table, schema):
    target = pa.schema([(n, getattr(pa, t)()) for n, t in schema])
    table = table.select([n for n, _ in schema]).cast(target)
    keys = [(n, "ascending") for n, t in schema if n not in ("value", "moves", "regions", "flag", "patents")]
    return table.sort_by(keys)


def _target(out: Path, name: str) -> Path:
    return out if name == "observations" else out.with_name(f"{out.stem}-{name}.parquet")


def _write_all(results: dict, out: Path) -> dict:
    """Write every output to a temporary file first, then rename them all: a failure
    leaves the previous outputs as they were, never a mix of old and new."""
    staged = [(name, _target(out, name), table) for name, table in results.items()]
    try:
        for _name, path, table in staged:
            pq.write_table(table, _part(path), compression="zstd")
    except BaseException:
        for _name, path, _table in staged:
            _part(path).unlink(missing_ok=True)
        raise
    for _name, path, _table in staged:
        _part(path).replace(path)
    return {name: (str(path), table.num_rows) for name, path, table in staged}


def _part(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


class _Clock:
    """Step progress as ``[k/n] step`` with the seconds each step took."""

    def __init__(self, progress, total: int):
        self.progress, self.total, self.k = progress, total, 0
        self.seconds: dict[str, float] = {}
        self._name, self._t0 = None, time.perf_counter()

    def step(self, name: str) -> None:
        self._close()
        self.k += 1
        self._name, self._t0 = name, time.perf_counter()
        if self.progress:
            self.progress(Step(name, self.k, self.total))

    def _close(self) -> None:
        if self._name:
            self.seconds[self._name] = round(time.perf_counter() - self._t0, 2)

    def done(self) -> None:
        self._close()
        self._name = None
        if self.progress:
            self.progress(f"[{self.total}/{self.total}] done in {sum(self.seconds.values()):.1f} s")
