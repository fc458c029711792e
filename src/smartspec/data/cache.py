"""Derived reference tables kept on disk in the workspace (``SMARTSPEC_HOME/cache``), so
that each command does not rebuild them: rebuilt when an input file or the code that
builds them changes."""

from __future__ import annotations

import hashlib
import inspect
import os
import pickle
from pathlib import Path

from smartspec import config
from smartspec.data.paths import MissingDataError, require_data_file


def _stamp(paths) -> str:
    digest = hashlib.sha256()
    for path in paths:
        st = os.stat(path) if path else None
        digest.update((f"{path}:{st.st_size}:{st.st_mtime_ns};" if st else "absent;").encode())
    return digest.hexdigest()[:20]


def _optional(relative: str) -> Path | None:
    try:
        return require_data_file(relative)
    except MissingDataError:
        return None


def _load_or_build(path: Path, build):
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass
    value = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return value


def keyed_cached(name: str, key: str, build, depends=()):
    """``build()``'s value for ``key`` (e.g. a dataset version and the slice of it used),
    computed once per key and per version of the module that defines ``build``: what all
    regions of a dataset share (suppression estimates, the complexity reading) is computed
    by the first analysis and read by the others. ``depends``: further functions whose
    modules' changes must rebuild the value."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    code = _stamp([Path(inspect.getsourcefile(f)) for f in (build, *depends)])
    return _load_or_build(config.home() / "cache" / f"{name}-{digest}-{code}.pickle", build)


def disk_cached(name: str, files: tuple[str, ...], build):
    """``build()``'s value, computed once per version of the data ``files`` (paths relative
    to the data directory; an absent file counts as a version too) and of the module that
    defines ``build``."""
    paths = [_optional(f) for f in files] + [Path(inspect.getsourcefile(build))]
    return _load_or_build(config.home() / "cache" / f"{name}-{_stamp(paths)}.pickle", build)
