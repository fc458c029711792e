"""The DuckDB observation store in ``SMARTSPEC_HOME/store.duckdb``.

* ``datasets``: one row per dataset version, with source, licence, origin, file hash,
  retrieval and import times.
* ``observations``: the tidy rows of every version.

An import is one transaction: it either stores the whole version or nothing.
Importing content whose hash is already stored for that dataset is a no-op. A
changed file becomes a new version; older versions stay until removed.
"""

import hashlib
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from smartspec import config
from smartspec.data.tidy import COLUMNS
from smartspec.errors import SmartspecError, UnknownCodeError

SCHEMA = """
CREATE TABLE IF NOT EXISTS datasets (
    dataset TEXT NOT NULL, version INTEGER NOT NULL, title TEXT, source TEXT, licence TEXT,
    url TEXT, origin TEXT, file_hash TEXT NOT NULL, origin_stamp TEXT,
    retrieved_at TIMESTAMP, imported_at TIMESTAMP NOT NULL, n_rows BIGINT NOT NULL,
    PRIMARY KEY (dataset, version));
CREATE TABLE IF NOT EXISTS observations (
    dataset TEXT NOT NULL, version INTEGER NOT NULL, region TEXT NOT NULL, activity TEXT NOT NULL,
    year INTEGER NOT NULL, measure TEXT NOT NULL, unit TEXT NOT NULL, value DOUBLE, flag TEXT NOT NULL);
"""

SUMMARY_SCHEMA = """
CREATE TABLE IF NOT EXISTS summary_regions (dataset TEXT, version INTEGER, region TEXT, measure TEXT, unit TEXT,
    y0 INTEGER, y1 INTEGER, n_years BIGINT);
CREATE TABLE IF NOT EXISTS summary_activities (dataset TEXT, version INTEGER, activity TEXT, measure TEXT, unit TEXT,
    n_regions BIGINT, n_missing BIGINT, n BIGINT, min_value DOUBLE, years INTEGER[]);
"""
_WHERE = "FROM observations WHERE dataset=? AND version=? GROUP BY ALL"
SUMMARY_REGIONS = ("SELECT dataset, version, region, measure, unit, min(year), max(year), count(DISTINCT year) " + _WHERE)
SUMMARY_ACTIVITIES = ("SELECT dataset, version, activity, measure, unit, count(DISTINCT region), "
                      "count(*) FILTER (WHERE value IS NULL), count(*), min(value), list(DISTINCT year ORDER BY year) "
                      + _WHERE)
SUMMARY_READ = "SELECT * FROM {table} WHERE dataset=? AND version=?"

_lock = threading.RLock()
#: Open read-only connections by store path, with the file state they were opened on.
_readers: dict[str, tuple[tuple, duckdb.DuckDBPyConnection]] = {}


_keeping = 0
#: The store's table names, by (store path, file state).
_tables: dict[tuple, set] = {}
#: Content hashes of stored versions, by (store path, dataset, version).
_hashes: dict[tuple, str] = {}


@contextmanager
def reading():
    """Keep read-only store connections open for the duration of a block (one analysis)."""
    global _keeping
    with _lock:
        _keeping += 1
    try:
        yield
    finally:
        with _lock:
            _keeping -= 1
            if not _keeping:
                for path in list(_readers):
                    _close_reader(path)


