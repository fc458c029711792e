"""NACE Rev. 2 (= SNI 2007) and NACE Rev. 2.1 (= SNI 2025) at every level.

Canonical codes: section ``C``, division ``10``, group ``10.1``, class ``10.11``,
SNI detailed group (*detaljgrupp*) ``10.110`` (class + one digit), and Eurostat
aggregates such as ``B-E``, ``G-I``, ``O-Q`` and ``TOTAL``. NACE and SNI share
their codes down to the class; the detailed groups are SCB's.

Structure and names come from the data directory's ``classifications/`` files:
English titles from Eurostat (section titles put in sentence case), Swedish
titles from SCB (``name_sv``; never Eurostat's Swedish translation). Without
those files, the package's own table of sections, divisions and a few groups of
NACE Rev. 2 is used, and deeper codes are recognised by their shape only.
Sources: Eurostat, NACE Rev. 2 and NACE Rev. 2.1 (layout changed, section titles
in sentence case, Swedish titles added); Källa: SCB, SNI 2007 and SNI 2025.
"""

import re
import string
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np
import pandas as pd

from smartspec import config
from smartspec.data.cache import disk_cached
from smartspec.data.paths import MissingDataError, require_data_file
from smartspec.errors import UnknownCodeError

SECTIONS = string.ascii_uppercase[:21]  # A..U
LEVELS = ("total", "aggregate", "section", "division", "group", "class", "detailed")
REV2, REV21 = "NACE Rev. 2", "NACE Rev. 2.1"

#: version → (structure file, SNI detailed-group file) in the data directory.
_FILES = {
    REV2: ("classifications/nace_rev2.csv", "classifications/sni2007_detail.csv"),
    REV21: ("classifications/nace_rev21.csv", "classifications/sni2025_detail.csv"),
}
_COLUMNS = ["code", "level", "parent", "name_en", "name_sv"]
_PARENT_LENGTH = {"group": 2, "class": 4, "detailed": 5}

#: Eurostat's A10 grouping (nama_10r_3empers) and other published aggregates.
A10 = ("A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U")
AGGREGATE_NAMES = {
    "TOTAL": ("Total - all NACE activities", "Samtliga näringsgrenar"),
    "B-E": ("Industry (except construction)", "Industri utom byggverksamhet"),
    "G-I": ("Wholesale and retail trade, transport, accommodation and food service activities",
            "Handel, transport, hotell och restauranger"),
    "G-J": ("Trade, transport, accommodation, information and communication",
            "Handel, transport, hotell, restauranger, information och kommunikation"),
    "K-N": ("Financial, real estate, professional and support services",
            "Finans, fastighet, företagstjänster"),
    "M-N": ("Professional, scientific, technical, administrative and support service activities",
            "Företagstjänster"),
    "O-Q": ("Public administration, defence, education, human health and social work activities",
            "Offentlig förvaltning, utbildning, vård och omsorg"),
    "O-U": ("Public administration, education, health, arts and other services",
            "Offentlig förvaltning, utbildning, vård, kultur och övriga tjänster"),
    "R-U": ("Arts, entertainment and recreation; other service activities; households; extraterritorial",
            "Kultur, nöje och fritid; annan serviceverksamhet"),
}

_DIVISION_RE = re.compile(r"^[A-U]?(\d{2})$")
_DEEP_RE = re.compile(r"^[A-U]?(\d{2})\.?(\d)(\d)?(\d)?$")
_RANGE_RE = re.compile(r"^([A-U])-([A-U])$")
_DIV_RANGE_RE = re.compile(r"^(\d{2})-(\d{2})$")


class _Row(NamedTuple):
    level: str
    parent: str
    name_en: str
    name_sv: str


class _Structure(NamedTuple):
    table: pd.DataFrame  # _COLUMNS, in classification order
    rows: dict[str, _Row]
    children: dict[str, tuple[str, ...]]
    complete: bool  # False for the packaged fallback (sections, divisions, a few groups)


