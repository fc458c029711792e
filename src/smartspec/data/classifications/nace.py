"""NACE Rev. 2 (identical to SNI 2007 down to the four-digit class).

Canonical codes: section ``C``, division ``10``, group ``10.1``, class ``10.11``,
and Eurostat aggregates such as ``B-E``, ``G-I``, ``O-Q`` and ``TOTAL``.
Sections and divisions carry English and Swedish names (shipped with the package).
Groups and classes are recognised by their code; their English names come from
the SIC 2007 structure file of the data directory when present, and Swedish
names of groups and classes are not shipped (the division name is shown instead).
"""

import re
import string
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from smartspec.errors import UnknownCodeError

SECTIONS = string.ascii_uppercase[:21]  # A..U
LEVELS = ("total", "aggregate", "section", "division", "group", "class")

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
_DEEP_RE = re.compile(r"^[A-U]?(\d{2})\.?(\d)(\d)?$")
_RANGE_RE = re.compile(r"^([A-U])-([A-U])$")
_DIV_RANGE_RE = re.compile(r"^(\d{2})-(\d{2})$")


@lru_cache(maxsize=1)
def _top() -> pd.DataFrame:
    with resources.files(__package__).joinpath("nace_r2_top.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _division_section() -> dict[str, str]:
    top = _top()
    div = top[top.level == "division"]
    return dict(zip(div.code, div.parent))


def normalise_activity(code) -> str:
    """Return the canonical NACE code for ``code``.

    Accepts ``C10``/``10``, ``G451``/``451``/``45.1``, ``4511``/``45.11``,
    sections, ``B-E`` style ranges, ``TOTAL``. Raises UnknownCodeError otherwise.
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
        div, g, c = m.groups()
        if div in _division_section():
            return f"{div}.{g}{c or ''}"
    raise UnknownCodeError(
        f"unknown NACE Rev. 2 code {code!r}: expected a section (A-U), a division "
        "(two digits, e.g. 10 or C10), a group (10.1), a class (10.11) or an aggregate (B-E, TOTAL)"
    )


def activity_level(code: str) -> str:
    """Level of a canonical code: total, aggregate, section, division, group or class."""
    if code == "TOTAL":
        return "total"
    if "-" in code:
        return "aggregate"
    if len(code) == 1:
        return "section"
    if len(code) == 2:
        return "division"
    return "group" if len(code) == 4 else "class"


def nace_parent(code: str) -> str | None:
    """The parent of a canonical code one level up (class → group → division → section)."""
    level = activity_level(code)
    if level == "class":
        return code[:4]
    if level == "group":
        return code[:2]
    if level == "division":
        return _division_section()[code]
    if level in ("section", "aggregate"):
        return "TOTAL"
    return None


def sections_of(code: str) -> tuple[str, ...]:
    """The sections an aggregate, section or lower code belongs to (``G-I`` → G, H, I)."""
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


def ancestor_at(code: str, level: str) -> str | None:
    """The ancestor of ``code`` at ``level`` (itself if already there), or None."""
    want = LEVELS.index(level)
    while code is not None and LEVELS.index(activity_level(code)) > want:
        code = nace_parent(code)
    return code if code is not None and activity_level(code) == level else None


@lru_cache(maxsize=4)
def _class_names(data_dir_key: str | None) -> dict[str, str]:
    if not data_dir_key:
        return {}
    from pathlib import Path

    path = Path(data_dir_key) / "relatedness/uk_sic2007_skill_relatedness/sic2007_structure.csv"
    if not path.exists():
        return {}
    sic = pd.read_csv(path, dtype=str)
    out = {}
    for code, label in zip(sic["SIC2007"], sic["SubActivity"]):
        try:
            out[normalise_activity(code)] = label
        except UnknownCodeError:
            continue
    return out


def nace_table() -> pd.DataFrame:
    """Sections and divisions with ``code, level, parent, name_en, name_sv``,
    plus groups and classes known from the data directory's SIC 2007 structure."""
    from smartspec import config

    top = _top()
    dd = config.data_dir()
    names = _class_names(str(dd) if dd else None)
    rows = []
    for code, label in sorted(names.items()):
        for c in (code[:4], code):
            rows.append({"code": c, "level": activity_level(c), "parent": nace_parent(c),
                         "name_en": label if c == code else "", "name_sv": ""})
    deep = pd.DataFrame(rows, columns=top.columns).drop_duplicates("code") if rows else top.iloc[:0]
    return pd.concat([top, deep], ignore_index=True)


def known_classes() -> frozenset[str]:
    """The NACE classes listed in the data directory's structure file (empty when absent:
    callers then check a code's shape only)."""
    table = nace_table()
    return frozenset(table.loc[table["level"] == "class", "code"])


def divisions_of(code: str) -> tuple[str, ...]:
    """The divisions a range of divisions, a section or an aggregate covers."""
    code = normalise_activity(code)
    if m := _DIV_RANGE_RE.match(code):
        lo, hi = m.groups()
        return tuple(d for d in sorted(_division_section()) if lo <= d <= hi)
    secs = set(sections_of(code))
    return tuple(d for d, s in sorted(_division_section().items()) if s in secs)


def activity_name(code: str, lang: str = "en") -> str:
    """Human name of a canonical code in ``en`` or ``sv`` (falls back to English, then the code)."""
    if code in AGGREGATE_NAMES:
        return AGGREGATE_NAMES[code][lang == "sv"]
    top = _top().set_index("code")
    if code in top.index:
        return top.at[code, "name_sv" if lang == "sv" else "name_en"]
    if "-" in code:
        return " + ".join(activity_name(s, lang) for s in sections_of(code))
    from smartspec import config

    dd = config.data_dir()
    label = _class_names(str(dd) if dd else None).get(code)
    return label or f"{code} ({activity_name(code[:2], lang)})"


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
