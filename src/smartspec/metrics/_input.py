"""One place that turns DataFrames, numpy arrays and scipy.sparse matrices into
float64 matrices (regions × activities, or years × regions × activities), and
results back into the caller's type with its labels."""

import importlib
import sys
from dataclasses import dataclass

import numpy as np

from smartspec.errors import InputError


class LazyModule:
    """A module imported on first use: plain-array callers never pay for pandas or scipy."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        return getattr(importlib.import_module(self._name), attr)


pd = LazyModule("pandas")
sp = LazyModule("scipy.sparse")


def _is_sparse(X) -> bool:
    return "scipy.sparse" in sys.modules and sp.issparse(X)


def _is_frame(X) -> bool:
    return "pandas" in sys.modules and isinstance(X, pd.DataFrame)

MISSING_POLICIES = ("raise", "zero", "ignore")


@dataclass
class Matrix:
    """A validated matrix and how to give results back."""

    values: "np.ndarray"
    rows: object = None  # pandas Index of the regions, for labelled input
    cols: object = None
    years: object = None
    kind: str = "array"  # "frame", "panel", "array", "sparse"

    @property
    def is_sparse(self) -> bool:
        return _is_sparse(self.values)

    @property
    def is_panel(self) -> bool:
        return not self.is_sparse and self.values.ndim == 3

    def dense(self) -> np.ndarray:
        return self.values.toarray() if self.is_sparse else self.values

    def like(self, values, rows=True, cols=True):
        """Wrap a regions × activities (or panel) result like the input."""
        if self.kind == "panel":
            T, R, A = values.shape
            index = pd.MultiIndex.from_product([self.years, self.rows], names=[self.years.name or "year",
                                                                              self.rows.name or "region"])
            return pd.DataFrame(values.reshape(T * R, A), index=index, columns=self.cols)
        if self.kind == "frame":
            return pd.DataFrame(_dense(values), index=self.rows if rows else None,
                                columns=self.cols if cols else None)
        return values

    def square(self, values, axis: str = "cols"):
        """Wrap an activities × activities (or regions × regions) result."""
        labels = self.cols if axis == "cols" else self.rows
        if labels is None or self.kind == "array":
            return values
        if values.ndim == 3:
            index = pd.MultiIndex.from_product([self.years, labels], names=[self.years.name or "year", labels.name])
            return pd.DataFrame(values.reshape(-1, values.shape[-1]), index=index, columns=labels)
        return pd.DataFrame(_dense(values), index=labels, columns=labels)

    def vector(self, values, axis: str = "rows", name=None):
        """Wrap a per-region (axis='rows') or per-activity ('cols') result."""
        labels = self.rows if axis == "rows" else self.cols
        if labels is None or self.kind == "array":
            return values
        if values.ndim == 2:  # panel: years × items
            return pd.DataFrame(values, index=self.years, columns=labels)
        return pd.Series(values, index=labels, name=name)


def _dense(values):
    return values.toarray() if _is_sparse(values) else values


def as_matrix(X, *, name: str = "X", missing: str = "raise", nonnegative: bool = True,
              allow_panel: bool = True, allow_sparse: bool = True, copy: bool = True) -> Matrix:
    """Validate ``X`` and return it as a float64 :class:`Matrix`.

    ``copy=False`` lets a float64 numpy array through without copying it, for callers
    that never write to ``values`` (a large panel is then not held twice).

    ``missing`` says what to do with NaN cells (suppressed statistics): ``raise``
    (default) names the first missing cell; ``zero`` treats them as zero, a choice
    the caller makes explicitly; ``ignore`` keeps them as NaN, so that totals use
    the known cells and results are NaN where the input is.
    """
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}, not {missing!r}")
    if isinstance(X, Matrix):
        return X
    if _is_sparse(X):
        if not allow_sparse:
            X = X.toarray()
        else:
            m = Matrix(sp.csr_array(X, dtype=np.float64), kind="sparse")
            _check_values(m.values.data, name, None, missing, nonnegative)
            if missing == "zero":
                m.values.data = np.nan_to_num(m.values.data, nan=0.0)
            return m
    if _is_frame(X):
        if isinstance(X.index, pd.MultiIndex):
            if not allow_panel or X.index.nlevels != 2:
                raise InputError(f"{name}: expected a regions × activities frame, or a panel with a "
                                 "(year, region) index")
            return _panel_from_frame(X, name, missing, nonnegative)
        values = _frame_to_float(X, name)
        m = Matrix(values, pd.Index(X.index), pd.Index(X.columns), kind="frame")
    else:
        if not copy and type(X) is np.ndarray and X.dtype == np.float64:
            values = X  # read only by the caller
        else:
            values = _to_float(np.asarray(X), name)
        if values.ndim == 3 and not allow_panel:
            raise InputError(f"{name}: expected a 2-D regions × activities matrix, got a 3-D panel")
        if values.ndim not in (2, 3):
            raise InputError(f"{name}: expected a 2-D matrix or a 3-D years × regions × activities panel, "
                             f"got {values.ndim} dimension(s)")
        m = Matrix(values, kind="array")
    _check_values(m.values, name, m, missing, nonnegative)
    if missing == "zero":
        m.values = np.nan_to_num(m.values, nan=0.0)
    return m


def _to_float(values, name):
    """float64 copy of ``values``; pandas' missing markers (``pd.NA``, ``NaT``, ``None``) become NaN,
    so that they follow the ``missing`` rules exactly like a float NaN."""
    try:
        return np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        pass
    arr = np.asarray(values)
    if arr.dtype == object and "pandas" in sys.modules:  # e.g. an object array holding pd.NA
        na = pd.isna(arr)
        if na.any():
            arr = arr.copy()
            arr[na] = np.nan
            try:
                return np.array(arr, dtype=np.float64)
            except (TypeError, ValueError):
                pass
    raise InputError(f"{name}: all values must be numbers")


def _frame_to_float(X, name):
    """A frame's values as float64; nullable columns (``Int64``, ``Float64``, ``boolean``)
    give their ``pd.NA`` cells as NaN."""
    try:
        return X.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)  # a copy, as before: callers may write
    except (TypeError, ValueError):
        return _to_float(X.to_numpy(), name)  # names the problem (non-numeric values)


def _panel_from_frame(X, name, missing, nonnegative):
    X = X.sort_index()
    years = X.index.get_level_values(0).unique()
    regions = X.index.get_level_values(1).unique()
    full = pd.MultiIndex.from_product([years, regions], names=X.index.names)
    if len(full) != len(X):
        raise InputError(f"{name}: a panel needs every (year, region) pair once; "
                         f"{len(X)} rows for {len(years)} years × {len(regions)} regions")
    values = _frame_to_float(X.reindex(full), name).reshape(len(years), len(regions), X.shape[1])
    m = Matrix(values, pd.Index(regions, name=X.index.names[1]), pd.Index(X.columns), years=pd.Index(years, name=X.index.names[0]), kind="panel")
    _check_values(m.values, name, m, missing, nonnegative)
    if missing == "zero":
        m.values = np.nan_to_num(m.values, nan=0.0)
    return m


def _check_values(values, name, m, missing, nonnegative):
    if values.size:  # fast path: two reductions, no temporaries (NaN makes both NaN)
        lo, hi = np.min(values), np.max(values)
        if np.isfinite(lo) and np.isfinite(hi) and (lo >= 0 or not nonnegative):
            return
    if np.isinf(values).any():
        raise InputError(f"{name}: contains infinite values")
    if nonnegative and (values < 0).any():
        raise InputError(f"{name}: counts must not be negative ({_first(values < 0, m)})")
    if missing == "raise" and np.isnan(values).any():
        raise InputError(f"{name}: {int(np.isnan(values).sum())} missing (NaN) cells, first {_first(np.isnan(values), m)}. "
                         "Suppressed statistics stay missing: choose missing='ignore' to compute from the known "
                         "cells, or missing='zero' to treat them as zero")


def _first(mask, m) -> str:
    idx = tuple(int(i[0]) for i in np.nonzero(mask))
    if m is None or m.rows is None:
        return f"at index {idx}"
    if m.kind == "panel":
        return f"year {m.years[idx[0]]}, region {m.rows[idx[1]]!r}, activity {m.cols[idx[2]]!r}"
    return f"region {m.rows[idx[0]]!r}, activity {m.cols[idx[1]]!r}"


def as_vector(v, *, name: str, labels=None, length: int | None = None) -> np.ndarray:
    """A float vector aligned to ``labels`` when both are labelled."""
    if "pandas" in sys.modules and isinstance(v, pd.Series) and labels is not None:
        missing = labels.difference(v.index)
        if len(missing):
            raise InputError(f"{name}: no value for {list(missing[:5])}{' …' if len(missing) > 5 else ''}")
        v = v.reindex(labels)
    arr = _to_float(v.to_numpy() if hasattr(v, "to_numpy") else v, name)
    if length is not None and arr.shape[-1] != length:
        raise InputError(f"{name}: expected {length} values, got {arr.shape[-1]}")
    return arr


def safe_divide(a, b):
    """a / b with 0 where b == 0 (documented: empty rows or columns give 0, never NaN)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    out = np.zeros(np.broadcast_shapes(a.shape, b.shape))
    np.divide(a, b, out=out, where=b != 0)
    return out


def reciprocal(b):
    """1 / b with 0 where b == 0 (small arrays of totals: cheap to make exact)."""
    b = np.asarray(b, dtype=np.float64)
    out = np.zeros_like(b)
    np.divide(1.0, b, out=out, where=b != 0)
    return out


def is_binary(values) -> bool:
    """True if every value is 0 or 1 (fast path for large float arrays)."""
    v = values.data if hasattr(values, "data") and not isinstance(values, np.ndarray) else values
    return bool(np.logical_or(v == 0.0, v == 1.0).all())
