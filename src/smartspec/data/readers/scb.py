"""SCB (Statistics Sweden) readers: PxWeb JSON, json-stat2, and the CSV/XLSX files
that SCB's Statistical Database exports for download.

Labels such as ``17 Värmlands län`` or ``C Tillverkning`` are split into code and
name; ``..`` (and ``.``, ``-`` as SCB's "not available") stay missing with flag
``..``; decimal commas and thin-space thousands separators are understood.

In json-stat2 answers the labels tell an SNI 2007 variable (``näringsgren (SNI 2007)``,
codes ``C``, ``10``, ``10-12``) from SCB's own industry groups (a ``bransch`` variable
such as TAB4723's ``01`` produktionsnäringarna): an SNI code becomes its NACE code, a
total (``totalt``, ``samtliga``) becomes ``TOTAL``, SCB's groups of adjacent sections
(BAS ``B+C``, ``R+S+T+U``) become NACE ranges (``B-C``, ``R-U``), and anything else is an InputError
naming the code, unless the caller states its SNI code (``activity_map``). The unit of
each tabellinnehåll (``antal`` → ``number``) is kept, and known contents get a
readable measure name (``00000710`` → ``employments``).
"""

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from smartspec.data.classifications.nace import normalise_activity
from smartspec.data.readers.text import decode_text, sniff_dialect
from smartspec.data.tidy import finalise, split_periods, with_period
from smartspec.errors import InputError, UnknownCodeError

REGION_DIMS = ("region", "lan", "län", "kommun")
ACTIVITY_DIMS = ("sni2007", "sni", "naringsgren", "näringsgren", "sni2007k", "sni2007kod")
TIME_DIMS = ("tid", "år", "ar", "time", "year")
#: SCB's own industry groupings, whose codes are not SNI codes (TAB4723's ``01`` is
#: produktionsnäringarna, not SNI division 01).
BRANSCH_DIMS = ("bransch",)
#: Labels and codes SCB gives the total over all industries.
TOTAL_LABELS = {"totalt", "total", "samtliga", "samtliga näringsgrenar", "totalt samtliga näringsgrenar",
                "alla näringsgrenar", "all industries", "total all industries"}
TOTAL_CODES = {"samtliga", "totalt", "total", "tot", "_t"}
_ACTIVITY_LABEL_RE = re.compile(r"^(?:näringsgren|bransch)|\bsni ?\d{4}\b")
#: json-stat2 ``unit.base`` of a tabellinnehåll → smartspec unit.
UNITS = {"antal": "number", "procent": "percent", "kronor": "SEK", "kr": "SEK", "tkr": "SEK thousand",
         "mnkr": "SEK million"}
#: Known SCB tabellinnehåll codes → measure name (label in SCB's metadata).
SCB_MEASURES = {
    "00000710": "employments",             # TAB4723 Antal pågående anställningar (Stock)
    "00000713": "employments_change_pct",  # TAB4723 Årlig förändring av antalet pågående anställningar, procent
    # BAS (AM0210): sysselsatta efter arbetsställets belägenhet (dagbefolkning) and efter
    # bostadens belägenhet (nattbefolkning); TAB3785 (preliminary) and TAB3204 (register).
    "000005FG": "employed_workplace",
    "000005FH": "employed_residence",
    "000002XH": "employed_workplace",
    "000002XI": "employed_residence",
}
#: SCB's groups of adjacent SNI sections (BAS/RAMS ``B+C``, ``R+S+T+U``) → NACE range ``B-C``, ``R-U``.
_SECTION_GROUP_RE = re.compile(r"^[A-U](?:\+[A-U])+$")
MISSING = {"..", ".", "-", "…", ""}
_LABEL_RE = re.compile(r"^(?P<code>[0-9A-Z][0-9A-Z.+\-]*)\s+(?P<name>\S.*)$")
_TIME_RE = re.compile(r"^\d{4}(?:[KM]\d{1,2})?$")
_HEADER_TIME_RE = re.compile(r"^(?P<label>.*?)\s*(?P<time>\d{4}(?:[KM]\d{1,2})?)$")


def _header_time(cell: str) -> tuple[str, str] | None:
    """``2019`` → ("", "2019"); ``Medellön 2013M09`` → ("Medellön", "2013M09"); else None."""
    m = _HEADER_TIME_RE.match(cell.strip())
    return (m.group("label"), m.group("time")) if m else None


