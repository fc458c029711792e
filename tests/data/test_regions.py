"""Regions at every level: kommun, FA region, län/NUTS 3, NUTS 2, NUTS 1, country, and the keys between them."""

import pytest

from smartspec.data.classifications.regions import (
    Region,
    boundaries,
    canonical_region,
    region_parent_key,
    region_tier,
    regions_within,
    resolve_region,
    tier_order,
)
from smartspec.data.classifications.sweden import (
    fa_code,
    fa_table,
    interior_point,
    kommun_fa_key,
    kommun_table,
    lan_nuts3,
)
from smartspec.errors import AmbiguousNameError, InputError, UnknownCodeError

U_SHAPE = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [3, 4], [3, 1], [1, 1], [1, 4], [0, 4], [0, 0]]]}


def _fa_of(kommun_kod: str) -> tuple[str, str]:
    row = kommun_fa_key().set_index("kommun_kod").loc[kommun_kod]
    return row["fa_code"], row["fa_name"]


# --- the kommun → FA key -------------------------------------------------------------------------

def test_fa_table_has_the_60_regions_of_fa_2015():
    fa = fa_table()
    assert fa["fa_code"].tolist() == [f"FA{n:02d}" for n in range(1, 61)]
    assert fa.set_index("fa_code").at["FA27", "fa_name"] == "Karlstad"


def test_every_kommun_lies_in_exactly_one_fa_region():
    key = kommun_fa_key()
    assert list(key.columns) == ["kommun_kod", "fa_code", "fa_name"]
    assert len(key) == 290 and key["kommun_kod"].is_unique
    assert set(key["kommun_kod"]) == set(kommun_table()["kommun_kod"])
    assert set(key["fa_code"]) == set(fa_table()["fa_code"])  # all 60 have at least one kommun
    assert kommun_fa_key() is key  # cached


@pytest.mark.parametrize("kommun, fa", [
    ("1780", ("FA27", "Karlstad")), ("0180", ("FA23", "Stockholm")), ("1280", ("FA01", "Malmö-Lund")),
    ("1281", ("FA01", "Malmö-Lund")), ("1480", ("FA15", "Göteborg")), ("0980", ("FA20", "Gotland")),
    ("1407", ("FA15", "Göteborg")),  # Öckerö: islands that the simplified FA boundary leaves out
])
def test_published_memberships(kommun, fa):
    assert _fa_of(kommun) == fa


def test_fa_regions_contain_the_kommuner_they_are_named_after():
    key = kommun_table().merge(kommun_fa_key(), on="kommun_kod")
    fa_of = dict(zip(key["kommun"], key["fa_code"]))
    checked = 0
    for code, name in fa_table().itertuples(index=False):
        for centre in [name] if name in fa_of else name.split("-"):
            if centre in fa_of:  # all but "Västlandet"
                assert fa_of[centre] == code, (code, name, centre)
                checked += 1
    assert checked >= 65


def test_fa_regions_cross_lan_borders():
    key = kommun_table().merge(kommun_fa_key(), on="kommun_kod").set_index("kommun")
    # FA Älmhult-Osby: Älmhult is in Kronoberg (07), Osby in Skåne (12)
    assert key.loc["Älmhult", "fa_code"] == key.loc["Osby", "fa_code"] == "FA04"
    assert (key.loc["Älmhult", "lan_kod"], key.loc["Osby", "lan_kod"]) == ("07", "12")
    lan_counts = key.groupby("fa_code")["lan_kod"].nunique()
    assert (lan_counts > 1).sum() >= 5


def test_interior_point_lies_inside_a_concave_polygon():
    x, y = interior_point(U_SHAPE)  # the centroid (2, 1.6) is in the gap between the arms
    in_base = 0 < x < 4 and 0 < y < 1
    in_arm = (0 < x < 1 or 3 < x < 4) and 1 <= y < 4
    assert in_base or in_arm


