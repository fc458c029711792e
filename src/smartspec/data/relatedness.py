"""Read an external relatedness input: a labour-flow table or a ready matrix.

Accepted long tables (CSV or Parquet), columns recognised by name:

* flows — ``source, target, moves`` (``smartspec microdata aggregate``'s
  ``-flows.parquet``, with ``level`` and ``window_start`` columns) or
  ``StartIndst, FinalIndst, Counts`` (the UK ASHE flow file). Flows are summed
  up the NACE tree to the wanted level and turned into skill-relatedness
  (:func:`smartspec.metrics.skill_relatedness`, (SR−1)/(SR+1) in [−1, 1)).
* a matrix — ``source, target, weight`` (or ``relatedness``/``value``), e.g. a
  national skill-relatedness table; averaged over the pairs below each
  activity of the wanted level (:func:`smartspec.metrics.align_relatedness`).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from smartspec.errors import InputError, UnknownCodeError

_SOURCE = ("source", "StartIndst", "from", "origin")
_TARGET = ("target", "FinalIndst", "to", "destination")
_FLOW = ("moves", "count", "counts", "Counts", "flows")
_WEIGHT = ("weight", "relatedness", "value")


def read_relatedness(path, *, level: str = "division", windows=None) -> tuple[pd.DataFrame, str]:
    """A square relatedness matrix at ``level`` and a one-line description of it."""
    from smartspec import metrics as mt
    from smartspec.data.classifications.nace import activity_level, ancestor_at, known_classes, normalise_activity

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
    skipped = f"; {len(bad)} codes outside NACE skipped" if bad else ""
    if flow is not None:
        long = pd.DataFrame({"source": frame[src].map(mapping), "target": frame[dst].map(mapping),
                             "count": frame[flow].astype(float)})
        long = long.groupby(["source", "target"], as_index=False)["count"].sum()
        matrix = mt.skill_relatedness(long)
        moves = int(long["count"].sum())
        matrix.attrs["source"] = {"kind": "flows", "moves": moves, "file": path.name, "skipped": len(bad)}
        return matrix, f"skill-relatedness from {moves:,} job moves in {path.name}{skipped}"
    wide = frame.pivot_table(index=src, columns=dst, values=weight, aggfunc="mean")
    labels = sorted(set(wide.index) | set(wide.columns))
    wide = wide.reindex(index=labels, columns=labels)
    targets = sorted({mapping[c] for c in labels})
    matrix = mt.align_relatedness(wide.fillna(wide.stack().min()), targets, mapping=mapping)
    matrix.attrs["source"] = {"kind": "matrix", "moves": None, "file": path.name, "skipped": len(bad)}
    return matrix, f"relatedness matrix {path.name} averaged to {level}{skipped}"


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise InputError("no such file", path=path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    from smartspec.data.readers.text import decode_text, sniff_dialect

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