def _load_json(source):
    if isinstance(source, (dict, list)):
        return source, None
    path = Path(source)
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh), path
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None


def _role(dim: str, names: tuple[str, ...]) -> bool:
    return dim.casefold().replace(" ", "") in names or any(dim.casefold().startswith(n) for n in names)


def _dims_to_tidy(frame: pd.DataFrame, dims: list[str], time_dim: str | None, *, path, line_of=None,
                  activity: str | None = None) -> pd.DataFrame:
    region = next((d for d in dims if _role(d, REGION_DIMS)), None)
    time_dim = time_dim or next((d for d in dims if _role(d, TIME_DIMS)), None)
    if time_dim is None:
        raise InputError(f"no time dimension among {dims} (expected Tid)", path=path)
    activity = activity or next((d for d in dims if _role(d, ACTIVITY_DIMS)), None)
    rest = [d for d in dims if d not in (region, time_dim, activity)]
    try:
        years, period = split_periods(frame[time_dim])
    except InputError as exc:
        raise InputError(str(exc), path=path, column=time_dim) from None
    measure = frame[rest].astype(str).agg(",".join, axis=1) if rest else pd.Series("value", index=frame.index)
    out = pd.DataFrame({
        # A table without a region variable holds figures for the whole country.
        "region": frame[region].map(_scb_region) if region else "SE",
        "activity": frame[activity] if activity else "TOTAL",
        "year": years,
        "measure": with_period(measure, period),
        "unit": frame["unit"] if "unit" in frame else "",
        "value": frame["value"], "flag": frame["flag"]})
    return finalise(out, path=path, line_of=line_of)


#: SCB's two-digit län codes and their NUTS 3 (2013 … 2024) codes.
LAN_NUTS3 = {"01": "SE110", "03": "SE121", "04": "SE122", "05": "SE123", "06": "SE211", "07": "SE212",
             "08": "SE213", "09": "SE214", "10": "SE221", "12": "SE224", "13": "SE231", "14": "SE232",
             "17": "SE311", "18": "SE124", "19": "SE125", "20": "SE312", "21": "SE313", "22": "SE321",
             "23": "SE322", "24": "SE331", "25": "SE332"}


def _scb_region(code: str) -> str:
    """SCB region codes onto smartspec's: ``00`` → ``SE``, län ``17`` → NUTS 3 ``SE311``;
    kommun codes (four digits) stay as they are."""
    code = str(code).strip()
    if code in ("00", "SE"):
        return "SE"
    return LAN_NUTS3.get(code, code)


def _is_total(code: str, label: str) -> bool:
    text = re.sub(r"[\s,]+", " ", label.casefold()).strip()
    return text in TOTAL_LABELS or code.casefold() in TOTAL_CODES


def _activity_code(dim: str, code: str, label: str, activity_map: dict, *, grouping: bool, path) -> str:
    """The NACE code of one value of an industry variable (see the module docstring).

    In a ``grouping`` (SCB's own ``bransch``) only mapped codes, totals and SNI section
    letters or letter ranges are accepted: its numeric codes are not SNI divisions.
    """
    if code in activity_map:
        target = activity_map[code]
    elif _is_total(code, label):
        return "TOTAL"
    elif grouping and not re.fullmatch(r"[A-U](?:-[A-U])?", code):
        raise InputError(f"{dim} {code!r} ({label.strip()}) is one of SCB's own industry groups, not an SNI 2007 "
                         f"code; leave it out of the selection or state its SNI code (--activity {code}=SNI)",
                         path=path, column=dim)
    else:
        target = _section_group(code)
    try:
        return normalise_activity(target)
    except UnknownCodeError as exc:
        raise InputError(f"{dim} {code!r} ({label.strip()}): {exc}", path=path, column=dim) from None


def _section_group(code: str) -> str:
    """SCB's ``B+C`` (adjacent sections) as the NACE range ``B-C``; other codes unchanged.
    Sections that are not adjacent (``K+M``) stay as they are, and fail as unknown codes."""
    if not _SECTION_GROUP_RE.match(code):
        return code
    letters = code.split("+")
    first = ord(letters[0])
    if [ord(c) - first for c in letters] != list(range(len(letters))):
        return code
    return f"{letters[0]}-{letters[-1]}"