def test_fa_code_spellings():
    assert [fa_code(c) for c in ("FA27", "fa 27", "FA-07", "7", "27")] == ["FA27", "FA27", "FA07", "FA07", "FA27"]
    with pytest.raises(UnknownCodeError, match="'Karlstad' is not an FA code"):
        fa_code("Karlstad")


# --- resolve_region -----------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["FA27", "fa27", "FA 27", "FA-27", "FA Karlstad", "Karlstad FA", "Karlstads FA-region",
                                   "FA-region Karlstad", "fa-regionen karlstad"])
def test_resolve_fa_region(query):
    region = resolve_region(query)
    assert region == Region("FA27", "Karlstad", "fa", 3, "SE")
    assert region.tier == "fa" and region.parents == ["SE"]


@pytest.mark.parametrize("query, code", [("FA Malmo-Lund", "FA01"), ("Borås FA-region", "FA14"),
                                         ("Kirunas FA-region", "FA60"), ("FA Gotland", "FA20"),
                                         ("Stockholm FA", "FA23")])
def test_resolve_fa_names_with_accents_and_genitive(query, code):
    assert resolve_region(query).code == code


def test_bare_names_keep_resolving_as_before():
    assert resolve_region("Karlstad").code == "1780"  # the kommun, not FA Karlstad
    assert resolve_region("Gotland").code == "SE214"  # the län, not the kommun or the FA region
    assert resolve_region("Härjedalen").code == "2361"
    with pytest.raises(AmbiguousNameError) as err:
        resolve_region("Stockholm")
    assert "FA" not in str(err.value)


@pytest.mark.parametrize("query", ["FA61", "FA00", "FA 99"])
def test_unknown_fa_code_is_named(query):
    with pytest.raises(UnknownCodeError, match=f"unknown FA region '{query}'.*FA01 to FA60"):
        resolve_region(query)


def test_unknown_fa_name_is_named():
    with pytest.raises(UnknownCodeError, match="unknown FA region 'FA Atlantis'.*Karlstad"):
        resolve_region("FA Atlantis")


@pytest.mark.parametrize("query, tier", [("SE", "country"), ("SE3", "nuts1"), ("SE31", "nuts2"), ("17", "nuts3"),
                                         ("Värmland", "nuts3"), ("1780", "kommun"), ("FA27", "fa")])
def test_region_tier_property(query, tier):
    assert resolve_region(query).tier == tier
    assert tier in tier_order


# --- tiers and keys for data --------------------------------------------------------------------

def test_tier_order():
    assert tier_order == ("kommun", "fa", "nuts3", "nuts2", "nuts1", "country")


@pytest.mark.parametrize("code, tier", [
    ("SE", "country"), ("SE3", "nuts1"), ("SE31", "nuts2"), ("SE311", "nuts3"), ("DE212", "nuts3"), ("UKC1", "nuts2"),
    ("1780", "kommun"), ("0180", "kommun"), ("FA27", "fa"), ("17", "lan"), ("01", "lan"),
    ("EU27_2020", None), ("EU28", None), ("EA19", None), ("EFTA", None), ("00", None), ("02", None), ("fa27", None),
    ("Karlstad", None), ("", None), (1780, None),
])
def test_region_tier(code, tier):
    assert region_tier(code) == tier


def test_canonical_region():
    assert [canonical_region(c) for c in ("17", "01", "SE311", "1780", "FA27", "EU27_2020")] == \
        ["SE311", "SE110", "SE311", "1780", "FA27", "EU27_2020"]
    assert set(lan_nuts3().values()) == set(kommun_table()["nuts3"]) and len(lan_nuts3()) == 21


