"""The data layer: readers → DuckDB store → tidy frames and region × activity matrices.

>>> from smartspec import data
>>> data.load("nama_10r_3empers", regions=["SE311"], years=[2017])   # doctest: +SKIP
>>> data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division")  # doctest: +SKIP
"""

import hashlib
import os
from pathlib import Path

import pandas as pd

from smartspec import config
from smartspec.data.catalog import KNOWN, DatasetSpec
from smartspec.data.checks import check_table
from smartspec.data.classifications.nace import REV2, REV21
from smartspec.data.classifications.nace import activity_level as _activity_level
from smartspec.data.classifications.nace21 import (
    classification_version,
    link_rev2_to_rev21,
)
from smartspec.data.classifications.nuts import nuts_level
from smartspec.data.coverage import describe
from smartspec.data.readers import detect
from smartspec.data.store import Store, file_hash
from smartspec.errors import InputError, SmartspecError, UnknownCodeError

__all__ = ["load", "matrix", "ensure", "import_file", "link_series", "catalog_status", "mirror_paths", "Store"]


def mirror_paths(spec: DatasetSpec) -> list[Path] | None:
    root = config.data_dir()
    if root is None:
        return None
    paths = [root / f for f in spec.files]
    return paths if all(p.exists() for p in paths) else None


def _stamp(paths) -> str:
    return ";".join(f"{p}:{os.stat(p).st_size}:{os.stat(p).st_mtime_ns}" for p in paths)


def ensure(dataset: str, store: Store | None = None, progress=None) -> int:
    """Make sure ``dataset`` is in the store and return its latest version.

    A known dataset found in the data directory is imported from there (once:
    unchanged files are recognised by their stamp and hash); a newer version imported
    or fetched since is preferred. Otherwise the stored version is used; a known
    dataset neither stored nor mirrored is fetched.
    """
    store = store or Store()
    spec = KNOWN.get(dataset)
    paths = mirror_paths(spec) if spec else None
    stored = [p for p in (store.path, store.path.with_name(store.path.name + ".wal")) if p.exists()]
    key = (dataset, str(store.path), _stamp(stored), _stamp(paths or []))
    if key in _ensured:
        return _ensured[key]
    version = _ensure(dataset, store, spec, paths, progress)
    _ensured[key] = version
    return version


#: Versions already ensured in this process, by dataset, store file state and mirror files.
_ensured: dict[tuple, int] = {}


def _ensure(dataset: str, store: Store, spec, paths, progress) -> int:
    if paths:
        stamp = _stamp(paths)
        version = store.find(dataset, origin_stamp=stamp)
        if version:
            return max(version, store.find(dataset) or version)  # a newer import or fetch wins
        if progress:
            progress(f"importing {dataset} from {paths[0].parent}")
        frame = spec.reader(paths)
        version, _ = store.import_frame(dataset, frame, file_hash=file_hash(*paths), title=spec.title,
                                        source=spec.source, licence=spec.licence, url=spec.url,
                                        origin=";".join(map(str, paths)), origin_stamp=stamp)
        return version
    version = store.find(dataset)
    if version:
        return version
    if spec and spec.fetch:
        from smartspec.data.fetch import (
            fetch_known,  # lazy: the online fetchers cost ~8 ms at start-up
        )

        return fetch_known(spec, store=store, progress=progress)
    raise UnknownCodeError(f"unknown dataset {dataset!r}: known are {sorted(KNOWN)}; "
                           f"stored are {sorted(set(store.datasets()['dataset']))}")


def load(dataset: str, *, regions=None, activities=None, years=None, measures=None,
         version: int | None = None, store: Store | None = None) -> pd.DataFrame:
    """A tidy DataFrame (region, activity, year, measure, unit, value, flag) of a dataset."""
    store = store or Store()
    version = version or ensure(dataset, store)
    return store.query(dataset, version, regions=_listify(regions), activities=_listify(activities),
                       years=_listify(years), measures=_listify(measures))


def _listify(value):
    if value is None or isinstance(value, (list, tuple, set, pd.Index)):
        return value
    return [value]


