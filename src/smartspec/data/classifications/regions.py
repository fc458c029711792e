"""Resolve a region given by code or by name, in Swedish or English.

``SE31``, ``Norra Mellansverige``, ``North Middle Sweden``, ``Värmland``,
``Värmlands län`` and ``17`` (län code) resolve to NUTS codes; ``Karlstad`` and
``1780`` to the kommun. A name matching several regions raises
AmbiguousNameError listing the candidates.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from smartspec.data.classifications.nuts import VERSIONS, nuts_regions
from smartspec.data.paths import require_data_file
from smartspec.errors import AmbiguousNameError, UnknownCodeError

#: English names of the Swedish NUTS 1 and 2 regions (NUTS itself names them in Swedish).
SWEDISH_NUTS_EN = {
    "SE": "Sweden", "SE1": "East Sweden", "SE2": "South Sweden", "SE3": "North Sweden",
    "SE11": "Stockholm", "SE12": "East Middle Sweden", "SE21": "Småland and the islands",
    "SE22": "South Sweden", "SE23": "West Sweden", "SE31": "North Middle Sweden",
    "SE32": "Central Norrland", "SE33": "Upper Norrland",
}


@dataclass(frozen=True)
class Region:
    """A resolved region. ``code`` is the NUTS code, or the four-digit kommun code."""

    code: str
    name: str
    kind: str  # "nuts" or "kommun"
    level: int  # NUTS level 0-3; 4 for a kommun (LAU)
    country: str
    nuts3: str | None = None
    lan_code: str | None = None

    @property
    def parents(self) -> list[str]:
        """NUTS codes that contain the region, nearest first."""
        base = self.nuts3 if self.kind == "kommun" else self.code
        return [base[:n] for n in range(len(base) - (self.kind != "kommun"), 1, -1)]


def _fold(text: str) -> str:
    text = " ".join(str(text).split()).casefold()
    return unicodedata.normalize("NFC", text)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _lan_short(name: str) -> str:
    base = name.removesuffix(" län")
    return base[:-1] if base.endswith("s") and not base.endswith("ss") else base


@lru_cache(maxsize=1)
def _index() -> tuple[dict, dict, dict]:
    """(code → Region, folded name → set of codes, code → newest NUTS version it is valid in)."""
    regions: dict[str, Region] = {}
    names: dict[str, set[str]] = {}
    newest: dict[str, int] = {}

    def add_name(name, code):
        if name:
            names.setdefault(_fold(name), set()).add(code)

    for version in reversed(VERSIONS):
        for row in nuts_regions(version).dropna(subset=["level"]).itertuples():
            if row.code not in regions:
                regions[row.code] = Region(row.code, row.name, "nuts", int(row.level), row.country,
                                           nuts3=row.code if row.level == 3 else None)
                newest[row.code] = version
            add_name(row.name, row.code)
            add_name(row.name_latin, row.code)
    for code, name in SWEDISH_NUTS_EN.items():
        add_name(name, code)
    km = pd.read_csv(require_data_file("sweden/kommun_lan_nuts3.csv"), dtype=str)
    for lan_code, nuts3 in km[["lan_kod", "nuts3_2016"]].drop_duplicates().itertuples(index=False):
        lan_name = regions[nuts3].name
        regions[nuts3] = Region(nuts3, lan_name, "nuts", 3, "SE", nuts3=nuts3, lan_code=lan_code)
        regions[lan_code] = regions[nuts3]
        short = _lan_short(lan_name)
        add_name(short, nuts3)
        add_name(f"{short} County", nuts3)
    for row in km.itertuples():
        regions[row.kommun_kod] = Region(row.kommun_kod, row.kommun, "kommun", 4, "SE",
                                         nuts3=row.nuts3_2016, lan_code=row.lan_kod)
        add_name(row.kommun, row.kommun_kod)
        add_name(f"{row.kommun} kommun", row.kommun_kod)
        newest[row.kommun_kod] = VERSIONS[-1]
    _add_regional_bodies(add_name, km)
    return regions, names, newest


def _add_regional_bodies(add_name, km: pd.DataFrame) -> None:
    """Names of the regional authorities ("Region Jämtland Härjedalen") from the S3 areas file."""
    try:
        areas = pd.read_csv(require_data_file("sweden/s3_priority_areas.csv"), dtype=str)
    except FileNotFoundError:
        return
    for body, nuts3 in areas[["region", "nuts3"]].drop_duplicates().itertuples(index=False):
        if isinstance(nuts3, str) and nuts3 in set(km["nuts3_2016"]):
            add_name(body, nuts3)
            add_name(body.removeprefix("Region ").removeprefix("Regionförbundet "), nuts3)


def resolve_region(query: str) -> Region:
    """Resolve a region code or name (see module docstring)."""
    regions, names, newest = _index()
    text = str(query).strip()
    if text.upper() in regions and text.upper() not in ("",):
        return regions[text.upper()]
    codes = names.get(_fold(text))
    if not codes:
        folded = _strip_accents(_fold(text))
        codes = set().union(*[v for k, v in names.items() if _strip_accents(k) == folded] or [set()])
    if not codes:
        raise UnknownCodeError(
            f"unknown region {query!r}: give a NUTS code (e.g. SE31), a län or kommun code "
            "(17, 1780) or a region name (Värmland, Norra Mellansverige, Karlstad)")
    # Names reused across NUTS versions (SE06 → SE31) resolve to the newest code.
    latest = max(newest.get(c, 0) for c in codes)
    codes = {c for c in codes if newest.get(c, 0) == latest}
    # A kommun and its own län sharing a name (e.g. Gotland) resolve to the län.
    distinct = {regions[c].code: regions[c] for c in codes}
    if len(distinct) > 1:
        nuts3_of_kommun = {r.nuts3 for r in distinct.values() if r.kind == "kommun"}
        if len(distinct) == 2 and any(r.code in nuts3_of_kommun for r in distinct.values()):
            return next(r for r in distinct.values() if r.kind == "nuts")
        listing = "; ".join(f"{r.code} {r.name} ({_describe(r)})" for r in sorted(distinct.values(), key=lambda r: r.code))
        raise AmbiguousNameError(f"region name {query!r} is ambiguous; candidates: {listing}")
    return next(iter(distinct.values()))


def _describe(region: Region) -> str:
    return "kommun" if region.kind == "kommun" else f"NUTS {region.level}"
