"""NUTS regions for the 1999 … 2024 versions, and recoding between versions.

Codes, names and levels come from the data directory's ``nuts/nuts_changes.csv``
(1999 … 2021, with the type of every change) and ``nuts/NUTS_RG_20M_2024_4326.geojson``
(2024). A code's level is its length minus two (``SE`` 0, ``SE3`` 1, ``SE31`` 2, ``SE311`` 3).
"""

import json
from functools import lru_cache

import pandas as pd

from smartspec.data.cache import disk_cached
from smartspec.data.paths import require_data_file
from smartspec.errors import UnknownCodeError

VERSIONS = (1999, 2003, 2006, 2010, 2013, 2016, 2021, 2024)


def nuts_level(code: str) -> int | None:
    """NUTS level from the code's shape; None for codes that are not NUTS (e.g. EU27_2020)."""
    code = str(code)
    if len(code) < 2 or len(code) > 5 or not code[:2].isalpha() or not code[:2].isupper():
        return None
    if len(code) > 2 and not code[2:].isalnum():
        return None
    return len(code) - 2


@lru_cache(maxsize=1)
def _changes() -> pd.DataFrame:
    return pd.read_csv(require_data_file("nuts/nuts_changes.csv"), dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _nuts2024() -> pd.DataFrame:
    """The 2024 codes and names from GISCO's GeoJSON (a 6 MB file), kept in the workspace."""
    return disk_cached("nuts2024-names", ("nuts/NUTS_RG_20M_2024_4326.geojson",), _read_nuts2024)


def _read_nuts2024() -> pd.DataFrame:
    with open(require_data_file("nuts/NUTS_RG_20M_2024_4326.geojson"), encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    rows = [{"code": f["properties"]["NUTS_ID"], "name": f["properties"]["NUTS_NAME"],
             "name_latin": f["properties"]["NAME_LATN"]} for f in feats]
    return pd.DataFrame(rows)


@lru_cache(maxsize=len(VERSIONS))
def nuts_regions(version: int = 2021) -> pd.DataFrame:
    """All regions of a NUTS version: ``code, level, country, parent, name, name_latin``."""
    if version not in VERSIONS:
        raise UnknownCodeError(f"unknown NUTS version {version}: expected one of {VERSIONS}")
    if version == 2024:
        table = _nuts2024()
    else:
        ch = _changes()
        name_col = f"geo_name_{max(version, 2003)}"
        table = ch[ch[f"code_{version}"] != ""][[f"code_{version}", name_col]]
        table = table.set_axis(["code", "name"], axis=1).drop_duplicates("code")
        table = table.assign(name_latin=table["name"])
    table = table.assign(
        level=table["code"].map(nuts_level),
        country=table["code"].str[:2],
        parent=table["code"].map(lambda c: c[:-1] if len(c) > 2 else None),
    )
    return table[["code", "level", "country", "parent", "name", "name_latin"]].reset_index(drop=True)


def recode_nuts(codes, from_version: int, to_version: int) -> pd.Series:
    """Map codes between NUTS versions (1999 … 2021) using the official change table.

    Returns a Series indexed by the input codes; a code whose region was split,
    merged or dropped between the versions maps to missing (no 1:1 successor).
    """
    for v in (from_version, to_version):
        if v not in VERSIONS[:-1]:
            raise UnknownCodeError(f"recoding covers NUTS versions {VERSIONS[:-1]}, not {v}")
    ch = _changes()
    codes = list(codes)
    if from_version == to_version:
        known = set(ch[f"code_{from_version}"]) - {""}
        return pd.Series([c if c in known else None for c in codes], index=codes, dtype=object)
    pairs = ch[[f"code_{from_version}", f"code_{to_version}"]]
    pairs = pairs[(pairs.iloc[:, 0] != "") & (pairs.iloc[:, 1] != "")]
    counts = pairs.groupby(pairs.columns[0])[pairs.columns[1]].nunique()
    unique = pairs[pairs.iloc[:, 0].isin(counts[counts == 1].index)].drop_duplicates(pairs.columns[0])
    mapping = dict(zip(unique.iloc[:, 0], unique.iloc[:, 1]))
    return pd.Series([mapping.get(c) for c in codes], index=codes, dtype=object)