def matrix(dataset: str, *, year: int, region_level: int | None = None, activity_level: str | None = None,
           measure: str | None = None, unit: str | None = None, regions=None, activities=None,
           store: Store | None = None) -> pd.DataFrame:
    """A regions × activities DataFrame for one year (missing stays NaN).

    ``region_level`` keeps NUTS codes of that level (0-3); ``activity_level``
    keeps NACE codes of that level (section, division, group, class, aggregate).
    With several measures or units in the slice, ``measure``/``unit`` must choose one.
    """
    act_level = activity_level
    frame = load(dataset, regions=regions, activities=activities, years=[year], store=store)
    if frame.empty:
        raise SmartspecError(f"{dataset} has no observations for year {year}"
                             + (f" and regions {list(regions)}" if regions is not None else ""))
    if region_level is not None:
        frame = frame[frame["region"].map(nuts_level) == region_level]
    if act_level is not None:
        frame = frame[frame["activity"].map(_activity_level) == act_level]
    for name, chosen in (("measure", measure), ("unit", unit)):
        options = sorted(frame[name].unique())
        if chosen is not None:
            frame = frame[frame[name] == chosen]
        elif len(options) > 1:
            raise SmartspecError(f"{dataset} has several {name}s in this slice: {options}; choose one with {name}=…")
    if frame.empty:
        raise SmartspecError(f"{dataset}: no observations at region level {region_level} and activity "
                             f"level {act_level!r} in {year}")
    wide = frame.pivot_table(index="region", columns="activity", values="value", aggfunc="first", dropna=False)
    wide.columns.name, wide.index.name = "activity", "region"
    return wide.sort_index().sort_index(axis=1)


def import_file(path, *, dataset: str | None = None, fmt: str | None = None, mapping=None, defaults=None,
                measure=None, year=None, store: Store | None = None, progress=None) -> tuple[str, int, bool]:
    """Import a user's file; returns (dataset name, version, created)."""
    store = store or Store()
    path = Path(path)
    if not path.exists():
        raise SmartspecError(f"{path}: no such file")
    if progress:
        progress(f"reading {path.name}")
    frame = detect.read_any(path, fmt=fmt, mapping=mapping, defaults=defaults, measure=measure, year=year)
    name = dataset or path.stem
    check_table(frame, name)
    if progress:
        progress(f"storing {len(frame):,} rows as {name}")
    version, created = store.import_frame(name, frame, file_hash=file_hash(path), title=path.name,
                                          source="user import", origin=str(path.resolve()))
    return name, version, created


def link_series(old: str, new: str, *, dataset: str, store: Store | None = None) -> tuple[str, int, bool]:
    """One series across the change of classification: ``old`` (NACE Rev. 2 / SNI 2007) recoded
    to NACE Rev. 2.1 / SNI 2025 through Eurostat's correspondence
    (:func:`~smartspec.data.classifications.nace21.link_rev2_to_rev21`: classes split between
    versions are flagged ``split`` and left missing, never apportioned), followed by ``new``
    (Rev. 2.1), stored as ``dataset``. Divisions, groups, classes and TOTAL are linked; section
    letters mean other things in Rev. 2.1 and are left out of the older years.

    Returns (dataset, version, created). Raises InputError when the versions are not Rev. 2
    then Rev. 2.1, or when their years overlap."""
    store = store or Store()
    older, newer = load(old, store=store), load(new, store=store)
    versions = {old: classification_version(older["activity"]), new: classification_version(newer["activity"])}
    if versions != {old: REV2, new: REV21}:
        raise InputError(f"link {old} → {new}: expected {old} in {REV2} and {new} in {REV21}, found "
                         + ", ".join(f"{k} in {v}" for k, v in versions.items()))
    overlap = sorted(set(older["year"]) & set(newer["year"]))
    if overlap:
        raise InputError(f"link {old} → {new}: both have the years {overlap}; a series needs each year once")
    levels = older["activity"].map(_activity_level)
    parts = [link_rev2_to_rev21(older[levels == lv]) for lv in ("division", "group", "class") if (levels == lv).any()]
    frame = pd.concat(parts + [older[older["activity"] == "TOTAL"], newer], ignore_index=True)
    hashes = [store.file_hash(d, store.find(d)) for d in (old, new)]
    return (dataset, *store.import_frame(dataset, frame, file_hash=file_hash_of(hashes),
                                         title=f"{old} (NACE Rev. 2, linked to Rev. 2.1) + {new}",
                                         source="linked series", origin=f"{old};{new}"))


def file_hash_of(parts: list[str]) -> str:
    """A hash standing for several stored versions together."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def catalog_status(store: Store | None = None) -> list[dict]:
    """Every dataset available (mirror or stored) with its coverage, source and licence."""
    store = store or Store()
    for code, spec in KNOWN.items():
        if mirror_paths(spec):
            ensure(code, store)
    stored = store.datasets()
    out = []
    for dataset, versions in stored.groupby("dataset", sort=True):
        latest = versions.sort_values("version").iloc[-1]
        out.append({**describe(store, dataset, int(latest["version"])), "title": latest["title"],
                    "source": latest["source"], "licence": latest["licence"], "url": latest["url"],
                    "versions": sorted(int(v) for v in versions["version"]),
                    "retrieved_at": str(latest["retrieved_at"])[:19]})
    return out
