"""Read an external relatedness input: a labour-flow table or a ready matrix.

Accepted long tables (CSV or Parquet), columns recognised by name:

* flows — ``source, target, moves`` (``smartspec microdata aggregate``'s
  ``-flows.parquet``, with ``level`` and ``window_start`` columns) or
  ``StartIndst, FinalIndst, Counts`` (the UK ASHE flow file). Flows are summed
  up the NACE tree to the wanted level.
* a matrix — ``source, target, weight`` (or ``relatedness``/``value``), e.g. a
  national skill-relatedness table, read as a square matrix at the file's own
  codes, with the mapping of each code to its ancestor at the wanted level.

This module only reads: it imports nothing of :mod:`smartspec.metrics`. Turning
the flows into skill-relatedness (:func:`smartspec.metrics.skill_relatedness`)
or averaging the matrix onto the wanted level
(:func:`smartspec.metrics.align_relatedness`) is the analysis layer's
:func:`smartspec.analysis.relatedness_input.read_relatedness`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smartspec.data.classifications.nace import (
    activity_level,
    ancestor_at,
    known_classes,
    normalise_activity,
)
from smartspec.data.readers.text import decode_text, sniff_dialect
from smartspec.errors import InputError, UnknownCodeError

_SOURCE = ("source", "StartIndst", "from", "origin")
_TARGET = ("target", "FinalIndst", "to", "destination")
_FLOW = ("moves", "count", "counts", "Counts", "flows")
_WEIGHT = ("weight", "relatedness", "value")


@dataclass(frozen=True)
class RelatednessTable:
    """An external relatedness file, read and rolled up to one NACE level.

    ``kind`` is ``"flows"`` or ``"matrix"``. For flows, ``frame`` is the long
    table ``source, target, count`` summed to codes at ``level``; for a matrix,
    ``frame`` is the square matrix at the file's own codes (missing pairs filled
    with the smallest value in the file). ``mapping`` sends each code of the file
    to its ancestor at ``level`` (``None`` for the skipped ones); ``activities``
    are the codes at ``level`` present, sorted.
    ``skipped`` counts the file's codes outside NACE that were left out.
    """

    kind: str
    frame: pd.DataFrame
    mapping: dict
    activities: list
    level: str
    file: str
    skipped: int


def read_relatedness_table(path, *, level: str = "division", windows=None) -> RelatednessTable:
    """Read a flow table or a relatedness matrix from ``path`` (CSV or Parquet) at NACE ``level``."""
    path = Path(path)
    frame = _read(path)
    src, dst = _column(frame, _SOURCE, path, "source"), _column(frame, _TARGET, path, "target")
    flow = next((c for c in _FLOW if c in frame.columns), None)
    weight = next((c for c in _WEIGHT if c in frame.columns), None)
    if flow is None and weight is None:
        raise InputError(f"expected a flow column ({', '.join(_FLOW)}) or a relatedness column "
                         f"({', '.join(_WEIGHT)}); found {list(frame.columns)}", path=path)
    if "level" in frame.columns:
        finest = "class" if "class" in set(frame["level"]) else frame["level"].iloc[0]
        frame = frame[frame["level"] == finest]
    if windows is not None and "window_start" in frame.columns:
        frame = frame[frame["window_start"].isin(list(windows))]
        if frame.empty:
            raise InputError(f"no flows in the windows starting {list(windows)}", path=path, column="window_start")

    known = known_classes()

    def up(code):
        try:
            canonical = normalise_activity(str(code).zfill(4) if str(code).isdigit() else code)
        except UnknownCodeError:
            return None
        if known and activity_level(canonical) == "class" and canonical not in known:
            return None  # e.g. the UK file's placeholder 0000
        return ancestor_at(canonical, level)

    codes = pd.unique(pd.concat([frame[src], frame[dst]]))
    mapping = {c: up(c) for c in codes}
    bad = [c for c, m in mapping.items() if m is None]
    frame = frame[~frame[src].isin(bad) & ~frame[dst].isin(bad)]
    if frame.empty:
        raise InputError(f"no NACE codes at or below the {level} level among {bad[:5]}", path=path, column=src)
    if flow is not None:
        long = pd.DataFrame({"source": frame[src].map(mapping), "target": frame[dst].map(mapping),
                             "count": frame[flow].astype(float)})
        long = long.groupby(["source", "target"], as_index=False)["count"].sum()
        activities = sorted(set(long["source"]) | set(long["target"]))
        return RelatednessTable("flows", long, mapping, activities, level, path.name, len(bad))
    wide = frame.pivot_table(index=src, columns=dst, values=weight, aggfunc="mean")
    labels = sorted(set(wide.index) | set(wide.columns))
    wide = wide.reindex(index=labels, columns=labels)
    activities = sorted({mapping[c] for c in labels})
    return RelatednessTable("matrix", wide.fillna(wide.stack().min()), mapping, activities, level, path.name,
                            len(bad))


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise InputError("no such file", path=path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    text = decode_text(path.read_bytes(), path)
    return pd.read_csv(io.StringIO(text), sep=sniff_dialect(text).delimiter, dtype=str).pipe(_numeric)


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    for c in frame.columns:
        if c in _FLOW + _WEIGHT or c == "window_start":
            try:
                frame[c] = pd.to_numeric(frame[c], errors="raise")
            except (ValueError, TypeError) as exc:
                raise InputError(f"expected numbers ({exc})", column=c) from None
    return frame


def _column(frame, names, path, what) -> str:
    for name in names:
        if name in frame.columns:
            return name
    raise InputError(f"no {what} column; expected one of {', '.join(names)}", path=path)
