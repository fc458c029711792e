"""NACE Rev. 2.1 (= SNI 2025 down to four digits): telling the versions apart, and linking data to it.

The structure and names of NACE Rev. 2.1 are in :mod:`smartspec.data.classifications.nace`
(``version=REV21``). The links are Eurostat's correspondence table
``classifications/nace_rev2_to_rev21.csv``: links without weights, so data
are carried over only where a NACE Rev. 2 code goes whole into one Rev. 2.1 code.
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from smartspec.data.classifications.nace import REV2, REV21, activity_level, nace_table
from smartspec.data.paths import require_data_file
from smartspec.errors import InputError

CORRESPONDENCE = "classifications/nace_rev2_to_rev21.csv"
_LINK_LEVELS = ("division", "group", "class")


def exclusive_codes() -> dict[str, frozenset[str]]:
    """For each version, the canonical codes (section … detailed group) that exist only in it."""
    rev2, rev21 = (frozenset(nace_table(v)["code"]) for v in (REV2, REV21))
    return {REV2: rev2 - rev21, REV21: rev21 - rev2}


def classification_version(codes) -> str:
    """``'NACE Rev. 2'`` or ``'NACE Rev. 2.1'``: the version a collection of canonical codes is in.

    Judged only by codes that exist in one version alone (e.g. class ``62.01`` is
    Rev. 2's, ``62.10`` Rev. 2.1's; division ``45`` is Rev. 2's, section ``V``
    Rev. 2.1's). Codes found in both versions decide nothing, even where their
    meaning changed: sections A–U exist in both but differ from J on. When no
    code decides (e.g. only sections, or only unchanged classes), the answer is
    ``'NACE Rev. 2'``. Aggregates and unknown codes are ignored.

    Raises
    ------
    InputError
        When the codes hold codes found only in Rev. 2 and codes found only in
        Rev. 2.1: the message names a few of each.

    Example
    -------
    >>> classification_version(["62.10", "01.11"])  # doctest: +SKIP
    'NACE Rev. 2.1'
    """
    codes = {str(c) for c in codes}
    only = {version: sorted(codes & exclusive) for version, exclusive in exclusive_codes().items()}
    if only[REV2] and only[REV21]:
        raise InputError(f"the dataset mixes classification versions: {_few(only[REV2])} exist only in {REV2}, "
                         f"{_few(only[REV21])} only in {REV21}")
    return REV21 if only[REV21] else REV2


def _few(codes: list[str], n: int = 5) -> str:
    return ", ".join(codes[:n]) + (f" (and {len(codes) - n} more)" if len(codes) > n else "")


@lru_cache(maxsize=4)
def _read_links(path: str) -> pd.DataFrame:
    links = pd.read_csv(path, dtype=str, keep_default_na=False)
    links = links[links["from_code"] != ""]  # Rev. 2.1 class 46.89 has no Rev. 2 source
    return links.astype({"from_n_links": int, "to_n_links": int})


def correspondence(level: str) -> pd.DataFrame:
    """Eurostat's NACE Rev. 2 → Rev. 2.1 links at ``level`` (division, group or class).

    Columns as in the data file: ``from_code, to_code, from_n_links, to_n_links``
    and the source's names and notes. The link to a Rev. 2.1 code with no Rev. 2
    source (``46.89``) is left out.
    """
    if level not in _LINK_LEVELS:
        raise ValueError(f"level must be one of {', '.join(_LINK_LEVELS)}, not {level!r}")
    links = _read_links(str(require_data_file(CORRESPONDENCE)))
    return links[links["level"] == level].reset_index(drop=True)


def link_rev2_to_rev21(frame: pd.DataFrame) -> pd.DataFrame:
    """A tidy frame in NACE Rev. 2 codes, recoded to NACE Rev. 2.1 without apportioning.

    ``frame`` has columns ``region, activity, year, measure, unit, value, flag``
    (other columns are kept as keys) with canonical Rev. 2 codes all at one level:
    division, group or class. Each Rev. 2.1 code of that level is built from its
    Rev. 2 sources in Eurostat's correspondence table:

    * a Rev. 2 code that goes whole to one Rev. 2.1 code (``from_n_links == 1``)
      is carried over; several such sources of one target are summed. A target
      with a single source keeps that source's flag; a sum has flag ``''``;
    * a target that draws on a Rev. 2 code split over several Rev. 2.1 codes is
      missing (NaN) with flag ``split``: the table has no weights, so nothing is
      apportioned, even when the target has other, fully known sources;
    * otherwise a target with a missing source value, or with a source absent
      from ``frame`` (for that region, year, measure and unit), is missing with
      flag ``c``.

    Only targets with at least one source in ``frame`` appear.

    Example
    -------
    >>> frame = pd.DataFrame({"region": "SE", "activity": ["62.01", "35.11"], "year": 2020,
    ...                       "measure": "EMP", "unit": "PER", "value": [10.0, 4.0], "flag": ""})
    >>> link_rev2_to_rev21(frame)[["activity", "value", "flag"]]  # doctest: +SKIP
      activity  value   flag
    0    35.11    NaN  split
    1    35.12    NaN  split
    2    62.10   10.0
    """
    level = _one_level(frame["activity"])
    links = correspondence(level)
    unknown = sorted(set(frame["activity"]) - set(links["from_code"]))
    if unknown:
        raise InputError(f"not NACE Rev. 2 {level} codes: {_few(unknown)}", column="activity")
    keys = [c for c in frame.columns if c not in ("activity", "value", "flag")]
    work = frame.merge(links[["from_code", "to_code", "from_n_links", "to_n_links"]],
                       left_on="activity", right_on="from_code")
    work = work.assign(activity=work["to_code"], missing=work["value"].isna(), split=work["from_n_links"] > 1)
    out = work.groupby(keys + ["activity"], dropna=False, sort=True).agg(
        total=("value", "sum"), n_missing=("missing", "sum"), split=("split", "any"),
        n_sources=("from_code", "nunique"), expected=("to_n_links", "first"), source_flag=("flag", "first"),
    ).reset_index()
    incomplete = (out["n_missing"] > 0) | (out["n_sources"] < out["expected"])
    out["value"] = np.where(out["split"] | incomplete, np.nan, out["total"])
    flag = out["source_flag"].fillna("").where(out["n_sources"] == 1, "")
    out["flag"] = flag.mask(incomplete, "c").mask(out["split"], "split")
    return out[list(frame.columns)]


def _one_level(activities: pd.Series) -> str:
    levels = sorted(set(activities.map(activity_level)))
    if len(levels) != 1 or levels[0] not in _LINK_LEVELS:
        raise InputError(f"expected NACE Rev. 2 activities all at one level (division, group or class); "
                         f"found {', '.join(levels) or 'none'}", column="activity")
    return levels[0]
