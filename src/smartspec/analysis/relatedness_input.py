"""An external relatedness input for the analysis: a labour-flow table or a ready matrix.

The data layer reads the file and rolls its NACE codes up
(:func:`smartspec.data.relatedness.read_relatedness_table`); the metrics layer
computes: flows become skill-relatedness (:func:`smartspec.metrics.skill_relatedness`,
(SR−1)/(SR+1) in [−1, 1)), a matrix is averaged over the pairs below each activity
of the wanted level (:func:`smartspec.metrics.align_relatedness`).
"""

from __future__ import annotations

import pandas as pd

from smartspec import metrics as mt
from smartspec.data.relatedness import read_relatedness_table

__all__ = ["read_relatedness"]


def read_relatedness(path, *, level: str = "division", windows=None) -> tuple[pd.DataFrame, str]:
    """A square relatedness matrix at ``level`` and a one-line description of it.

    ``path`` is a flow table or a relatedness matrix (CSV or Parquet, see
    :mod:`smartspec.data.relatedness`); ``windows`` keeps the flows of the windows
    starting in those years. The matrix' ``attrs["source"]`` says what it was made of.
    """
    table = read_relatedness_table(path, level=level, windows=windows)
    skipped = f"; {table.skipped} codes outside NACE skipped" if table.skipped else ""
    if table.kind == "flows":
        matrix = mt.skill_relatedness(table.frame)
        moves = int(table.frame["count"].sum())
        matrix.attrs["source"] = {"kind": "flows", "moves": moves, "file": table.file, "skipped": table.skipped}
        return matrix, f"skill-relatedness from {moves:,} job moves in {table.file}{skipped}"
    matrix = mt.align_relatedness(table.frame, table.activities, mapping=table.mapping)
    matrix.attrs["source"] = {"kind": "matrix", "moves": None, "file": table.file, "skipped": table.skipped}
    return matrix, f"relatedness matrix {table.file} averaged to {level}{skipped}"
