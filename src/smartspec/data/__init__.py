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
    """The files of a known dataset in the data directory, when all of them are there.

    Parameters
    ----------
    spec : DatasetSpec
        A known dataset (``smartspec.data.catalog.KNOWN[code]``).

    Returns
    -------
    list of Path or None
        The files under ``SMARTSPEC_DATA_DIR``; None without a data directory or when
        a file is missing.

    Examples
    --------
    >>> from smartspec import data
    >>> from smartspec.data.catalog import KNOWN
    >>> [p.name for p in data.mirror_paths(KNOWN["nama_10r_3empers"])]
    ['nama_10r_3empers_SE.csv', 'nama_10r_3empers_countries.csv']
    """
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

    Parameters
    ----------
    dataset : str
        A known dataset code (``smartspec data list``) or a stored dataset's name.
    store : Store, optional
        The store (default: ``Store()``, the workspace's ``store.duckdb`` in
        ``SMARTSPEC_HOME``).
    progress : callable, optional
        Called with a message when the dataset is imported or fetched.

    Returns
    -------
    int
        The version to use.

    Raises
    ------
    UnknownCodeError
        When the dataset is neither known nor stored.
    OfflineError
        When it has to be fetched and the machine is offline (``SMARTSPEC_OFFLINE``).

    Examples
    --------
    The first call imports the mirror's file; the next ones find it by its stamp:

    >>> from smartspec import data
    >>> version = data.ensure("nama_10r_3empers")
    >>> data.ensure("nama_10r_3empers") == version
    True
    >>> data.ensure("no_such_dataset")
    Traceback (most recent call last):
    ...
    smartspec.errors.UnknownCodeError: unknown dataset 'no_such_dataset': known are [...]
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


