"""Where smartspec reads source data from and where it writes.

* Data directory (read-only is fine): ``--data-dir`` or ``SMARTSPEC_DATA_DIR``.
* Workspace for everything smartspec writes (DuckDB store, downloads, caches):
  ``SMARTSPEC_HOME``, default the user's data folder (XDG on Linux,
  Application Support on macOS, LOCALAPPDATA on Windows).
"""

import os
import sys
from pathlib import Path

_overrides: dict[str, Path] = {}


def set_data_dir(path) -> None:
    _overrides["data_dir"] = Path(path)


def set_home(path) -> None:
    _overrides["home"] = Path(path)


def data_dir() -> Path | None:
    """The source-data directory, or None when none is configured."""
    if "data_dir" in _overrides:
        return _overrides["data_dir"]
    env = os.environ.get("SMARTSPEC_DATA_DIR")
    return Path(env) if env else None


def _user_data_dir() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "smartspec"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "smartspec"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "smartspec"


def home() -> Path:
    """The writable workspace (created on first use)."""
    path = _overrides.get("home") or Path(
        os.environ.get("SMARTSPEC_HOME") or _user_data_dir()
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def downloads_dir() -> Path:
    path = home() / "downloads"
    path.mkdir(parents=True, exist_ok=True)
    return path
