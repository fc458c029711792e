"""Settlement structure of regions at every tier: population, area, density and the
share of people living in cities and in rural areas (Eurostat's degree of urbanisation,
DEGURBA, of each municipality), summed from the municipalities (LAU 2019, with their
NUTS 2016 codes; Sweden's kommuner also for FA regions)."""

from __future__ import annotations

import pandas as pd

from smartspec.data.cache import disk_cached
from smartspec.data.classifications.nuts import recode_nuts
from smartspec.data.classifications.sweden import kommun_fa_key
from smartspec.data.paths import require_data_file

LAU = "nuts/lau_nuts_2019.csv"
KOMMUN = "sweden/kommun_lan_nuts3.csv"
COLUMNS = ["population", "area_km2", "density", "city_share", "rural_share"]


def _summarise(frame: pd.DataFrame, key) -> pd.DataFrame:
    g = frame.assign(city=frame["population"].where(frame["degurba"] == 1, 0.0),
                     rural=frame["population"].where(frame["degurba"] == 3, 0.0)).groupby(key)
    out = g[["population", "area_m2", "city", "rural"]].sum()
    out = out.where(out["population"] > 0)  # a country that publishes no population (FR in LAU 2019)
    return pd.DataFrame({"population": out["population"], "area_km2": out["area_m2"] / 1e6,
                         "density": out["population"] / (out["area_m2"] / 1e6),
                         "city_share": out["city"] / out["population"],
                         "rural_share": out["rural"] / out["population"]})


def _build_nuts() -> pd.DataFrame:
    lau = pd.read_csv(require_data_file(LAU), usecols=["code_2016", "population", "total_area_m2", "degurba"],
                      dtype={"code_2016": str}).rename(columns={"total_area_m2": "area_m2"}).dropna(subset=["code_2016"])
    lau = lau[lau["code_2016"].str.len() == 5]
    # some countries give the area in km² under the m² heading (no municipality is < 0.1 km²)
    median = lau.groupby(lau["code_2016"].str[:2])["area_m2"].transform("median")
    lau = lau.assign(area_m2=lau["area_m2"].where(median > 1e5, lau["area_m2"] * 1e6))
    return pd.concat([_summarise(lau, lau["code_2016"].str[:n]) for n in (2, 3, 4, 5)])


def _build_sweden() -> pd.DataFrame:
    km = pd.read_csv(require_data_file(KOMMUN), dtype={"kommun_kod": str}).rename(columns={"total_area_m2": "area_m2"})
    fa = kommun_fa_key().set_index("kommun_kod")["fa_code"]
    return pd.concat([_summarise(km, km["kommun_kod"]), _summarise(km, km["kommun_kod"].map(fa))])


def settlement(codes) -> pd.DataFrame:
    """``population, area_km2, density, city_share, rural_share`` for region codes of any tier
    (NUTS codes of the 2013 and 2016 versions, kommun codes, FA codes); rows missing where
    the municipal table has no such region.

    Examples
    --------
    >>> round(float(settlement(["SE110"]).at["SE110", "city_share"]), 2)   # doctest: +SKIP
    0.72
    """
    table = pd.concat([disk_cached("settlement-nuts", (LAU,), _build_nuts),
                       disk_cached("settlement-sweden", (KOMMUN, "sweden/kommun.geojson", "sweden/fa.geojson"),
                                   _build_sweden)])
    codes = list(codes)
    found = table.reindex(codes)
    missing = [c for c in codes if c not in table.index and len(c) <= 5 and c[:2].isalpha()]
    if missing:
        recoded = recode_nuts(missing, 2013, 2016)
        for code, new in recoded.items():
            if new in table.index:
                found.loc[code] = table.loc[new].to_numpy()
    return found[COLUMNS]
