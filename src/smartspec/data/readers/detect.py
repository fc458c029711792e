"""Choose a reader from the file's format (given, or sniffed from its name and first bytes)."""

from pathlib import Path

from smartspec.data import readers
from smartspec.data.readers.generic import xlsx_rows
from smartspec.data.readers.scb import header_row
from smartspec.errors import InputError

FORMATS = ("eurostat-tsv", "sdmx-csv", "eurostat-xls", "jsonstat2", "pxweb-json", "scb-csv", "scb-xlsx",
           "csv", "xlsx", "parquet")


def sniff_format(path: Path) -> str:
    head = path.read_bytes()[:4096]
    suffix = path.suffix.lower()
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "eurostat-xls"
    if head.startswith(b"PK"):
        return "xlsx"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    if "\\TIME_PERIOD" in first or ("\\time" in first.lower() and "\t" in first):
        return "eurostat-tsv"
    if first.startswith(("DATAFLOW", "STRUCTURE")) and "OBS_VALUE" in first:
        return "sdmx-csv"
    if text.lstrip().startswith("{"):
        return "jsonstat2" if '"class"' in text and '"dimension"' in text else "pxweb-json"
    if suffix in (".csv", ".txt", ".tsv", ""):
        lowered = first.lower()
        if "region" in lowered and "value" not in lowered and any(c.isdigit() for c in first):
            return "scb-csv"
        return "csv"
    raise InputError(f"cannot tell the format of this file; give one of {FORMATS}", path=path)


def read_any(path: Path, *, fmt=None, mapping=None, defaults=None, measure=None, year=None):
    fmt = fmt or sniff_format(path)
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; expected one of {FORMATS}", path=path)
    if fmt == "xlsx" and not mapping and _looks_like_scb_xlsx(path):
        fmt = "scb-xlsx"
    if fmt == "eurostat-tsv":
        return readers.read_eurostat_tsv(path)
    if fmt == "sdmx-csv":
        return readers.read_sdmx_csv(path)
    if fmt == "eurostat-xls":
        return readers.read_sbs_workbook(path, year=year)
    if fmt == "jsonstat2":
        return readers.read_jsonstat2(path)
    if fmt == "pxweb-json":
        return readers.read_pxweb_json(path)
    if fmt in ("scb-csv", "scb-xlsx"):
        return readers.read_scb_export(path, measure=measure)
    return readers.read_table(path, fmt=fmt, mapping=mapping, defaults=defaults)


def _looks_like_scb_xlsx(path: Path) -> bool:
    rows = [["" if c is None else str(c) for c in r] for r in xlsx_rows(path)[:20]]
    first = next((r for r in rows if any(c.strip() for c in r)), [])
    if {"region", "value"} <= {c.strip().lower() for c in first}:
        return False
    at = header_row(rows)
    return at is not None and "value" not in {c.strip().lower() for c in rows[at]}
