"""The tidy observation table that every reader returns and the store holds.

Columns: ``region, activity, year, measure, unit, value, flag``. ``value`` is float
and missing where the source suppresses or lacks it; ``flag`` keeps the source's
flag (``c`` confidential, ``na`` not available, ``p`` provisional, …). A missing
value is never turned into zero.
"""

import numpy as np
import pandas as pd

from smartspec.data.classifications.nace import normalise_activity
from smartspec.errors import InputError, UnknownCodeError

COLUMNS = ["region", "activity", "year", "measure", "unit", "value", "flag"]


def split_periods(periods: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split time periods into (year, sub-period label).

    ``2014`` → (2014, ""); ``2026M01`` → (2026, "period=2026M01"); ``2020-Q1`` →
    (2020, "period=2020-Q1"). Sub-annual periods are kept apart through the measure.
    Raises InputError for periods that start with no year.
    """
    text = periods.astype(str).str.strip()
    years = text.str.extract(r"^(\d{4})", expand=False)
    if years.isna().any():
        bad = text[years.isna()].iloc[0]
        raise InputError(f"time period {bad!r} does not start with a year")
    suffix = text.where(~text.str.fullmatch(r"\d{4}"), "")
    return years.astype(int), suffix.map(lambda s: f"period={s}" if s else "")


def with_period(measure: pd.Series, suffix: pd.Series) -> pd.Series:
    """Append the sub-period label to the measure where there is one."""
    joined = measure.astype(str) + "," + suffix
    return joined.where(suffix != "", measure.astype(str))


def finalise(frame: pd.DataFrame, *, path=None, line_of=None) -> pd.DataFrame:
    """Validate and normalise a reader's frame into the canonical tidy table.

    ``line_of`` maps the frame's index to source line numbers for error messages.
    """
    frame = frame.copy()
    for col, default in (("measure", "value"), ("unit", ""), ("flag", "")):
        if col not in frame:
            frame[col] = default
    for col in ("region", "activity", "year", "value"):
        if col not in frame:
            raise InputError(f"missing column {col!r}; expected columns {COLUMNS}", path=path)

    def where(idx):
        return None if line_of is None else line_of(idx)

    region = frame["region"].astype("string").str.strip()
    bad = region.isna() | (region == "")
    if bad.any():
        idx = frame.index[bad.to_numpy()][0]
        raise InputError("empty region code", path=path, line=where(idx), column="region")
    frame["region"] = region.astype(str)
    frame["activity"] = _normalise_activities(frame, path, where)
    years = pd.to_numeric(frame["year"], errors="coerce")
    bad = years.isna() | (years % 1 != 0)
    if bad.any():
        idx = frame.index[bad.to_numpy()][0]
        raise InputError(f"year {frame.at[idx, 'year']!r} is not a whole year (e.g. 2014)",
                         path=path, line=where(idx), column="year")
    frame["year"] = years.astype("int64")
    frame["value"] = _numeric_values(frame, path, where)
    frame["flag"] = frame["flag"].fillna("").astype(str).str.strip()
    frame["measure"] = frame["measure"].fillna("value").astype(str)
    frame["unit"] = frame["unit"].fillna("").astype(str)
    return frame[COLUMNS].reset_index(drop=True)


def _normalise_activities(frame, path, where):
    codes = frame["activity"].astype("string").str.strip().fillna("")
    uniques = {}
    for code in codes.unique():
        try:
            uniques[code] = normalise_activity(code)
        except UnknownCodeError as exc:
            idx = frame.index[(codes == code).to_numpy()][0]
            raise InputError(str(exc), path=path, line=where(idx), column="activity") from None
    return codes.map(uniques).astype(str)


def _numeric_values(frame, path, where):
    raw = frame["value"]
    if pd.api.types.is_numeric_dtype(raw):
        return raw.astype("float64")
    text = raw.astype("string").str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & text.notna() & (text != "")
    if bad.any():
        idx = frame.index[bad.to_numpy()][0]
        raise InputError(f"value {raw[idx]!r} is not a number (missing values must be empty "
                         "and may carry a flag)", path=path, line=where(idx), column="value")
    return values.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)
