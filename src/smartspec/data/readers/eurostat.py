"""Eurostat readers: bulk TSV, SDMX-CSV, and the Excel workbook of the old data browser.

Flags follow Eurostat: ``:`` alone is "not available" (flag ``na``), ``: c`` is
confidential (flag ``c``), other letters (``p`` provisional, ``e`` estimated, ``b``
break in series) follow the number. Missing values stay NaN with their flag.
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.data.classifications.nace import _top
from smartspec.data.tidy import finalise, split_periods, with_period
from smartspec.errors import InputError
from smartspec.optional import import_optional

_CELL_RE = re.compile(r"^\s*(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|:)(?:\s+(?P<flag>[a-z]+(?:\s+[a-z]+)*))?\s*$")
ACTIVITY_DIMS = ("nace_r2", "nace_r1", "nace")
REGION_DIMS = ("geo",)


def parse_cell(text: str, *, path=None, line=None, column=None) -> tuple[float, str]:
    """Parse a Eurostat cell such as ``3.16 p``, ``:`` or ``: c`` into (value, flag)."""
    m = _CELL_RE.match(text)
    if not m:
        raise InputError(f"cell {text!r} is neither a number with optional flags nor ':'",
                         path=path, line=line, column=column)
    flag = (m.group("flag") or "").replace(" ", "")
    if m.group("num") == ":":
        return np.nan, flag or "na"
    return float(m.group("num")), flag


def _dims_to_tidy(frame: pd.DataFrame, dims: list[str], *, path, line_of) -> pd.DataFrame:
    """Map Eurostat dimension columns onto region/activity/measure/unit."""
    region = next((d for d in dims if d.lower() in REGION_DIMS), None)
    if region is None:
        raise InputError(f"no 'geo' dimension among {dims}", path=path)
    activity = next((d for d in dims if d.lower() in ACTIVITY_DIMS), None)
    rest = [d for d in dims if d not in (region, activity) and d.lower() not in ("freq", "unit")]
    out = pd.DataFrame({"region": frame[region], "year": frame["year"], "value": frame["value"],
                        "flag": frame["flag"]}, index=frame.index)
    out["activity"] = frame[activity] if activity else "TOTAL"
    out["unit"] = frame["unit"] if "unit" in frame else ""
    measure = frame[rest].astype(str).agg(",".join, axis=1) if rest else pd.Series("value", index=frame.index)
    out["measure"] = with_period(measure, frame["_period"]) if "_period" in frame else measure
    return finalise(out, path=path, line_of=line_of)


def _check_periods(frame: pd.DataFrame, path, line_of):
    years = frame["year"].astype(str).str.strip()
    bad = ~years.str.match(r"\d{4}")
    if bad.any():
        idx = frame.index[bad.to_numpy()][0]
        raise InputError(f"time period {years[idx]!r} does not start with a year", path=path,
                         line=line_of(idx), column="TIME_PERIOD")
    frame["year"], frame["_period"] = split_periods(years)


def read_eurostat_tsv(path) -> pd.DataFrame:
    """Read a Eurostat bulk TSV (header ``freq,unit,…,geo\\TIME_PERIOD`` then years)."""
    path = Path(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lines = fh.read().splitlines()
    if not lines or "\\" not in lines[0].split("\t")[0]:
        raise InputError("first line must be a Eurostat TSV header such as "
                         "'freq,unit,geo\\TIME_PERIOD<TAB>2000<TAB>2001…'", path=path, line=1)
    head = lines[0].split("\t")
    dims_part, time_name = head[0].split("\\")
    dims = dims_part.split(",")
    periods = [h.strip() for h in head[1:]]
    records = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        keys = cells[0].split(",")
        if len(keys) != len(dims) or len(cells) != len(head):
            raise InputError(f"expected {len(dims)} dimension codes and {len(periods)} values, got "
                             f"{len(keys)} codes and {len(cells) - 1} values", path=path, line=lineno)
        for period, cell in zip(periods, cells[1:]):
            value, flag = parse_cell(cell, path=path, line=lineno, column=period)
            records.append((*keys, period, value, flag, lineno))
    frame = pd.DataFrame.from_records(records, columns=[*dims, "year", "value", "flag", "_line"])
    line_of = frame["_line"].__getitem__
    _check_periods(frame, path, line_of)
    return _dims_to_tidy(frame, dims, path=path, line_of=line_of)


def read_sdmx_csv(path) -> pd.DataFrame:
    """Read Eurostat SDMX-CSV (``DATAFLOW, LAST UPDATE, freq, …, TIME_PERIOD, OBS_VALUE, OBS_FLAG``)."""
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for col in ("TIME_PERIOD", "OBS_VALUE"):
        if col not in frame:
            raise InputError(f"missing SDMX-CSV column {col!r}", path=path, line=1)
    skip = {"DATAFLOW", "LAST UPDATE", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS", "STRUCTURE",
            "STRUCTURE_ID", "ACTION"}
    dims = [c for c in frame.columns if c not in skip]
    flags = frame.get("OBS_FLAG", pd.Series("", index=frame.index)).str.strip()
    if "CONF_STATUS" in frame:
        flags = flags.where(frame["CONF_STATUS"].str.strip().isin(["", "F"]), "c")
    text = frame["OBS_VALUE"].str.strip()
    frame = frame.assign(year=frame["TIME_PERIOD"], value=text.replace({":": ""}),
                         flag=np.where((text == "") | (text == ":"), flags.replace("", "na"), flags))
    line_of = lambda idx: int(idx) + 2  # noqa: E731
    _check_periods(frame, path, line_of)
    return _dims_to_tidy(frame, dims, path=path, line_of=line_of)


def read_sbs_workbook(path, sheet: str = "Data", year: int | None = None) -> pd.DataFrame:
    """Read the SBS Excel export (``sbs_r_nuts06_r2_2014_workbook.xls``): regions as rows
    (by name), industries as columns (by name). Returns the tidy table with an extra
    ``region_name`` column; ``region`` holds the name, since the workbook gives no codes.
    Industry names are matched to NACE codes; ``:`` cells stay missing (flag ``na``).
    The sheet names no year: give ``year`` or let it come from the file name (``…_2014_…``).
    """
    xlrd = import_optional("xlrd", "Reading an .xls workbook")  # an extra, needed by this workbook only

    path = Path(path)
    if year is None:
        found = re.search(r"(?<!\d)(19|20)\d\d(?!\d)", path.name)
        if not found:
            raise InputError("the workbook names no year: pass year=… (or --year)", path=path)
        year = int(found.group(0))
    try:
        book = xlrd.open_workbook(path)
    except Exception as exc:  # xlrd raises several types for non-xls input
        raise InputError(f"not a readable .xls workbook ({exc})", path=path) from None
    if sheet not in book.sheet_names():
        raise InputError(f"no sheet {sheet!r}; sheets are {book.sheet_names()}", path=path)
    ws = book.sheet_by_name(sheet)
    header = next((r for r in range(ws.nrows) if ws.cell_value(r, 0) == "GEO/TIME"), None)
    label_row = next((r for r in range(ws.nrows) if ws.cell_value(r, 0) == "NACE_R2"), None)
    if header is None or label_row is None:
        raise InputError("expected rows starting with 'NACE_R2' and 'GEO/TIME'", path=path)
    top = _top()
    # The row above the names numbers the divisions; other columns are sections or groups.
    by_label = {n.casefold(): c for c, n, lvl in zip(top["code"], top["name_en"], top["level"]) if lvl != "division"}
    codes = []
    for col in range(1, ws.ncols):
        label = str(ws.cell_value(label_row, col)).strip()
        number = ws.cell_value(label_row - 1, col)
        if isinstance(number, float):
            codes.append(f"{int(number):02d}")
            continue
        if label.casefold() not in by_label:
            raise InputError(f"industry {label!r} is not a NACE Rev. 2 name", path=path,
                             line=label_row + 1, column=xlrd.colname(col))
        codes.append(by_label[label.casefold()])
    records = []
    for r in range(header + 1, ws.nrows):
        name = str(ws.cell_value(r, 0)).strip()
        if not name:
            break
        for col, code in enumerate(codes, start=1):
            cell = ws.cell_value(r, col)
            value, flag = (float(cell), "") if isinstance(cell, float) else parse_cell(
                str(cell), path=path, line=r + 1, column=xlrd.colname(col))
            records.append((name, code, year, value, flag))
    frame = pd.DataFrame.from_records(records, columns=["region", "activity", "year", "value", "flag"])
    frame["measure"], frame["unit"] = "V16910", "PER"
    out = finalise(frame, path=path)
    return out.assign(region_name=out["region"])