@lru_cache(maxsize=1)
def _top() -> pd.DataFrame:
    with resources.files(__package__).joinpath("nace_r2_top.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _division_section() -> dict[str, str]:
    top = _top()
    div = top[top.level == "division"]
    return dict(zip(div.code, div.parent))


def _read_structure(version: str) -> pd.DataFrame:
    """The version's four NACE levels plus SNI's detailed groups, in classification order."""
    structure, detail = (require_data_file(name) for name in _FILES[version])
    top = pd.read_csv(structure, dtype=str, keep_default_na=False)
    top["name_en"] = top["name_en"].mask(top["level"] == "section", top["name_en"].str.capitalize())
    sni = pd.read_csv(detail, dtype=str, keep_default_na=False)
    deep = pd.DataFrame({"code": sni["class"] + sni["code"].str[4], "level": "detailed", "parent": sni["class"],
                         "name_en": sni["name_en"], "name_sv": sni["name_sv"]})
    order = pd.Series(range(len(top)), index=top["code"])
    top["_order"] = order.to_numpy(dtype=float)
    deep["_order"] = deep["parent"].map(order) + (deep.groupby("parent").cumcount() + 1) / 1000
    both = pd.concat([top, deep], ignore_index=True).sort_values("_order", kind="stable")
    return both[_COLUMNS].reset_index(drop=True)


@lru_cache(maxsize=8)
def _load(version: str, data_dir_key: str) -> _Structure:
    if version not in _FILES:
        raise ValueError(f"unknown classification version {version!r}; choose {REV2!r} or {REV21!r}")
    try:
        table = disk_cached(f"nace-{version.replace(' ', '').replace('.', '')}", _FILES[version],
                            lambda: _read_structure(version))
        complete = True
    except MissingDataError:
        if version != REV2:
            raise
        table, complete = _top()[_COLUMNS].copy(), False
    rows = {c: _Row(*r) for c, *r in table.itertuples(index=False)}
    kids: dict[str, list[str]] = {}
    for code, row in rows.items():
        kids.setdefault(row.parent or "TOTAL", []).append(code)
    return _Structure(table, rows, {k: tuple(v) for k, v in kids.items()}, complete)


def _structure(version: str = REV2) -> _Structure:
    data_dir = config.data_dir()
    return _load(version, str(data_dir) if data_dir else "")


def _require_depth(level: str, version: str) -> None:
    """Raise MissingDataError when ``level`` is below what the loaded table fully lists."""
    if level not in ("section", "division") and not _structure(version).complete:
        raise MissingDataError(f"the {level}s of {version} are listed in {_FILES[version][0]} of the data "
                               "directory, which is not available (set SMARTSPEC_DATA_DIR or --data-dir)")


def normalise_activity(code) -> str:
    """Return the canonical NACE code for ``code``.

    Accepts ``C10``/``10``, ``G451``/``451``/``45.1``, ``4511``/``45.11``, SNI
    detailed groups ``01110``/``01.110``/``A01110``, sections, ``B-E`` style
    ranges, ``TOTAL``. Raises UnknownCodeError otherwise (only the division is
    checked against NACE Rev. 2; deeper digits are checked for shape).

    Example
    -------
    >>> normalise_activity("A01110"), normalise_activity("G451")
    ('01.110', '45.1')
    """
    raw = str(code).strip().upper().replace(" ", "")
    if raw in ("TOTAL", "_T", "TOT"):
        return "TOTAL"
    if raw in SECTIONS and len(raw) == 1:
        return raw
    if re.fullmatch(r"[A-U]_[A-U]", raw):  # Eurostat writes M_N for "M and N"
        raw = raw.replace("_", "-")
    if raw in AGGREGATE_NAMES or _RANGE_RE.match(raw):
        return raw
    if (m := _DIV_RANGE_RE.match(raw)) and all(d in _division_section() for d in m.groups()):
        return raw  # a range of divisions, as SCB publishes (10-12)
    if m := _DIVISION_RE.match(raw):
        div = m.group(1)
        if div in _division_section():
            return div
    elif m := _DEEP_RE.match(raw):
        div, *digits = m.groups()
        if div in _division_section():
            return f"{div}.{''.join(d for d in digits if d)}"
    raise UnknownCodeError(
        f"unknown NACE Rev. 2 code {code!r}: expected a section (A-U), a division (two digits, e.g. 10 or C10), "
        "a group (10.1), a class (10.11), a detailed group (10.110) or an aggregate (B-E, TOTAL)"
    )


def activity_level(code: str) -> str:
    """Level of a canonical code: total, aggregate, section, division, group, class or detailed."""
    if code == "TOTAL":
        return "total"
    if "-" in code:
        return "aggregate"
    return {1: "section", 2: "division", 4: "group", 5: "class"}.get(len(code), "detailed")


def nace_parent(code: str, version: str = REV2) -> str | None:
    """The parent of a canonical code one level up (detailed → class → group → division → section → TOTAL).

    Example
    -------
    >>> nace_parent("01.110"), nace_parent("62", version="NACE Rev. 2.1")
    ('01.11', 'K')
    """
    level = activity_level(code)
    if level in _PARENT_LENGTH:
        return code[:_PARENT_LENGTH[level]]
    if level == "division":
        row = _structure(version).rows.get(code)
        if row is None:
            raise UnknownCodeError(f"{code!r} is not a division of {version}")
        return row.parent
    if level in ("section", "aggregate"):
        return "TOTAL"
    return None


def sections_of(code: str) -> tuple[str, ...]:
    """The NACE Rev. 2 sections an aggregate, section or lower code belongs to (``G-I`` → G, H, I)."""
    code = normalise_activity(code)
    if code == "TOTAL":
        return tuple(SECTIONS)
    if m := _RANGE_RE.match(code):
        a, b = m.groups()
        return tuple(SECTIONS[SECTIONS.index(a): SECTIONS.index(b) + 1])
    if m := _DIV_RANGE_RE.match(code):
        lo, hi = m.groups()
        divs = _division_section()
        return tuple(dict.fromkeys(divs[d] for d in sorted(divs) if lo <= d <= hi))
    while activity_level(code) != "section":
        code = nace_parent(code)
    return (code,)


def ancestor_at(code: str, level: str, version: str = REV2) -> str | None:
    """The ancestor of ``code`` at ``level`` (itself if already there), or None."""
    want = LEVELS.index(level)
    while code is not None and LEVELS.index(activity_level(code)) > want:
        code = nace_parent(code, version)
    return code if code is not None and activity_level(code) == level else None


def nace_table(version: str = REV2) -> pd.DataFrame:
    """Every code of ``version`` with ``code, level, parent, name_en, name_sv``, in classification order.

    Levels are section, division, group, class and detailed (SNI detailed groups,
    whose ``name_en`` is empty where no English title exists; see
    :func:`activity_name`). ``parent`` is empty for sections. Without the data
    directory's files NACE Rev. 2 falls back to the package's sections,
    divisions and a few groups.
    """
    return _structure(version).table.copy()


def known_classes(version: str = REV2) -> frozenset[str]:
    """The four-digit classes of ``version`` (empty without the data directory's files:
    callers then check a code's shape only)."""
    table = _structure(version).table
    return frozenset(table.loc[table["level"] == "class", "code"])


def codes_at(level: str, version: str = REV2) -> tuple[str, ...]:
    """All codes of ``level`` (section … detailed) in classification order.

    Example
    -------
    >>> len(codes_at("division")), codes_at("section")[:3]  # doctest: +SKIP
    (88, ('A', 'B', 'C'))
    """
    if level not in LEVELS[2:]:
        raise ValueError(f"level must be one of {', '.join(LEVELS[2:])}, not {level!r}")
    _require_depth(level, version)
    table = _structure(version).table
    return tuple(table.loc[table["level"] == level, "code"])


def children(code: str, version: str = REV2) -> tuple[str, ...]:
    """The codes one level below ``code``, in classification order.

    ``TOTAL`` has the sections as children, an aggregate its sections (or, for a
    range such as ``10-12``, its divisions; aggregates are read as NACE Rev. 2),
    a class its detailed groups, and a detailed group none.
    """
    level = activity_level(code)
    if level == "aggregate":
        return divisions_of(code) if _DIV_RANGE_RE.match(code) else sections_of(code)
    if level == "detailed":
        return ()
    _require_depth(LEVELS[LEVELS.index(level) + 1] if level != "total" else "section", version)
    structure = _structure(version)
    if code != "TOTAL" and code not in structure.rows:
        raise UnknownCodeError(f"{code!r} is not a code of {version}")
    return structure.children.get(code, ())


def descendants_at(code: str, level: str, version: str = REV2) -> tuple[str, ...]:
    """All codes at ``level`` below ``code`` (``code`` itself if at ``level``), in classification order.

    Example
    -------
    >>> descendants_at("16", "class")  # doctest: +SKIP
    ('16.10', '16.21', '16.22', '16.23', '16.24', '16.29')
    """
    if level not in LEVELS[2:] or LEVELS.index(level) < LEVELS.index(activity_level(code)):
        raise ValueError(f"{code!r} has no descendants at level {level!r}")
    found = [code]
    while any(activity_level(c) != level for c in found):
        found = [k for c in found for k in ((c,) if activity_level(c) == level else children(c, version))]
    return tuple(found)


def divisions_of(code: str) -> tuple[str, ...]:
    """The NACE Rev. 2 divisions a range of divisions, a section or an aggregate covers."""
    code = normalise_activity(code)
    if m := _DIV_RANGE_RE.match(code):
        lo, hi = m.groups()
        return tuple(d for d in sorted(_division_section()) if lo <= d <= hi)
    secs = set(sections_of(code))
    return tuple(d for d, s in sorted(_division_section().items()) if s in secs)


def activity_name(code: str, lang: str = "en", version: str = REV2) -> str:
    """Human name of a canonical code in ``en`` or ``sv``.

    English titles are Eurostat's (sections in sentence case, e.g. ``Manufacturing``),
    Swedish titles SCB's (SNI 2007 for NACE Rev. 2, SNI 2025 for NACE Rev. 2.1).
    Rule for SNI detailed groups without an English title (Swedish national
    subdivisions): the class's English title followed by the Swedish name in
    brackets, e.g. ``01.131`` → ``Growing of vegetables and melons, roots and tubers [Potatisodling]``.
    Aggregates have fixed names or join their sections' names with ``+``; a code
    missing from the loaded table (no data directory) is shown with its division's name.

    Example
    -------
    >>> activity_name("17.11", "sv")  # doctest: +SKIP
    'Massatillverkning'
    """
    if code in AGGREGATE_NAMES:
        return AGGREGATE_NAMES[code][lang == "sv"]
    row = _structure(version).rows.get(code)
    if row is not None:
        if lang == "sv":
            return row.name_sv or row.name_en
        if row.name_en or row.level != "detailed":
            return row.name_en
        return f"{activity_name(row.parent, 'en', version)} [{row.name_sv}]"
    if "-" in code:
        return " + ".join(activity_name(s, lang, version) for s in sections_of(code))
    if len(code) <= 2:
        raise UnknownCodeError(f"{code!r} is not a code of {version}")
    return f"{code} ({activity_name(code[:2], lang, version)})"


def aggregate_activities(frame: pd.DataFrame, level: str, *, missing: str = "propagate") -> pd.DataFrame:
    """Sum a tidy frame's ``value`` up the NACE hierarchy to ``level``.

    Rows at a finer level than ``level`` are summed into their ancestor; the others
    are dropped. ``missing='propagate'`` (default) leaves a parent missing, with
    flag ``c``, when any child is missing (a suppressed child makes the sum unknown);
    ``missing='skip'`` sums the known children and flags the result ``partial``.
    """
    if missing not in ("propagate", "skip"):
        raise ValueError("missing must be 'propagate' or 'skip'")
    target = frame["activity"].map(lambda c: ancestor_at(c, level) if activity_level(c) in LEVELS[2:] else None)
    work = frame.assign(activity=target).dropna(subset=["activity"])
    keys = [c for c in work.columns if c not in ("value", "flag")]
    grouped = work.groupby(keys, dropna=False, sort=True)
    out = grouped["value"].agg(total="sum", n_missing=lambda v: int(v.isna().sum())).reset_index()
    has_missing = out.pop("n_missing") > 0
    out["value"] = np.where(has_missing & (missing == "propagate"), np.nan, out.pop("total"))
    out["flag"] = np.where(has_missing, "c" if missing == "propagate" else "partial", "")
    return out
