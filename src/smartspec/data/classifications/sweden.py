"""Swedish regions below the country: län, kommuner and functional labour-market regions (FA).

The tables and boundaries come from the data directory's ``sweden/`` folder:
``kommun_lan_nuts3.csv`` (kommun → län → NUTS 3), ``kommun.geojson`` (290 kommuner),
``lan.geojson`` (21 län) and ``fa.geojson`` (the 60 FA regions of Tillväxtverket's
FA 2015 division). smartspec writes FA codes ``FA01`` … ``FA60``: the bare two digits
of the source (``fa_kod``) would collide with SCB's län codes.

FA regions are unions of whole kommuner, so the kommun → FA key is derived from the
two boundary files: an interior point of each kommun is tested against every FA
region (ray casting, numpy only).
"""

import copy
import json
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from smartspec.data.paths import require_data_file
from smartspec.errors import UnknownCodeError

#: how many horizontal lines are tried when looking for a kommun's interior point
_SCAN_LINES = 9
#: how far (degrees) a kommun's point may lie outside every FA region and still go to the nearest:
#: the FA boundaries are simplified on their own, and small islands (Öckerö) fall out of them
_COAST_TOLERANCE = 0.05
_FA_CODE = re.compile(r"^FA[\s-]*(\d{1,2})$", re.IGNORECASE)


@lru_cache(maxsize=4)
def _geojson(relative: str) -> dict:
    with open(require_data_file(relative), encoding="utf-8") as fh:
        return json.load(fh)


def read_kommun_table() -> pd.DataFrame:
    """The 290 kommuner with their län and NUTS 3 region: ``kommun_kod, kommun, lan_kod, nuts3``.

    Read afresh on every call (callers with a cache of their own use this);
    :func:`kommun_table` is the cached one.

    Examples
    --------
    >>> read_kommun_table().set_index("kommun_kod").loc["1780", ["kommun", "lan_kod", "nuts3"]].tolist()
    ['Karlstad', '17', 'SE311']
    """
    km = pd.read_csv(require_data_file("sweden/kommun_lan_nuts3.csv"), dtype=str)
    km = km.rename(columns={"nuts3_2016": "nuts3"})
    return km[["kommun_kod", "kommun", "lan_kod", "nuts3"]].reset_index(drop=True)


@lru_cache(maxsize=1)
def kommun_table() -> pd.DataFrame:
    """:func:`read_kommun_table`, read once.

    Examples
    --------
    >>> len(kommun_table())
    290
    """
    return read_kommun_table()


@lru_cache(maxsize=1)
def lan_nuts3() -> dict[str, str]:
    """SCB's two-digit län codes and their NUTS 3 codes.

    Examples
    --------
    >>> lan_nuts3()["17"]
    'SE311'
    """
    pairs = kommun_table()[["lan_kod", "nuts3"]].drop_duplicates()
    return dict(zip(pairs["lan_kod"], pairs["nuts3"]))


@lru_cache(maxsize=1)
def fa_table() -> pd.DataFrame:
    """The 60 FA regions (FA 2015): ``fa_code, fa_name``, in code order.

    Examples
    --------
    >>> fa_table().set_index("fa_code").at["FA27", "fa_name"]
    'Karlstad'
    """
    rows = [(fa_code(f["properties"]["fa_kod"]), f["properties"]["fa_namn"])
            for f in _geojson("sweden/fa.geojson")["features"]]
    return pd.DataFrame(sorted(rows), columns=["fa_code", "fa_name"])


def fa_code(raw) -> str:
    """An FA code written the smartspec way, ``FA`` and two digits.

    Accepts ``FA27``, ``fa 27``, ``FA-27`` and the source's bare ``27`` or ``7``. Whether
    the region exists is not checked here (see :func:`fa_table`).

    Examples
    --------
    >>> fa_code("fa 7"), fa_code("27")
    ('FA07', 'FA27')
    """
    text = str(raw).strip()
    match = _FA_CODE.match(text) or re.fullmatch(r"(\d{1,2})", text)
    if not match:
        raise UnknownCodeError(f"{raw!r} is not an FA code: expected FA01 … FA60")
    return f"FA{int(match.group(1)):02d}"


# --- geometry ------------------------------------------------------------------------------------

def _polygons(geometry: dict) -> list[list[np.ndarray]]:
    """The polygons of a (Multi)Polygon, each a list of rings as (n, 2) arrays (outer ring first)."""
    coords = geometry["coordinates"]
    polys = [coords] if geometry["type"] == "Polygon" else coords
    return [[np.asarray(ring, dtype=float)[:, :2] for ring in poly] for poly in polys]


