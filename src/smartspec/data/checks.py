"""Checks that every table passes before it is stored (``data import``, ``data fetch``):
activity codes that exist in a classification, one classification version, and one
notation per region. Each failure names the dataset and the offending codes."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from smartspec.data.classifications.nace import REV2, REV21, activity_level, codes_at
from smartspec.data.classifications.nace21 import classification_version
from smartspec.data.classifications.regions import canonical_region
from smartspec.data.paths import MissingDataError
from smartspec.errors import InputError

DEEP = ("group", "class", "detailed")


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Every group, class and detailed group of NACE Rev. 2 / SNI 2007 and NACE Rev. 2.1 / SNI 2025."""
    return frozenset(c for level in DEEP for version in (REV2, REV21) for c in codes_at(level, version))


def check_table(frame: pd.DataFrame, name: str) -> str:
    """Check a tidy table before storing it; returns its classification version.

    Raises InputError naming ``name`` and the codes when an activity code exists in no
    classification, when NACE Rev. 2 and Rev. 2.1 codes are mixed, or when one region is
    written in two notations (SCB's län code ``17`` and its NUTS 3 code ``SE311``)."""
    codes = sorted(frame["activity"].unique())
    try:
        known = known_codes()
    except MissingDataError:  # no classification files: codes were checked by shape only
        known = None
    unknown = [c for c in codes if known is not None and activity_level(c) in DEEP and c not in known]
    if unknown:
        raise InputError(f"{name}: activity codes that exist in no classification (NACE Rev. 2 / SNI 2007, "
                         f"NACE Rev. 2.1 / SNI 2025): {', '.join(unknown[:10])}"
                         + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""), column="activity")
    try:
        version = classification_version(codes) if known is not None else REV2
    except InputError as exc:
        raise InputError(f"{name}: {exc}", column="activity") from None
    _check_notation(frame["region"].unique(), name)
    return version


def _check_notation(regions, name: str) -> None:
    canonical = pd.Series({r: canonical_region(r) for r in regions})
    twice = canonical[canonical.duplicated(keep=False)]
    if len(twice):
        pairs = [" = ".join(sorted(g.index)) for _, g in twice.groupby(twice)]
        raise InputError(f"{name}: the same regions are given in two notations ({'; '.join(pairs[:5])}): "
                         "keep one (e.g. SCB's län codes or NUTS 3 codes), or the region is counted twice",
                         column="region")
