"""Sub-annual periods (months, quarters) and their conversion into years.

Readers keep a sub-annual period apart through the measure: ``employments,period=2023M01``
(see :func:`smartspec.data.tidy.split_periods`). :func:`annualise` turns such rows into
one row per year by a stated rule.

The rule
--------
* ``mean``: the annual value is the mean of the year's periods (12 months or 4
  quarters). Use it for stocks, such as a count of ongoing employments at each month.
* ``sum``: the annual value is the sum of the year's periods. Use it for flows
  (hires, hours worked, wage sums); never for percentages.
* A year counts only when every one of its periods is in the table. A year with
  fewer periods (2024 when only 2024M01–2024M03 are published, or a selection that
  cut the year) is left out of the annual table, so that a partial year can never be
  read as a full one.
* A complete year in which a period is missing (suppressed ``..``, not available)
  is kept with its value missing and the flag of the missing period(s). It is never
  a mean of the remaining periods, and never zero.
"""

import re

import pandas as pd

from smartspec.data.tidy import COLUMNS
from smartspec.errors import InputError

RULES = ("mean", "sum")
#: Period patterns: (regex with groups year and index, periods per year).
PERIOD_FORMATS = (
    (re.compile(r"^(\d{4})M(\d{2})$"), 12),      # SCB, Eurostat: 2023M01
    (re.compile(r"^(\d{4})-(\d{2})$"), 12),      # ISO: 2023-01
    (re.compile(r"^(\d{4})[KQ](\d)$"), 4),       # SCB kvartal 2023K1, 2023Q1
    (re.compile(r"^(\d{4})-Q(\d)$"), 4),         # SDMX: 2023-Q1
)
_PERIOD_SUFFIX = re.compile(r"^(?:(?P<base>.*),)?period=(?P<period>[^,]+)$")
_KEYS = ["region", "activity", "year", "measure", "unit"]


def parse_period(period: str) -> tuple[int, int, int]:
    """``2023M04`` → (2023, 4, 12); ``2023K2`` → (2023, 2, 4).

    Returns (year, index within the year, periods per year). Raises InputError for a
    period of another form or an index outside the year (``2023M13``).
    """
    text = str(period).strip()
    for pattern, per_year in PERIOD_FORMATS:
        if m := pattern.match(text):
            year, index = int(m.group(1)), int(m.group(2))
            if not 1 <= index <= per_year:
                break
            return year, index, per_year
    raise InputError(f"sub-annual period {text!r} is neither a month (2023M01, 2023-01) nor a quarter "
                     "(2023K1, 2023Q1, 2023-Q1)")


def split_measure(measure: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split measures into (base measure, period): ``employments,period=2023M01`` →
    (``employments``, ``2023M01``). Rows without a period get an empty period."""
    parts = measure.astype(str).str.extract(_PERIOD_SUFFIX)
    has = parts["period"].notna()
    base = parts["base"].fillna("value").where(has, measure.astype(str))
    return base, parts["period"].fillna("")


def _join_flags(flags: pd.Series) -> str:
    return ",".join(dict.fromkeys(f for f in flags if f))


def _periods(frame: pd.DataFrame) -> pd.DataFrame:
    """The sub-annual rows of ``frame`` with base measure, period index and periods per year."""
    base, period = split_measure(frame["measure"])
    sub = frame[period != ""].assign(measure=base[period != ""])
    parsed = pd.DataFrame([parse_period(p) for p in period[period != ""]],
                          columns=["_year", "_index", "_per_year"], index=sub.index)
    sub = pd.concat([sub, parsed], axis=1)
    bad = sub["_year"] != sub["year"]
    if bad.any():
        raise InputError(f"period {period[bad].iloc[0]!r} lies outside its year {sub['year'][bad].iloc[0]}")
    twice = sub.duplicated(_KEYS + ["_index"])
    if twice.any():
        row = sub[twice].iloc[0]
        raise InputError(f"period {period[twice].iloc[0]!r} appears twice for {row['region']}, "
                         f"{row['activity']}, {row['measure']}")
    return sub


def annualise(frame: pd.DataFrame, rule: str = "mean", *, progress=None) -> pd.DataFrame:
    """Turn a tidy frame's monthly or quarterly rows into annual rows by ``rule``.

    Parameters
    ----------
    frame : DataFrame
        A tidy table (``region, activity, year, measure, unit, value, flag``) whose
        sub-annual rows carry their period in the measure (``…,period=2023M01``).
        Rows without a period are kept as they are.
    rule : {'mean', 'sum'}
        ``mean`` for stocks (the year's average), ``sum`` for flows.
    progress : callable, optional
        Told which years were left out as incomplete.

    Returns
    -------
    DataFrame
        The tidy table with one row per series and complete year. A year with
        fewer periods than it has (12 months, 4 quarters) is left out; a complete
        year with a missing period keeps a missing value and that period's flag
        (``..``). Other flags of the periods (``p``) are carried over.

    Raises
    ------
    InputError
        For an unknown rule, a period that cannot be read or appears twice, a
        series mixing months and quarters, a sum of percentages, or an annual row
        that already exists.
    """
    if rule not in RULES:
        raise InputError(f"unknown annual rule {rule!r}; expected one of {RULES}")
    frame = frame.reset_index(drop=True)
    sub = _periods(frame)
    if sub.empty:
        return frame[COLUMNS].reset_index(drop=True)
    if rule == "sum" and (sub["unit"] == "percent").any():
        raise InputError("an annual sum of percentages is meaningless; use --annual mean or leave them out")
    groups = sub.assign(_missing=sub["flag"].where(sub["value"].isna(), "")).groupby(_KEYS, sort=False)
    years = groups.agg(n=("_index", "nunique"), per_year=("_per_year", "max"), mixed=("_per_year", "min"),
                       known=("value", "count"), value=("value", rule), flags=("flag", _join_flags),
                       missing=("_missing", _join_flags)).reset_index()
    if (years["mixed"] != years["per_year"]).any():
        raise InputError("a series mixes months and quarters; annualise them separately")
    complete = years["n"] == years["per_year"]
    _report_partial(years[~complete], progress)
    years = years[complete]
    gap = years["known"] < years["per_year"]
    years = years.assign(value=years["value"].where(~gap), flag=years["missing"].where(gap, years["flags"]))
    out = pd.concat([frame.loc[~frame.index.isin(sub.index), COLUMNS], years[COLUMNS]], ignore_index=True)
    twice = out.duplicated(_KEYS)
    if twice.any():
        row = out[twice].iloc[0]
        raise InputError(f"{row['region']}, {row['activity']}, {row['measure']} has both an annual value "
                         f"and periods for {row['year']}")
    return out


def _report_partial(partial: pd.DataFrame, progress) -> None:
    if progress is None or partial.empty:
        return
    for (year, per_year), g in partial.groupby(["year", "per_year"]):
        have = "/".join(map(str, sorted(set(g["n"]))))
        unit = "months" if per_year == 12 else "quarters"
        progress(f"{year}: only {have} of {per_year} {unit} in the table; the year is left out of the annual figures")
