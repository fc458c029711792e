"""Regions at every level, the keys between the levels, and their boundaries.

Resolving a region given by code or by name, in Swedish or English: ``SE31``,
``Norra Mellansverige``, ``North Middle Sweden``, ``Värmland``, ``Värmlands län`` and
``17`` (län code) resolve to NUTS codes; ``Karlstad`` and ``1780`` to the kommun;
``FA27``, ``FA 27``, ``FA Karlstad``, ``Karlstad FA``, ``Karlstads FA-region`` and
``FA-region Karlstad`` to the functional labour-market region (FA 2015). A bare name
shared by a kommun and an FA region (``Karlstad``) is the kommun. A name matching
several regions raises AmbiguousNameError listing the candidates.

Tiers, finest first (:data:`tier_order`): ``kommun``, ``fa``, ``nuts3`` (= län),
``nuts2``, ``nuts1``, ``country``. Every kommun lies in one FA region and one län,
but FA regions cross län borders (FA Karlstad holds Åmål of Västra Götaland), so an
FA region's only ancestor is the country. In data, SCB writes a län as ``17`` and
NUTS as ``SE311``: :func:`canonical_region` turns the first into the second.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from smartspec.data.cache import disk_cached
from smartspec.data.classifications.nuts import VERSIONS, nuts_level, nuts_regions
from smartspec.data.classifications.sweden import (
    boundary_features,
    fa_code,
    fa_table,
    kommun_fa_key,
    kommun_table,
    lan_nuts3,
    read_kommun_table,
)
from smartspec.data.paths import require_data_file
from smartspec.errors import AmbiguousNameError, InputError, UnknownCodeError

#: The tiers of regions, finest first. FA regions are coarser than kommuner and finer
#: than län, but not nested in län: an FA region's only ancestor is the country.
tier_order = ("kommun", "fa", "nuts3", "nuts2", "nuts1", "country")
_NUTS_TIERS = ("country", "nuts1", "nuts2", "nuts3")  # indexed by NUTS level
_KOMMUN_CODE = re.compile(r"^\d{4}$")
_FA_SHAPE = re.compile(r"^FA\d{2}$")
_LAN_SHAPE = re.compile(r"^\d{2}$")
#: Eurostat's aggregates shaped like NUTS codes (EU28, EA19, EEA31, EFTA): not regions
_AGGREGATE = re.compile(r"^(EU|EA|EEA|EFTA)\d*(_\d{4})?$")
#: "FA Karlstad", "FA-region Karlstad", "Karlstad FA", "Karlstads FA-region" (text already folded)
_FA_NAME = re.compile(r"^(?:fa[- ]?region(?:en)?|fa)\s+(?P<after>.+)$|^(?P<before>.+?)\s+(?:fa[- ]?region(?:en)?|fa)$")

#: English names of the Swedish NUTS 1 and 2 regions (NUTS itself names them in Swedish).
SWEDISH_NUTS_EN = {
    "SE": "Sweden", "SE1": "East Sweden", "SE2": "South Sweden", "SE3": "North Sweden",
    "SE11": "Stockholm", "SE12": "East Middle Sweden", "SE21": "Småland and the islands",
    "SE22": "South Sweden", "SE23": "West Sweden", "SE31": "North Middle Sweden",
    "SE32": "Central Norrland", "SE33": "Upper Norrland",
}


@dataclass(frozen=True)
class Region:
    """A resolved region. ``code`` is the NUTS code, the four-digit kommun code or ``FA01`` … ``FA60``.

    ``level`` is the NUTS level (0-3), 4 for a kommun (LAU) and 3 for an FA region,
    which is about as large as a län; :attr:`tier` tells FA regions and län apart.
    """

    code: str
    name: str
    kind: str  # "nuts", "kommun" or "fa"
    level: int  # NUTS level 0-3; 4 for a kommun (LAU); 3 for an FA region
    country: str
    nuts3: str | None = None
    lan_code: str | None = None

    @property
    def tier(self) -> str:
        """One of :data:`tier_order`: 'country', 'nuts1', 'nuts2', 'nuts3', 'fa' or 'kommun'."""
        return _NUTS_TIERS[self.level] if self.kind == "nuts" else self.kind

    @property
    def parents(self) -> list[str]:
        """NUTS codes that contain the region, nearest first (only the country for an FA region)."""
        if self.kind == "fa":
            return [self.country]
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


#: The files the region index is built from (relative to the data directory).
INDEX_FILES = ("nuts/nuts_changes.csv", "nuts/NUTS_RG_20M_2024_4326.geojson", "sweden/kommun_lan_nuts3.csv",
               "sweden/s3_priority_areas.csv")


@lru_cache(maxsize=1)
def _index() -> tuple[dict, dict, dict]:
    """(code → Region, folded name → set of codes, code → newest NUTS version it is valid in),
    kept on disk between commands."""
    return disk_cached("region-index", INDEX_FILES, _build_index)


def _build_index() -> tuple[dict, dict, dict]:
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
    km = read_kommun_table()  # not the cached table: clearing this cache re-reads everything
    for lan_code, nuts3 in km[["lan_kod", "nuts3"]].drop_duplicates().itertuples(index=False):
        lan_name = regions[nuts3].name
        regions[nuts3] = Region(nuts3, lan_name, "nuts", 3, "SE", nuts3=nuts3, lan_code=lan_code)
        regions[lan_code] = regions[nuts3]
        short = _lan_short(lan_name)
        add_name(short, nuts3)
        add_name(f"{short} County", nuts3)
    for row in km.itertuples():
        regions[row.kommun_kod] = Region(row.kommun_kod, row.kommun, "kommun", 4, "SE",
                                         nuts3=row.nuts3, lan_code=row.lan_kod)
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
        if isinstance(nuts3, str) and nuts3 in set(km["nuts3"]):
            add_name(body, nuts3)
            add_name(body.removeprefix("Region ").removeprefix("Regionförbundet "), nuts3)


def resolve_region(query: str) -> Region:
    """Resolve a region code or name (see module docstring).

    Examples
    --------
    >>> resolve_region("Värmland").code, resolve_region("Karlstad").code, resolve_region("Karlstads FA-region").code
    ('SE311', '1780', 'FA27')
    """
    regions, names, newest = _index()
    text = str(query).strip()
    if text.upper() in regions and text.upper() not in ("",):
        return regions[text.upper()]
    codes = names.get(_fold(text))
    if not codes:
        folded = _strip_accents(_fold(text))
        codes = set().union(*[v for k, v in names.items() if _strip_accents(k) == folded] or [set()])
    if not codes and (fa := _fa_region(text)) is not None:
        return fa
    if not codes:
        raise UnknownCodeError(
            f"unknown region {query!r}: give a NUTS code (e.g. SE31), a län, kommun or FA code "
            "(17, 1780, FA27) or a region name (Värmland, Norra Mellansverige, Karlstad, FA Karlstad)")
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
    return {"kommun": "kommun", "fa": "FA region"}.get(region.kind, f"NUTS {region.level}")


def _fa_region(text: str) -> Region | None:
    """The FA region that ``text`` names as ``FA27``, ``FA 27``, ``FA Karlstad``, ``Karlstads FA-region``
    and the like; None if ``text`` is not written as an FA region at all."""
    if re.fullmatch(r"FA[\s-]*\d+", text, re.IGNORECASE):
        return _fa_by_code(fa_code(text), text)
    match = _FA_NAME.match(_fold(text))
    if match is None:
        return None
    wanted = _strip_accents(match.group("after") or match.group("before"))
    by_name = {_strip_accents(_fold(name)): code for code, name in fa_table().itertuples(index=False)}
    code = by_name.get(wanted) or (by_name.get(wanted[:-1]) if wanted.endswith("s") else None)  # genitive
    if code is None:
        raise UnknownCodeError(f"unknown FA region {text!r}: the FA regions (FA 2015) are "
                               f"{', '.join(sorted(fa_table()['fa_name']))}")
    return _fa_by_code(code, text)


def _fa_by_code(code: str, query: str) -> Region:
    names = dict(fa_table().itertuples(index=False))
    if code not in names:
        raise UnknownCodeError(f"unknown FA region {query!r}: FA codes run from FA01 to FA60 (FA 2015)")
    return Region(code, names[code], "fa", 3, "SE")


# --- tiers and keys for codes as they appear in data ----------------------------------------------

def region_tier(code: str) -> str | None:
    """The tier of a region code as datasets write it, from its shape; None if it is not a region code.

    NUTS codes give 'country', 'nuts1', 'nuts2' or 'nuts3' (:func:`nuts_level`); four
    digits 'kommun'; ``FA`` and two digits 'fa'; one of SCB's 21 two-digit län codes
    'lan' (the NUTS 3 region in SCB's spelling, see :func:`canonical_region`).
    Eurostat's aggregates (``EU27_2020``, ``EU28``, ``EA19``, ``EFTA``) and anything not a
    string are None (a kommun code read as a number has lost its leading zero: ``180``).

    Examples
    --------
    >>> [region_tier(c) for c in ("SE", "SE3", "SE31", "SE311", "17", "1780", "FA27", "EU27_2020")]
    ['country', 'nuts1', 'nuts2', 'nuts3', 'lan', 'kommun', 'fa', None]
    """
    if not isinstance(code, str):
        return None
    if _KOMMUN_CODE.match(code):
        return "kommun"
    if _FA_SHAPE.match(code):
        return "fa"
    if _LAN_SHAPE.match(code):
        return "lan" if code in lan_nuts3() else None
    level = nuts_level(code)
    return None if level is None or _AGGREGATE.match(code) else _NUTS_TIERS[level]


def canonical_region(code: str) -> str:
    """A region code in smartspec's spelling: an SCB län code becomes its NUTS 3 code, others stay.

    Examples
    --------
    >>> canonical_region("17"), canonical_region("1780"), canonical_region("SE31")
    ('SE311', '1780', 'SE31')
    """
    return lan_nuts3().get(code, code) if isinstance(code, str) and _LAN_SHAPE.match(code) else code


def region_parent_key(codes, tier: str) -> pd.Series:
    """Each code's ancestor at ``tier`` (one of :data:`tier_order`), indexed by the codes as given.

    A kommun maps to its FA region, län (NUTS 3), NUTS 2, NUTS 1 and country; an FA
    region to the country only (FA regions cross län borders); a NUTS code to its
    prefix. A code at ``tier`` maps to itself, and SCB's län codes are read as NUTS 3.
    Missing (None) where ``tier`` is not above the code, or the kommun is unknown.

    Examples
    --------
    >>> region_parent_key(["1780", "1484", "17", "FA27"], "nuts2").tolist()
    ['SE31', 'SE23', 'SE31', None]
    >>> region_parent_key(["1780", "1484"], "fa").tolist()
    ['FA27', 'FA16']
    """
    _check_tier(tier)
    codes = list(codes)
    parents = {code: _ancestor(code, tier) for code in set(codes)}
    return pd.Series([parents[code] for code in codes], index=codes, dtype=object)


def _check_tier(tier: str) -> None:
    if tier not in tier_order:
        raise UnknownCodeError(f"unknown region tier {tier!r}: expected one of {tier_order}")


def _ancestor(code: str, tier: str) -> str | None:
    code = canonical_region(code)
    own = region_tier(code)
    if own is None:
        return None
    if own == tier:
        return code
    if own == "kommun":
        return _kommun_ancestor(code, tier)
    if own == "fa":
        return "SE" if tier == "country" else None
    if tier in _NUTS_TIERS and _NUTS_TIERS.index(tier) < _NUTS_TIERS.index(own):
        return code[:2 + _NUTS_TIERS.index(tier)]
    return None


def _kommun_ancestor(code: str, tier: str) -> str | None:
    if tier == "fa":
        return _kommun_fa().get(code)
    nuts3 = _kommun_nuts3().get(code)
    return None if nuts3 is None else _ancestor(nuts3, tier)


@lru_cache(maxsize=1)
def _kommun_fa() -> dict[str, str]:
    key = kommun_fa_key()
    return dict(zip(key["kommun_kod"], key["fa_code"]))


@lru_cache(maxsize=1)
def _kommun_nuts3() -> dict[str, str]:
    km = kommun_table()
    return dict(zip(km["kommun_kod"], km["nuts3"]))


def regions_within(code: str, tier: str) -> list[str]:
    """The regions at ``tier`` that lie within ``code`` (a finer tier), sorted.

    Kommuner and FA regions are Sweden's; NUTS regions are those of the newest NUTS
    version (2024). FA regions lie within the country only: they cross län borders.

    Examples
    --------
    >>> regions_within("SE31", "nuts3")
    ['SE311', 'SE312', 'SE313']
    >>> len(regions_within("17", "kommun")), len(regions_within("FA27", "kommun")), len(regions_within("SE", "fa"))
    (16, 14, 60)
    """
    _check_tier(tier)
    code = canonical_region(code)
    own = region_tier(code)
    if own is None:
        raise UnknownCodeError(f"unknown region code {code!r}: expected a NUTS, län, kommun or FA code")
    if tier_order.index(tier) >= tier_order.index(own):
        raise InputError(f"{tier} regions do not lie within {code} ({own}): give a finer tier than {own!r}")
    if tier == "fa" and own != "country":
        raise InputError(f"FA regions cross län borders, so none lies within {code}; "
                         f"region_parent_key(regions_within({code!r}, 'kommun'), 'fa') gives the FA of each kommun")
    candidates = _members(tier, country="SE" if own == "fa" else code[:2])
    key = region_parent_key(candidates, own)
    found = sorted(key.index[key == code])
    if not found:
        raise UnknownCodeError(f"unknown region code {code!r}: no {tier} regions lie within it")
    return found


def _members(tier: str, country: str) -> list[str]:
    """Every code at ``tier`` in ``country``."""
    if tier == "kommun":
        return kommun_table()["kommun_kod"].tolist() if country == "SE" else []
    if tier == "fa":
        return fa_table()["fa_code"].tolist() if country == "SE" else []
    table = nuts_regions(VERSIONS[-1])
    return table.loc[(table["level"] == _NUTS_TIERS.index(tier)) & (table["country"] == country), "code"].tolist()


def boundaries(tier: str, codes=None) -> dict:
    """Boundaries for maps: a GeoJSON FeatureCollection (WGS84) with ``code`` and ``name`` properties.

    Sweden's kommuner ('kommun'), FA regions ('fa') and län ('nuts3', under their NUTS 3
    codes), read offline from the data directory. ``codes`` keeps only those regions
    (SCB län codes are read as NUTS 3); a code without a boundary raises UnknownCodeError.
    European NUTS maps come from GISCO's files (see ``smartspec.report.charts``).

    Examples
    --------
    >>> [f["properties"] for f in boundaries("fa", ["FA27"])["features"]]
    [{'code': 'FA27', 'name': 'Karlstad'}]
    >>> len(boundaries("kommun")["features"]), len(boundaries("nuts3", ["17", "SE312"])["features"])
    (290, 2)
    """
    collection = boundary_features(tier)
    if codes is None:
        return collection
    wanted = {canonical_region(c) for c in codes}
    missing = sorted(wanted - {f["properties"]["code"] for f in collection["features"]})
    if missing:
        raise UnknownCodeError(f"no {tier} boundaries for {missing[:10]}: the boundaries cover Sweden's regions")
    collection["features"] = [f for f in collection["features"] if f["properties"]["code"] in wanted]
    return collection
