"""Lookup tables that roll microdata codes up the region and NACE hierarchies.

Each table has one row per (code, level): the code as it appears in the
microdata and its ancestor (``parent``) at that level. They are built from the
codes actually present, so unknown codes are caught before any result is
written.
"""

from __future__ import annotations

import pandas as pd

from smartspec.data.classifications.nace import (
    activity_level,
    ancestor_at,
    known_classes,
    normalise_activity,
)
from smartspec.data.classifications.regions import region_parent_key, region_tier
from smartspec.errors import InputError, UnknownCodeError

REGION_LEVELS = ("kommun", "nuts3", "nuts2", "nuts1", "country")
ACTIVITY_LEVELS = ("class", "group", "division", "section")


def region_table(codes, levels=REGION_LEVELS, *, table: str = "microdata") -> pd.DataFrame:
    """``code, level, parent`` for kommun codes (``1780``) and NUTS 3 codes (``SE311``), through
    the one region hierarchy of :func:`smartspec.data.classifications.regions.region_parent_key`."""
    _check_levels(levels, REGION_LEVELS, "region")
    codes = sorted({str(c) for c in codes})
    nuts3 = region_parent_key(codes, "nuts3")
    bad = [c for c in codes if region_tier(c) not in ("kommun", "nuts3") or nuts3[c] is None]
    if bad:
        raise InputError(f"unknown region codes {bad[:10]} (expected four-digit kommun codes such as 1780 or "
                         "NUTS 3 codes such as SE311)", path=table, column="region")
    keys = {level: region_parent_key(codes, level) for level in levels}
    rows = [(code, level, keys[level][code]) for code in codes for level in levels if keys[level][code] is not None]
    return pd.DataFrame(rows, columns=["code", "level", "parent"])


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