def _edges(rings: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Start and end points of every edge of the rings, as two (m, 2) arrays."""
    starts = np.concatenate(rings)
    ends = np.concatenate([np.roll(ring, -1, axis=0) for ring in rings])
    return starts, ends


def _crossings(rings: list[np.ndarray], y: float) -> np.ndarray:
    """x of every point where the horizontal line at ``y`` crosses the rings' edges, sorted.

    An edge counts if one end lies above the line and the other not (half-open), so a
    line through a vertex is counted once and every ring gives an even number.
    """
    a, b = _edges(rings)
    hit = (a[:, 1] > y) != (b[:, 1] > y)
    a, b = a[hit], b[hit]
    return np.sort(a[:, 0] + (y - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1]))


def _contains(rings: list[np.ndarray], x: float, y: float) -> bool:
    """Whether (x, y) lies inside the rings (even-odd rule: holes and several polygons work)."""
    return bool(np.count_nonzero(_crossings(rings, y) > x) % 2)


def _clearance(rings: list[np.ndarray], x: float, y: float) -> float:
    """Distance from (x, y) to the nearest edge of the rings."""
    a, b = _edges(rings)
    d = b - a
    length2 = np.where((d ** 2).sum(axis=1) > 0, (d ** 2).sum(axis=1), 1.0)
    t = np.clip(((np.array([x, y]) - a) * d).sum(axis=1) / length2, 0.0, 1.0)
    nearest = a + t[:, None] * d
    return float(np.sqrt(((nearest - [x, y]) ** 2).sum(axis=1)).min())


def _ring_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


def interior_point(geometry: dict) -> tuple[float, float]:
    """A point surely inside a (Multi)Polygon, unlike its centroid for a concave shape.

    Scans horizontal lines across the polygon with the largest outer ring; on each,
    the midpoint of the widest segment inside it is a candidate, and the candidate
    farthest from the boundary wins.

    Examples
    --------
    >>> u_shape = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [3, 4], [3, 1], [1, 1], [1, 4],
    ...                                                  [0, 4], [0, 0]]]}
    >>> interior_point(u_shape)  # the centroid, (2.0, 1.6), lies in the gap between the arms
    (0.5, 1.1111111111111112)
    """
    rings = max(_polygons(geometry), key=lambda poly: _ring_area(poly[0]))
    low, high = rings[0][:, 1].min(), rings[0][:, 1].max()
    candidates = []
    for y in low + (high - low) * (np.arange(_SCAN_LINES) + 0.5) / _SCAN_LINES:
        xs = _crossings(rings, y).reshape(-1, 2)
        if len(xs):
            left, right = xs[np.argmax(xs[:, 1] - xs[:, 0])]
            candidates.append(((left + right) / 2, float(y)))
    x, y = max(candidates, key=lambda p: _clearance(rings, *p))
    return float(x), float(y)


# --- keys ------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def kommun_fa_key() -> pd.DataFrame:
    """Which FA region each kommun belongs to: ``kommun_kod, fa_code, fa_name`` (290 rows).

    Derived from the boundaries (``sweden/kommun.geojson`` and ``sweden/fa.geojson``):
    an interior point of each kommun (:func:`interior_point`) is located in the FA
    regions. FA and kommun boundaries were simplified separately, so a point that no FA
    region contains (the islands of Öckerö) goes to the nearest FA region if one lies
    within ``_COAST_TOLERANCE`` degrees; otherwise, or if several contain it, an error.

    Examples
    --------
    >>> key = kommun_fa_key().set_index("kommun_kod")
    >>> key.loc["1780", ["fa_code", "fa_name"]].tolist()
    ['FA27', 'Karlstad']
    """
    fa = [(fa_code(f["properties"]["fa_kod"]), f["properties"]["fa_namn"],
           [ring for poly in _polygons(f["geometry"]) for ring in poly])
          for f in _geojson("sweden/fa.geojson")["features"]]
    rows = []
    for feature in _geojson("sweden/kommun.geojson")["features"]:
        x, y = interior_point(feature["geometry"])
        found = [(code, name) for code, name, rings in fa if _contains(rings, x, y)]
        if not found:
            distance, code, name = min((_clearance(rings, x, y), code, name) for code, name, rings in fa)
            found = [(code, name)] if distance <= _COAST_TOLERANCE else []
        if len(found) != 1:
            props = feature["properties"]
            raise UnknownCodeError(f"kommun {props['kommun_kod']} ({props['kommun']}) lies in {len(found)} FA "
                                   f"regions of sweden/fa.geojson at ({x:.4f}, {y:.4f}); expected exactly one")
        rows.append((feature["properties"]["kommun_kod"], *found[0]))
    return pd.DataFrame(sorted(rows), columns=["kommun_kod", "fa_code", "fa_name"])


# --- boundaries -----------------------------------------------------------------------------------

#: tier → (file, how to read a feature's code and name)
_BOUNDARY_FILES = {
    "kommun": ("sweden/kommun.geojson", lambda p: (p["kommun_kod"], p["kommun"])),
    "fa": ("sweden/fa.geojson", lambda p: (fa_code(p["fa_kod"]), p["fa_namn"])),
    "nuts3": ("sweden/lan.geojson", lambda p: (lan_nuts3()[p["lan_kod"]], p["lan"])),
}


def boundary_features(tier: str) -> dict:
    """Sweden's boundaries at ``tier`` ('kommun', 'fa' or 'nuts3') as a GeoJSON FeatureCollection
    (WGS84) whose features have just the properties ``code`` and ``name``. A fresh copy each call.

    Examples
    --------
    >>> boundary_features("nuts3")["features"][0]["properties"]
    {'code': 'SE110', 'name': 'Stockholms län'}
    """
    if tier not in _BOUNDARY_FILES:
        raise UnknownCodeError(f"no boundaries for tier {tier!r} here: Sweden's are {list(_BOUNDARY_FILES)}; "
                               "European NUTS maps use GISCO's nuts/NUTS_RG_60M_2021_4326_LEVL_*.geojson")
    relative, code_name = _BOUNDARY_FILES[tier]
    features = []
    for f in _geojson(relative)["features"]:
        code, name = code_name(f["properties"])
        features.append({"type": "Feature", "properties": {"code": code, "name": name},
                         "geometry": copy.deepcopy(f["geometry"])})
    return {"type": "FeatureCollection", "features": features}