def _activity_dim(data: dict) -> tuple[str | None, bool]:
    """The json-stat2 dimension holding industries (by its id or label, e.g. SNI2007,
    ``näringsgren (SNI 2007)``, ``bransch``) and whether it is an SCB grouping."""
    for dim in data["id"]:
        label = str(data["dimension"][dim].get("label", "")).casefold()
        if _role(dim, ACTIVITY_DIMS + BRANSCH_DIMS) or _ACTIVITY_LABEL_RE.search(label):
            return dim, _role(dim, BRANSCH_DIMS) or label.startswith("bransch")
    return None, False


def _check_distinct(dim: str, mapped: dict[str, str], *, path) -> None:
    """Two source codes must not become the same NACE code (their rows would collide)."""
    seen = {}
    for code, nace in mapped.items():
        if nace in seen:
            raise InputError(f"{dim} {seen[nace]!r} and {code!r} both become {nace}", path=path, column=dim)
        seen[nace] = code


def _metric(data: dict) -> tuple[str | None, dict]:
    """The tabellinnehåll dimension (role ``metric`` or ContentsCode) and its ``unit`` per value code."""
    dims = data["id"]
    metric = next(iter((data.get("role") or {}).get("metric") or []), None)
    if metric not in dims:
        metric = next((d for d in dims if d.casefold() == "contentscode"), None)
    if metric is None:
        return None, {}
    return metric, data["dimension"][metric]["category"].get("unit") or {}


def _categories(data: dict, dim: str) -> tuple[list[str], dict]:
    category = data["dimension"][dim]["category"]
    index = category["index"]
    ordered = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
    return ordered, category.get("label") or {}


def read_jsonstat2(source, *, activity_map: dict[str, str] | None = None) -> pd.DataFrame:
    """Read a json-stat2 dataset (SCB PxWeb v1 with ``format=json-stat2``, or PxWebApi 2).

    Parameters
    ----------
    source : path or dict
        The answer, as a file or already parsed.
    activity_map : dict, optional
        SNI codes for values of the industry variable that are not SNI codes
        themselves (``{"01": "A-F"}``), as the caller knows them.

    Returns
    -------
    DataFrame
        The tidy table; months stay apart in the measure (``employments,period=2023M01``).

    Raises
    ------
    InputError
        For an answer that is not json-stat2, has the wrong number of values, or an
        industry code that is neither SNI 2007 nor a total nor mapped.
    """
    data, path = _load_json(source)
    if data.get("class") != "dataset" or "id" not in data or "dimension" not in data:
        raise InputError("not a json-stat2 dataset (needs class=dataset, id, size, dimension)", path=path)
    ids, sizes = data["id"], data["size"]
    cats = [_categories(data, dim)[0] for dim in ids]
    n = int(np.prod(sizes))
    values = data.get("value", [])
    if isinstance(values, dict):
        dense = [None] * n
        for k, v in values.items():
            dense[int(k)] = v
        values = dense
    if len(values) != n:
        raise InputError(f"json-stat2 has {len(values)} values but its size {sizes} needs {n}", path=path)
    grid = pd.MultiIndex.from_product(cats, names=ids).to_frame(index=False)
    status = data.get("status") or {}
    if isinstance(status, list):
        status = dict(enumerate(status))
    flags = [str(status.get(str(i), status.get(i, "")) or "") for i in range(n)]
    grid["value"] = pd.array([np.nan if v is None else v for v in values], dtype="float64")
    grid["flag"] = [f if f else (".." if v is None else "") for f, v in zip(flags, values)]
    metric, units = _metric(data)
    if metric:
        grid["unit"] = grid[metric].map(lambda c: _unit(units.get(c)))
        grid[metric] = grid[metric].map(lambda c: SCB_MEASURES.get(c, c))
    activity, grouping = _activity_dim(data)
    if activity:
        codes, labels = _categories(data, activity)
        mapped = {c: _activity_code(activity, c, str(labels.get(c, c)), activity_map or {}, grouping=grouping,
                                    path=path) for c in codes}
        _check_distinct(activity, mapped, path=path)
        grid[activity] = grid[activity].map(mapped)
    time_dim = next((d for d in (data.get("role", {}) or {}).get("time", [])), None)
    return _dims_to_tidy(grid, ids, time_dim, path=path, activity=activity)


def _unit(unit) -> str:
    """smartspec's unit for a json-stat2 ``unit`` entry (``{"base": "antal"}`` → ``number``)."""
    base = str((unit or {}).get("base", "")).strip()
    return UNITS.get(base.casefold(), base)