def ensure_mirror(store: Store | None = None, progress=None) -> dict[str, int]:
    """:func:`ensure` every known dataset that the data directory holds, and return their
    versions: done once before parallel work, so that no worker has to import one (a
    DuckDB store takes one writer, and no writer while readers are open)."""
    store = store or Store()
    return {code: ensure(code, store, progress) for code, spec in KNOWN.items() if mirror_paths(spec)}


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
    """A tidy DataFrame (region, activity, year, measure, unit, value, flag) of a dataset.

    Suppressed or confidential values stay missing (NaN) with their flag.

    Parameters
    ----------
    dataset : str
        A known dataset code or a stored dataset's name (ensured first).
    regions, activities, years, measures : value or list, optional
        Keep only these (codes as stored: NUTS codes, NACE codes, years).
    version : int, optional
        A stored version (default: the one :func:`ensure` chooses).
    store : Store, optional
        The store (default: ``Store()``, the workspace's ``store.duckdb`` in
        ``SMARTSPEC_HOME``).

    Returns
    -------
    DataFrame
        Columns ``region, activity, year, measure, unit, value, flag``.

    Raises
    ------
    UnknownCodeError
        When the dataset is neither known nor stored.

    Examples
    --------
    Employment in Värmland (NUTS 3 ``SE311``) in 2017, in persons (Eurostat's
    ``nama_10r_3empers`` publishes thousands, so the values are whole thousands):

    >>> from smartspec import data
    >>> frame = data.load("nama_10r_3empers", regions="SE311", years=2017)
    >>> print(frame[frame["activity"].isin(["TOTAL", "C", "O-Q"])][["activity", "value", "unit"]].to_string(index=False))
    activity    value unit
           C  16000.0  PER
         O-Q  45000.0  PER
       TOTAL 121000.0  PER
    """
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

    Parameters
    ----------
    dataset : str
        A known dataset code or a stored dataset's name.
    year : int
        The year.
    region_level : int, optional
        Keep NUTS codes of this level (0-3).
    activity_level : str, optional
        Keep NACE codes of this level: ``'section'``, ``'division'``, ``'group'``,
        ``'class'`` or ``'aggregate'`` (ranges such as ``B-E``).
    measure, unit : str, optional
        Choose one when the slice holds several.
    regions, activities : list, optional
        Keep only these codes.
    store : Store, optional
        The store (default: ``Store()``, the workspace's ``store.duckdb`` in
        ``SMARTSPEC_HOME``).

    Returns
    -------
    DataFrame
        Regions × activities (index ``region``, columns ``activity``), sorted.

    Raises
    ------
    SmartspecError
        When the slice is empty, or holds several measures or units and none was
        chosen.

    Examples
    --------
    The 21 Swedish län (NUTS 3) × A10 aggregates in 2017, and Värmland's LQ in
    public administration, education and health (``O-Q``):

    >>> from smartspec import data, metrics as mt
    >>> X = data.matrix("nama_10r_3empers", year=2017, region_level=3, activity_level="aggregate")
    >>> X.shape
    (22, 8)
    >>> X.loc["SE311", ["B-E", "G-I", "O-Q"]]
    activity
    B-E    17000.0
    G-I    23000.0
    O-Q    45000.0
    Name: SE311, dtype: float64
    >>> round(float(mt.location_quotient(X, missing="ignore").loc["SE311", "O-Q"]), 3)
    1.172
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
    """Import a user's file into the store, atomically.

    Eurostat TSV, SDMX-CSV and Excel exports, SCB PxWeb JSON and json-stat2 answers,
    SCB's CSV/XLSX exports, and any CSV/XLSX/Parquet with the columns ``region,
    activity, year, value`` (optionally ``measure, unit, flag``) or a ``mapping``
    onto them. The same file imported twice does nothing; a changed file becomes a
    new version.

    Parameters
    ----------
    path : str or Path
        The file.
    dataset : str, optional
        The dataset's name (default: the file's stem).
    fmt : str, optional
        The format, when detection should be overridden.
    mapping : dict, optional
        The file's column for each of ``region``, ``activity``, ``year``, ``value`` …
    defaults : dict, optional
        Values of columns the file lacks (e.g. ``{"year": 2023}``).
    measure, year : optional
        Shorthands for a default measure and year.
    store : Store, optional
        The store (default: ``Store()``, the workspace's ``store.duckdb`` in
        ``SMARTSPEC_HOME``).
    progress : callable, optional
        Called with a message per step.

    Returns
    -------
    tuple
        ``(dataset, version, created)``; ``created`` is False when the same content
        was already stored.

    Raises
    ------
    SmartspecError
        When the file does not exist.
    InputError
        When the file cannot be read as a table of counts (the message says why).

    Examples
    --------
    A small CSV of employment by län and SNI section, imported into a scratch store:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from smartspec import data
    >>> tmp = Path(tempfile.mkdtemp())
    >>> csv = tmp / "my_jobs.csv"
    >>> _ = csv.write_text("lan,activity,year,jobs\\n17,C,2023,16000\\n17,F,2023,10000\\n"
    ...                    "20,C,2023,21000\\n20,F,2023,11000\\n")
    >>> store = data.Store(tmp / "store.duckdb")
    >>> data.import_file(csv, mapping={"region": "lan", "value": "jobs"}, store=store)
    ('my_jobs', 1, True)
    >>> data.import_file(csv, mapping={"region": "lan", "value": "jobs"}, store=store)
    ('my_jobs', 1, False)
    >>> data.load("my_jobs", store=store)[["region", "activity", "year", "value"]]
      region activity  year    value
    0     17        C  2023  16000.0
    1     17        F  2023  10000.0
    2     20        C  2023  21000.0
    3     20        F  2023  11000.0
    """
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
    then Rev. 2.1, or when their years overlap.

    Parameters
    ----------
    old : str
        The stored dataset in NACE Rev. 2 / SNI 2007.
    new : str
        The stored dataset in NACE Rev. 2.1 / SNI 2025, with later years.
    dataset : str
        The name of the linked series.
    store : Store, optional
        The store (default: ``Store()``, the workspace's ``store.duckdb`` in
        ``SMARTSPEC_HOME``).

    Returns
    -------
    tuple
        ``(dataset, version, created)``.

    Raises
    ------
    InputError
        When ``old`` is not in Rev. 2 and ``new`` in Rev. 2.1, or their years overlap.

    Examples
    --------
    Class 62.01 (Rev. 2) becomes 62.10 (Rev. 2.1) and carries its history:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from smartspec import data
    >>> tmp = Path(tempfile.mkdtemp())
    >>> store = data.Store(tmp / "store.duckdb")
    >>> _ = (tmp / "old.csv").write_text("region,activity,year,value\\nSE311,62.01,2023,300\\nSE311,62.01,2024,310\\n")
    >>> _ = (tmp / "new.csv").write_text("region,activity,year,value\\nSE311,62.10,2025,320\\n")
    >>> for name in ("old", "new"):
    ...     _ = data.import_file(tmp / f"{name}.csv", store=store)
    >>> data.link_series("old", "new", dataset="linked", store=store)
    ('linked', 1, True)
    >>> print(data.load("linked", store=store)[["activity", "year", "value"]].sort_values("year").to_string(index=False))
    activity  year  value
       62.10  2023  300.0
       62.10  2024  310.0
       62.10  2025  320.0
    >>> data.link_series("new", "old", dataset="backwards", store=store)
    Traceback (most recent call last):
    ...
    smartspec.errors.InputError: link new → old: expected new in NACE Rev. 2 and old in NACE Rev. 2.1, ...
    """
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
    """Every dataset available (mirror or stored) with its coverage, source and licence.

    The mirror's known datasets are imported first (once), so the list is what
    ``smartspec data list`` shows.

    Parameters
    ----------
    store : Store, optional
        The store (default: ``Store()``, the workspace's ``store.duckdb`` in
        ``SMARTSPEC_HOME``).

    Returns
    -------
    list of dict
        One dict per dataset: its coverage (regions, activities, years, missing
        values), ``title``, ``source``, ``licence``, ``url``, ``versions`` and
        ``retrieved_at``.

    Examples
    --------
    >>> from smartspec import data
    >>> status = {d["dataset"]: d for d in data.catalog_status()}
    >>> status["nama_10r_3empers"]["source"], status["nama_10r_3empers"]["licence"]
    ('Eurostat', "CC BY 4.0 (Commission Decision 2011/833/EU); credit 'Source: Eurostat'")
    """
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
