"""Lookup tables that roll microdata codes up the region and NACE hierarchies.

Each table has one row per (code, level): the code as it appears in the
microdata and its ancestor (``parent``) at that level. They are built from the
codes actually present, so unknown codes are caught before any result is
written.
"""

from __future__ import annotations

import re

import pandas as pd

from smartspec.data.classifications.nace import (
    activity_level,
    ancestor_at,
    known_classes,
    normalise_activity,
)
from smartspec.data.paths import require_data_file
from smartspec.errors import InputError, UnknownCodeError

REGION_LEVELS = ("kommun", "nuts3", "nuts2", "nuts1", "country")
ACTIVITY_LEVELS = ("class", "group", "division", "section")
_NUTS3 = re.compile(r"^[A-Z]{2}[0-9A-Z]{3}$")


def region_table(codes, levels=REGION_LEVELS, *, table: str = "microdata") -> pd.DataFrame:
    """``code, level, parent`` for kommun codes (``1780``) and NUTS 3 codes (``SE311``)."""
    _check_levels(levels, REGION_LEVELS, "region")
    rows, bad = [], []
    kommuner = _kommun_nuts3() if any(len(str(c)) == 4 and str(c).isdigit() for c in codes) else {}
    for code in sorted(set(codes)):
        chain = _region_chain(code, kommuner)
        if chain is None:
            bad.append(code)
            continue
        rows += [(code, level, parent) for level, parent in chain.items() if level in levels]
    if bad:
        raise InputError(f"unknown region codes {bad[:10]} (expected four-digit kommun codes such as 1780 or "
                         "NUTS 3 codes such as SE311)", path=table, column="region")
    return pd.DataFrame(rows, columns=["code", "level", "parent"])


def _region_chain(code: str, kommuner: dict) -> dict | None:
    if code in kommuner:
        nuts3 = kommuner[code]
        return {"kommun": code, **_nuts_chain(nuts3)}
    if _NUTS3.match(code):
        return _nuts_chain(code)
    return None


def _nuts_chain(nuts3: str) -> dict:
    return {"nuts3": nuts3, "nuts2": nuts3[:4], "nuts1": nuts3[:3], "country": nuts3[:2]}


def _kommun_nuts3() -> dict:
    km = pd.read_csv(require_data_file("sweden/kommun_lan_nuts3.csv"), dtype=str)
    return dict(zip(km["kommun_kod"], km["nuts3_2016"]))


def activity_table(codes, levels=ACTIVITY_LEVELS, *, table: str = "microdata") -> pd.DataFrame:
    """``code, level, parent`` for NACE four-digit classes given as ``2611`` or ``26.11``."""
    _check_levels(levels, ACTIVITY_LEVELS, "activity")
    known = known_classes()
    rows, bad = [], []
    for code in sorted(set(codes)):
        try:
            canonical = normalise_activity(code)
        except UnknownCodeError:
            canonical = None
        if canonical is None or activity_level(canonical) != "class" or (known and canonical not in known):
            bad.append(code)
            continue
        rows += [(code, level, ancestor_at(canonical, level)) for level in levels]
    if bad:
        raise InputError(f"unknown or non-class NACE codes {bad[:10]} (expected four-digit classes such as 2611)",
                         path=table, column="industry")
    return pd.DataFrame(rows, columns=["code", "level", "parent"])


def _check_levels(levels, known, kind) -> None:
    wrong = [lv for lv in levels if lv not in known]
    if wrong or not levels:
        raise InputError(f"unknown {kind} level(s) {wrong}; choose from {', '.join(known)}")
