"""Generic CSV, XLSX and Parquet readers.

A file with the canonical columns (``region, activity, year, value`` and optionally
``measure, unit, flag``) imports as it is; any other layout takes a column mapping
``{canonical name: column in the file}``.
"""

import io
import zipfile
from pathlib import Path

import pandas as pd

from smartspec.data.readers.text import decode_text, sniff_dialect
from smartspec.data.tidy import COLUMNS, finalise
from smartspec.errors import InputError
from smartspec.optional import import_optional

MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024  # refuse zip bombs
MAX_XLSX_RATIO = 200


def xlsx_rows(path: Path, sheet: str | None = None):
    """Rows of an XLSX sheet as tuples, after checking the archive is sane."""
    openpyxl = import_optional("openpyxl", "Reading an .xlsx file")  # an extra; ~65 ms at import

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
    except zipfile.BadZipFile:
        raise InputError("not an XLSX file (not a zip archive)", path=path) from None
    if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
        raise InputError(f"XLSX expands to {total:,} bytes ({total / packed:.0f}× its size); "
                         "refused as a possible zip bomb", path=path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"not a readable XLSX workbook ({exc})", path=path) from None
    ws = book[sheet] if sheet else book.worksheets[0]
    return list(ws.iter_rows(values_only=True))


def _read_raw(path: Path, fmt: str, sheet=None) -> tuple[pd.DataFrame, int]:
    """The file as a DataFrame of strings, and the line number of its first data row."""
    if fmt == "parquet":
        try:
            return pd.read_parquet(path), 1
        except Exception as exc:
            raise InputError(f"not a readable Parquet file ({exc})", path=path) from None
    if fmt == "xlsx":
        rows = xlsx_rows(path, sheet)
        if not rows:
            raise InputError("the sheet is empty", path=path)
        header = [str(c).strip() if c is not None else "" for c in rows[0]]
        return pd.DataFrame(rows[1:], columns=header), 2
    text = decode_text(path.read_bytes(), path)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sniff_dialect(text).delimiter, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise InputError(f"malformed CSV ({exc})", path=path) from None
    if not isinstance(frame.index, pd.RangeIndex):  # pandas turned surplus leading fields into an index
        raise InputError(f"more fields than the header's {frame.shape[1]} columns", path=path, line=2)
    return frame, 2


def read_table(path, *, mapping: dict | None = None, fmt: str | None = None, sheet=None,
               defaults: dict | None = None) -> pd.DataFrame:
    """Read a generic CSV/XLSX/Parquet file into the tidy table.

    ``mapping`` renames file columns onto canonical ones ({"region": "geo", …});
    ``defaults`` fills canonical columns absent from the file ({"year": 2020}).
    """
    path = Path(path)
    fmt = fmt or {".parquet": "parquet", ".xlsx": "xlsx", ".xlsm": "xlsx"}.get(path.suffix.lower(), "csv")
    frame, first_line = _read_raw(path, fmt, sheet)
    frame.columns = [str(c).strip() for c in frame.columns]
    rename = {}
    for canonical, source in (mapping or {}).items():
        if canonical not in COLUMNS:
            raise InputError(f"mapping names {canonical!r}, which is not one of {COLUMNS}", path=path)
        if source not in frame.columns:
            raise InputError(f"mapped column {source!r} not found; the file has {list(frame.columns)}",
                             path=path, line=1)
        rename[source] = canonical
    frame = frame.rename(columns=rename)
    lower = {c.lower(): c for c in frame.columns if c not in rename.values()}
    frame = frame.rename(columns={lower[c]: c for c in COLUMNS if c in lower and c not in frame.columns})
    for col, value in (defaults or {}).items():
        if col not in frame:
            frame[col] = value
    missing = [c for c in ("region", "activity", "year", "value") if c not in frame]
    if missing:
        raise InputError(f"missing columns {missing}: the file has {list(frame.columns)}; give a column "
                         "mapping (e.g. --map region=geo) or defaults", path=path, line=1)
    if frame["value"].dtype == object:
        frame["value"] = frame["value"].map(lambda v: "" if v is None else str(v).strip())
    return finalise(frame, path=path, line_of=lambda idx: int(idx) + first_line)