def _file_state(path: Path) -> tuple:
    wal = path.with_name(path.name + ".wal")
    return tuple((p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else None for p in (path, wal))


def _close_reader(path: str) -> None:
    kept = _readers.pop(path, None)
    if kept:
        kept[1].close()


def file_hash(*paths) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


class Store:
    """A DuckDB file holding observations and dataset metadata.

    Parameters
    ----------
    path : str or Path, optional
        The DuckDB file (default: ``store.duckdb`` in the workspace,
        ``SMARTSPEC_HOME``).

    Examples
    --------
    A scratch store, one imported frame, and what it holds:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from smartspec.data import Store
    >>> store = Store(Path(tempfile.mkdtemp()) / "store.duckdb")
    >>> frame = pd.DataFrame({"region": ["SE311", "SE312"], "activity": ["C", "C"], "year": [2023, 2023],
    ...                       "measure": ["EMP", "EMP"], "unit": ["PER", "PER"], "value": [16000.0, None],
    ...                       "flag": ["", "c"]})
    >>> store.import_frame("tiny", frame, file_hash="abc", title="a tiny table")
    (1, True)
    >>> store.find("tiny")
    1
    >>> store.query("tiny", 1)[["region", "value", "flag"]]
      region    value flag
    0  SE311  16000.0
    1  SE312      NaN    c
    """

    def __init__(self, path=None):
        self.path = Path(path) if path else config.home() / "store.duckdb"

    @contextmanager
    def connect(self, read_only: bool = False):
        """A connection to the store. Inside :func:`reading`, read-only connections are kept
        open and reused while the file is unchanged (opening one costs ~10 ms, and an
        analysis reads ~30 times); a writer closes them first. Outside it every connection
        is closed after use, so that other processes can write."""
        with _lock:
            if read_only and self.path.exists() and _keeping:
                yield self._reader()
                return
            _close_reader(str(self.path))
            writable = not (read_only and self.path.exists())
            try:
                con = duckdb.connect(str(self.path), read_only=not writable)
            except duckdb.IOException as exc:
                raise SmartspecError(f"cannot open the store {self.path}: {exc}") from None
            try:
                if writable:
                    con.execute(SCHEMA)
                yield con
            finally:
                con.close()
                if writable:
                    _tables.clear()

    def _reader(self):
        stamp = _file_state(self.path)
        kept = _readers.get(str(self.path))
        if kept and kept[0] == stamp:
            return kept[1]
        _close_reader(str(self.path))
        try:
            con = duckdb.connect(str(self.path), read_only=True)
        except duckdb.IOException as exc:
            raise SmartspecError(f"cannot open the store {self.path}: {exc}") from None
        _readers[str(self.path)] = (stamp, con)
        return con

    def state(self) -> tuple:
        """The store file's size and modification time (and its write-ahead log's): changes
        with every write, so a cache keyed on it never outlives what it was computed from."""
        return _file_state(self.path)

    def datasets(self) -> pd.DataFrame:
        """Every stored dataset version with its metadata."""
        with self.connect(read_only=True) as con:
            if not self._has_schema(con):
                return pd.DataFrame(columns=["dataset", "version"])
            return con.execute("SELECT * FROM datasets ORDER BY dataset, version").df()

    def _has_schema(self, con) -> bool:
        return self._has_table(con, "datasets")

    def find(self, dataset: str, *, file_hash: str | None = None, origin_stamp: str | None = None):
        """The stored version matching a hash or origin stamp, or the latest version; None if absent."""
        with self.connect(read_only=True) as con:
            if not self._has_schema(con):
                return None
            sql, args = "SELECT version FROM datasets WHERE dataset = ?", [dataset]
            if file_hash:
                sql, args = sql + " AND file_hash = ?", args + [file_hash]
            if origin_stamp:
                sql, args = sql + " AND origin_stamp = ?", args + [origin_stamp]
            rows = con.execute(sql + " ORDER BY version DESC LIMIT 1", args).fetchall()
            return rows[0][0] if rows else None

    def import_frame(self, dataset: str, frame: pd.DataFrame, *, file_hash: str, title="", source="",
                     licence="", url="", origin="", origin_stamp=None, retrieved_at=None,
                     _fail_after_rows=False) -> tuple[int, bool]:
        """Store ``frame`` as a new version of ``dataset`` in one transaction.

        Returns (version, created). Content already stored under this dataset
        (same hash) is not stored again: (existing version, False).
        """
        missing = [c for c in COLUMNS if c not in frame]
        if missing:
            raise SmartspecError(f"cannot store {dataset}: missing columns {missing}")
        rows = frame[COLUMNS]
        with self.connect() as con:
            existing = con.execute("SELECT version FROM datasets WHERE dataset=? AND file_hash=?",
                                   [dataset, file_hash]).fetchall()
            existing = existing[0] if existing else None
            if existing:
                if origin_stamp:
                    con.execute("UPDATE datasets SET origin_stamp=? WHERE dataset=? AND version=?",
                                [origin_stamp, dataset, existing[0]])
                return existing[0], False
            con.begin()
            try:
                version = con.execute("SELECT coalesce(max(version), 0) + 1 FROM datasets WHERE dataset=?",
                                      [dataset]).fetchall()[0][0]
                con.register("incoming", rows)
                con.execute("INSERT INTO observations SELECT ?, ?, region, activity, year, measure, unit, "
                            "value, flag FROM incoming", [dataset, version]).fetchall()
                con.unregister("incoming")
                if _fail_after_rows:
                    raise SmartspecError("import interrupted (test hook)")
                now = datetime.now(timezone.utc).replace(tzinfo=None)
                con.execute("INSERT INTO datasets VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                            [dataset, version, title, source, licence, url, str(origin), file_hash, origin_stamp,
                             retrieved_at or now, now, len(rows)])
                con.commit()
            except BaseException:
                con.rollback()
                raise
        return version, True

    def file_hash(self, dataset: str, version: int) -> str:
        """The content hash of a stored version (it changes when a removed version number is
        reused); remembered in the process until this store removes a version."""
        key = (str(self.path), dataset, version)
        if key not in _hashes:
            with self.connect(read_only=True) as con:
                rows = con.execute("SELECT file_hash FROM datasets WHERE dataset=? AND version=?",
                                   [dataset, version]).fetchall()
            if not rows:
                raise UnknownCodeError(f"no stored dataset {dataset!r} version {version}")
            _hashes[key] = rows[0][0]
        return _hashes[key]

    def remove(self, dataset: str, version: int | None = None) -> int:
        """Remove one version (or all versions) of a dataset; returns the number of versions removed."""
        with self.connect() as con:
            where, args = "dataset = ?", [dataset]
            if version is not None:
                where, args = where + " AND version = ?", args + [version]
            n = con.execute(f"SELECT count(*) FROM datasets WHERE {where}", args).fetchall()[0][0]
            if not n:
                raise UnknownCodeError(f"no stored dataset {dataset!r}" + (f" version {version}" if version else ""))
            _hashes.clear()
            con.begin()
            con.execute(f"DELETE FROM observations WHERE {where}", args)
            con.execute(f"DELETE FROM datasets WHERE {where}", args)
            con.execute(SUMMARY_SCHEMA)
            con.execute(f"DELETE FROM summary_regions WHERE {where}", args)
            con.execute(f"DELETE FROM summary_activities WHERE {where}", args)
            con.commit()
            return n

    def query(self, dataset: str, version: int, *, regions=None, activities=None, years=None,
              measures=None, units=None) -> pd.DataFrame:
        """Observations of one dataset version, filtered (filters are lists, or None for all)."""
        sql = ["SELECT region, activity, year, measure, unit, value, flag FROM observations "
               "WHERE dataset = ? AND version = ?"]
        args: list = [dataset, version]
        for col, values in (("region", regions), ("activity", activities), ("year", years), ("measure", measures),
                             ("unit", units)):
            if values is not None:
                values = list(values)
                sql.append(f"AND {col} IN (SELECT unnest(?))")
                args.append(values)
        sql.append("ORDER BY region, activity, year, measure, unit")
        with self.connect(read_only=True) as con:
            return con.execute(" ".join(sql), args).df()

    def summary(self, dataset: str, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What a dataset version holds, in two small tables, computed once and kept:

        * by ``region, measure, unit``: first and last year, number of years;
        * by ``activity, measure, unit``: number of regions, missing and total cells, the
          smallest value, and the years.
        """
        key = [dataset, version]
        with self.connect(read_only=True) as con:
            if self._has_table(con, "summary_regions"):
                regions = con.execute(SUMMARY_READ.format(table="summary_regions"), key).df()
                if len(regions):
                    activities = con.execute(SUMMARY_READ.format(table="summary_activities"), key).df()
                    return regions.drop(columns=["dataset", "version"]), activities.drop(columns=["dataset", "version"])
        with self.connect() as con:
            con.execute(SUMMARY_SCHEMA)
            con.begin()
            for table, sql in (("summary_regions", SUMMARY_REGIONS), ("summary_activities", SUMMARY_ACTIVITIES)):
                con.execute(f"DELETE FROM {table} WHERE dataset=? AND version=?", key)
                con.execute(f"INSERT INTO {table} {sql}", key)
            con.commit()
        return self.summary(dataset, version)

    def _has_table(self, con, name: str) -> bool:
        """Whether the store has a table; the names are read once per file state."""
        key = (str(self.path), _file_state(self.path))
        if key not in _tables:
            _tables.clear()
            _tables[key] = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        return name in _tables[key]

    def coverage(self, dataset: str, version: int) -> pd.DataFrame:
        """Distinct (region, activity, year, measure, unit) sets for coverage summaries."""
        with self.connect(read_only=True) as con:
            return con.execute(
                "SELECT region, activity, min(year) AS y0, max(year) AS y1, count(DISTINCT year) AS n_years, "
                "list(DISTINCT measure) AS measures, list(DISTINCT unit) AS units, "
                "count(*) FILTER (WHERE value IS NULL) AS n_missing, count(*) AS n "
                "FROM observations WHERE dataset=? AND version=? GROUP BY region, activity",
                [dataset, version]).df()
