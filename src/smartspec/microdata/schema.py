"""The microdata schema: three tables, each a folder of Parquet or CSV files.

A microdata directory holds one sub-folder per table; each may be partitioned
Hive-style (``spells/year=2019/part-0.parquet``)::

    DIR/establishments/   id, region, industry, year, employees
    DIR/spells/           person, establishment, industry, region, year
    DIR/patents/          id, year, technology, region, fraction

``region`` is a Swedish kommun code (four digits, ``1780``) or any NUTS 3 code
(``SE311``, ``DE212``); ``industry`` a NACE Rev. 2 (= SNI 2007) four-digit class
(``2611`` or ``26.11``); ``technology`` an IPC/CPC class as given. A spell row is
a person's main job in a year (one row per person and year, as in register
data such as RAMS); ``fraction`` is an inventor region's fractional count of a
patent (the fractions of a patent sum to 1). Codes must be text: a column read
as numbers would have lost the leading zeros of ``0114``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from smartspec.errors import InputError

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "establishments": (("id", "BIGINT"), ("region", "STRING"), ("industry", "STRING"), ("year", "INT"),
                       ("employees", "BIGINT")),
    "spells": (("person", "BIGINT"), ("establishment", "BIGINT"), ("industry", "STRING"), ("region", "STRING"),
               ("year", "INT")),
    "patents": (("id", "STRING"), ("year", "INT"), ("technology", "STRING"), ("region", "STRING"),
                ("fraction", "DOUBLE")),
}

_TEXT = {"STRING"}
_NUMERIC = {"BIGINT", "INT", "DOUBLE"}


@dataclass(frozen=True)
class Source:
    """One table found in a microdata directory."""

    table: str
    path: Path
    fmt: str  # "parquet" or "csv"
    files: tuple[Path, ...]
    hive: tuple[str, ...]  # partition columns taken from folder names

    @property
    def glob(self) -> str:
        depth = "/".join("*" for _ in self.hive)
        return str(self.path / (f"{depth}/*.{self.fmt}" if depth else f"*.{self.fmt}"))


def discover(directory) -> dict[str, Source]:
    """The tables present in ``directory``, checked against the schema."""
    root = Path(directory)
    if not root.is_dir():
        raise InputError("not a directory of microdata (expected sub-folders establishments/, spells/, patents/)",
                         path=root)
    found = {}
    for table in TABLES:
        folder = root / table
        if folder.is_dir():
            found[table] = _source(table, folder)
    if not found:
        raise InputError(f"no microdata tables found; expected one or more of the folders {', '.join(TABLES)}",
                         path=root)
    return found


def _source(table: str, folder: Path) -> Source:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".parquet", ".csv")
                   and not p.name.startswith((".", "_")))
    if not files:
        raise InputError(f"the {table} folder holds no .parquet or .csv files", path=folder)
    kinds = {p.suffix for p in files}
    if len(kinds) > 1:
        raise InputError(f"the {table} folder mixes Parquet and CSV files; keep one format per table", path=folder)
    depths = {len(p.relative_to(folder).parts) - 1 for p in files}
    if len(depths) > 1:
        raise InputError(f"the {table} files lie at different folder depths; partition them all the same way",
                         path=folder)
    hive = tuple(part.split("=", 1)[0] for part in files[0].relative_to(folder).parts[:-1])
    if any("=" not in part for part in files[0].relative_to(folder).parts[:-1]):
        raise InputError("sub-folders must be Hive partitions named column=value (e.g. year=2019)",
                         path=files[0].parent)
    source = Source(table, folder, kinds.pop().lstrip("."), tuple(files), hive)
    for path in files:
        _check_columns(source, path)
    return source


def _check_columns(source: Source, path: Path) -> None:
    columns = dict(_file_columns(source, path))
    for hive_col in source.hive:
        columns.setdefault(hive_col, "INT")
    expected = TABLES[source.table]
    missing = [name for name, _ in expected if name not in columns]
    if missing:
        want = ", ".join(name for name, _ in expected)
        raise InputError(f"the {source.table} table lacks {', '.join(missing)}; expected columns {want}", path=path)
    for name, kind in expected:
        have = columns[name]
        if have is None:
            continue
        if kind in _TEXT and have != "STRING":
            raise InputError(f"{name} is stored as {have}; expected text codes (numbers lose leading zeros "
                             "such as 0114)", path=path, column=name)
        if kind in _NUMERIC and have == "STRING":
            raise InputError(f"{name} is stored as text; expected a number", path=path, column=name)


def _file_columns(source: Source, path: Path):
    if source.fmt == "csv":
        with open(path, encoding="utf-8-sig") as fh:
            header = fh.readline().strip()
        if not header:
            raise InputError("empty CSV file; expected a header line", path=path, line=1)
        return [(name.strip().strip('"'), None) for name in header.split(",")]
    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # pyarrow raises several kinds for a damaged file
        raise InputError(f"not a readable Parquet file ({exc})", path=path) from None
    return [(field.name, _kind(field.type)) for field in schema]


def _kind(arrow_type) -> str:
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "STRING"
    if pa.types.is_integer(arrow_type):
        return "BIGINT"
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return "DOUBLE"
    return str(arrow_type)