def read_pxweb_json(source) -> pd.DataFrame:
    """Read PxWeb's own JSON answer (``{"columns": […], "data": [{"key": …, "values": …}]}``)."""
    data, path = _load_json(source)
    if "columns" not in data or "data" not in data:
        raise InputError("not a PxWeb JSON answer (needs 'columns' and 'data')", path=path)
    cols = data["columns"]
    keys = [c["code"] for c in cols if c.get("type") != "c"]
    contents = [c["code"] for c in cols if c.get("type") == "c"]
    time_dim = next((c["code"] for c in cols if c.get("type") == "t"), None)
    rows = []
    for i, rec in enumerate(data["data"]):
        if len(rec["key"]) != len(keys) or len(rec["values"]) != len(contents):
            raise InputError(f"data[{i}] has {len(rec['key'])} keys and {len(rec['values'])} values, "
                             f"expected {len(keys)} and {len(contents)}", path=path)
        for content, raw in zip(contents, rec["values"]):
            value, flag = _scb_value(raw)
            rows.append((*rec["key"], content, value, flag))
    frame = pd.DataFrame(rows, columns=[*keys, "ContentsCode", "value", "flag"])
    return _dims_to_tidy(frame, [*keys, "ContentsCode"], time_dim, path=path)


def _scb_value(raw) -> tuple[float, str]:
    text = str(raw).strip().replace("\u00a0", "").replace("\u2009", "").replace(" ", "")
    if text in MISSING:
        return np.nan, text or ".."
    try:
        return float(text.replace(",", ".")), ""
    except ValueError:
        return None, text


def _split_label(label: str) -> str:
    m = _LABEL_RE.match(label.strip())
    return m.group("code") if m else label.strip()


def _export_rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from smartspec.data.readers.generic import xlsx_rows

        return [["" if c is None else str(c) for c in row] for row in xlsx_rows(path)]
    text = decode_text(path.read_bytes(), path)
    return list(csv.reader(io.StringIO(text), sniff_dialect(text)))


def header_row(rows) -> int | None:
    """Index of the first row that looks like an SCB export header (a period among its later cells)."""
    return next((i for i, r in enumerate(rows)
                 if len(r) >= 2 and r[0].strip() and any(_header_time(c) for c in r[1:])), None)


def read_scb_export(path, *, measure: str | None = None) -> pd.DataFrame:
    """Read a table exported from SCB's Statistical Database (CSV or XLSX).

    The layout is label columns (``region``, ``näringsgren SNI 2007`` …) followed by
    one column per year; a title line may stand above the header and footnotes below.
    """
    path = Path(path)
    rows = _export_rows(path)
    header_at = header_row(rows)
    if header_at is None:
        raise InputError("no header row with year columns (e.g. '2019' or 'Medellön 2013M09')", path=path)
    header = [c.strip() for c in rows[header_at]]
    # Plain year headers (2016, 2017) are the time columns; failing those, the trailing
    # run of headers that end in a period ("Medellön 2013M09").
    time_cols = [j for j, c in enumerate(header) if j > 0 and _TIME_RE.match(c)]
    if not time_cols:
        j = len(header)
        while j > 1 and _header_time(header[j - 1]):
            j -= 1
        time_cols = list(range(j, len(header)))
    label_cols = [j for j in range(len(header)) if j not in time_cols]
    if not label_cols:
        raise InputError("no label columns (region, näringsgren …) before the year columns", path=path,
                         line=header_at + 1)
    records = []
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):  # footnotes are shorter lines below the table
            break
        labels = [_split_label(row[j]) for j in label_cols]
        for j in time_cols:
            value, flag = _scb_value(row[j])
            if value is None:
                raise InputError(f"value {row[j]!r} is not a number or '..'", path=path, line=i + 1,
                                 column=header[j])
            label, period = _header_time(header[j])
            records.append((*labels, label or "value", period, value, flag, i + 1))
    names = [header[j] or f"column{j}" for j in label_cols]
    frame = pd.DataFrame(records, columns=[*names, "tabellinnehåll", "Tid", "value", "flag", "_line"])
    dims = [*names, "tabellinnehåll", "Tid"] if frame["tabellinnehåll"].ne("value").any() else [*names, "Tid"]
    out = _dims_to_tidy(frame, dims, "Tid", path=path, line_of=frame["_line"].__getitem__)
    if measure:
        out["measure"] = measure
    return out