@pytest.mark.parametrize("tier, expected", [
    ("kommun", ["1780", "0765", None, None, None, None, None]),
    ("fa", ["FA27", "FA04", None, None, None, "FA27", None]),
    ("nuts3", ["SE311", "SE212", "SE311", "SE311", None, None, None]),
    ("nuts2", ["SE31", "SE21", "SE31", "SE31", "SE31", None, None]),
    ("nuts1", ["SE3", "SE2", "SE3", "SE3", "SE3", None, None]),
    ("country", ["SE", "SE", "SE", "SE", "SE", "SE", None]),
])
def test_region_parent_key(tier, expected):
    codes = ["1780", "0765", "17", "SE311", "SE31", "FA27", "EU27_2020"]
    key = region_parent_key(codes, tier)
    assert key.index.tolist() == codes and key.tolist() == expected


def test_parent_key_outside_sweden_and_unknown_kommun():
    key = region_parent_key(["DE212", "DE212", "9999"], "nuts2")
    assert key.tolist() == ["DE21", "DE21", None]
    with pytest.raises(UnknownCodeError, match="unknown region tier 'lan'"):
        region_parent_key(["1780"], "lan")


def test_regions_within():
    assert regions_within("SE31", "nuts3") == ["SE311", "SE312", "SE313"]
    assert regions_within("SE", "nuts2") == ["SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33"]
    assert regions_within("17", "kommun") == regions_within("SE311", "kommun")
    assert "1780" in regions_within("17", "kommun") and len(regions_within("17", "kommun")) == 16
    assert len(regions_within("SE", "kommun")) == 290 and len(regions_within("SE", "fa")) == 60
    assert regions_within("FA04", "kommun") == ["0765", "1273"]
    assert regions_within("DE2", "nuts2")[:2] == ["DE21", "DE22"]


@pytest.mark.parametrize("code, tier, error, message", [
    ("SE311", "fa", InputError, "FA regions cross län borders"),
    ("FA27", "nuts3", InputError, "nuts3 regions do not lie within FA27"),
    ("1780", "kommun", InputError, "do not lie within 1780"),
    ("XX9", "nuts3", UnknownCodeError, "unknown region code 'XX9'"),
    ("EU27_2020", "nuts2", UnknownCodeError, "unknown region code 'EU27_2020'"),
    ("SE31", "län", UnknownCodeError, "unknown region tier"),
])
def test_regions_within_errors(code, tier, error, message):
    with pytest.raises(error, match=message):
        regions_within(code, tier)


# --- boundaries ----------------------------------------------------------------------------------

@pytest.mark.parametrize("tier, count, example", [("kommun", 290, ("1780", "Karlstad")), ("fa", 60, ("FA27", "Karlstad")),
                                                  ("nuts3", 21, ("SE311", "Värmlands län"))])
def test_boundaries(tier, count, example):
    geo = boundaries(tier)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == count
    props = {f["properties"]["code"]: f["properties"]["name"] for f in geo["features"]}
    assert props[example[0]] == example[1]
    assert all(set(f["properties"]) == {"code", "name"} for f in geo["features"])
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])
    lon, lat = interior_point(geo["features"][0]["geometry"])
    assert 10 < lon < 25 and 55 < lat < 70  # WGS84 degrees


def test_boundaries_of_some_regions():
    geo = boundaries("nuts3", ["17", "SE312"])
    assert sorted(f["properties"]["code"] for f in geo["features"]) == ["SE311", "SE312"]
    assert [f["properties"]["code"] for f in boundaries("fa", ["FA27"])["features"]] == ["FA27"]


def test_boundaries_are_fresh_copies():
    first = boundaries("fa")
    first["features"][0]["geometry"]["coordinates"].clear()
    assert boundaries("fa")["features"][0]["geometry"]["coordinates"]


def test_boundaries_errors():
    with pytest.raises(UnknownCodeError, match=r"no fa boundaries for \['FA99'\]"):
        boundaries("fa", ["FA27", "FA99"])
    with pytest.raises(UnknownCodeError, match="no boundaries for tier 'nuts2'"):
        boundaries("nuts2")
