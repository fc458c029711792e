"""Locating files in the configured data directory."""

from pathlib import Path

from smartspec import config
from smartspec.errors import SmartspecError


class MissingDataError(SmartspecError, FileNotFoundError):
    """A source file that the configured data directory does not hold."""


def require_data_file(relative: str) -> Path:
    """Path of ``relative`` inside the data directory, else in the workspace's downloads,
    else fetched there from its publisher (see :mod:`smartspec.data.fetch.reference`),
    else a clear error saying how to get it."""
    root = config.data_dir()
    candidates = [root / relative] if root else []
    candidates.append(config.home() / "downloads" / relative)
    for path in candidates:
        if path.exists():
            return path
    # cycle: fetch.reference (and the fetch package it is in) imports the readers and
    # classifications, which import this module
    from smartspec.data.fetch.reference import fetch_reference

    fetched = fetch_reference(relative)
    if fetched is not None:
        return fetched
    where = f"the data directory {root}" if root else "no data directory (set SMARTSPEC_DATA_DIR or --data-dir)"
    raise MissingDataError(
        f"{relative} was not found in {where} nor in {candidates[-1].parent}; "
        "point smartspec at the offline mirror or fetch the dataset with `smartspec data fetch`"
    )
