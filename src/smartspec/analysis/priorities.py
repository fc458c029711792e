"""Declared S3 priority areas of Swedish regions (mirror: ``sweden/s3_priority_areas.csv``),
a keyword-based NACE suggestion for each, and bilingual matching of similar areas."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from smartspec.data.paths import MissingDataError, require_data_file

#: Bilingual keyword groups → NACE divisions. A *suggestion* shown as such: no source
#: gives codes for the declared areas, and users can set their own in the platform.
KEYWORD_GROUPS = {
    "forest": (("skog", "forest", "bioekonomi", "bioeconomy", "trä", "wood", "papper", "paper", "pulp", "massa"),
               ("02", "16", "17")),
    "food": (("livsmedel", "food", "mat", "jordbruk", "agri", "areella", "måltid"), ("01", "10", "11")),
    "metal": (("stål", "steel", "metall", "metal", "material"), ("24", "25")),
    "manufacturing": (("tillverkning", "manufacturing", "industri", "industry", "produktion", "production",
                       "verkstad", "komplexa system", "complex systems"), ("25", "27", "28", "29", "30")),
    "vehicles": (("fordon", "vehicle", "automotive", "transport", "mobilitet", "mobility"), ("29", "30", "49", "52")),
    "digital": (("digital", "ikt", "ict", "tech", "mjukvara", "software", "data", "ai"), ("26", "58", "61", "62", "63")),
    "games": (("spel", "game", "gaming", "gamification", "spelifiering"), ("58", "62")),
    "life_science": (("life science", "hälsa", "health", "medtech", "läkemedel", "pharma", "välfärd", "welfare", "vård", "care"),
                     ("21", "26", "32", "72")),
    "energy": (("energi", "energy", "sol", "solar", "photovoltaic", "elektrifiering", "electrification", "batteri",
                "battery", "vätgas", "hydrogen"), ("27", "35")),
    "experience": (("turism", "tourism", "besöksnäring", "visitor", "upplevelse", "experience", "attraktion", "attraction"),
                   ("55", "56", "79")),
    "creative": (("kultur", "culture", "kreativ", "creative", "film", "media"), ("59", "60", "73", "74")),
    "chemistry": (("kemi", "chemi", "plast", "plastic", "cirkulär", "circular"), ("20", "22", "38")),
    "construction": (("bygg", "construction", "boende", "housing", "samhällsbyggnad", "städer", "cities", "platsutveckling",
                      "place development"), ("41", "42", "43", "71")),
    "logistics": (("logistik", "logistics"), ("49", "52")),
    "textile": (("textil", "textile"), ("13", "14")),
    "marine": (("marin", "maritime", "hav", "ocean", "sjöfart", "shipping"), ("03", "30", "50")),
    "mining": (("gruv", "mining", "mineral"), ("07", "08", "09")),
    "services": (("tjänst", "service"), ("62", "69", "70", "71", "82")),
}

STOPWORDS = {"och", "and", "i", "in", "för", "for", "med", "with", "the", "av", "of", "samt", "hållbar", "hållbara",
             "hållbart", "sustainable", "smart", "smarta", "innovation", "innovativ", "innovative", "centred", "on",
             "centrum", "genom", "through", "&", "/", "-", "central", "driver", "new", "ny"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold()


#: Short keywords that must stand as whole words ("data" is not "dataspel").
WHOLE_WORDS = {"data", "ai", "ikt", "ict", "mat", "tech"}


@lru_cache(maxsize=4096)
def keyword_groups(text: str) -> tuple[str, ...]:
    """The keyword groups an area name (in Swedish or English) belongs to (keywords match
    the start of a word, so that Swedish compounds such as "skogsindustri" match "skog")."""
    t = _fold(text)

    def found(w):
        end = r"(?![a-zåäö])" if w in WHOLE_WORDS else ""
        return re.search(rf"(?<![a-zåäö]){re.escape(w)}{end}", t)

    return tuple(g for g, (words, _) in KEYWORD_GROUPS.items() if any(found(w) for w in words))


def suggested_nace(area_sv: str, area_en: str) -> list[str]:
    groups = dict.fromkeys(keyword_groups(area_sv) + keyword_groups(area_en))
    return sorted({code for g in groups for code in KEYWORD_GROUPS[g][1]})


def _tokens(text: str) -> set[str]:
    words = re.findall(r"[a-zåäöéü]+", _fold(text))
    return {w[:6] for w in words if w not in STOPWORDS and len(w) > 2}


def area_similarity(a: tuple[str, str], b: tuple[str, str]) -> float:
    """Similarity of two areas given as (Swedish, English) names: the larger of the
    word-stem overlap (Jaccard) and the keyword-group overlap, in [0, 1]."""
    ta, tb = _tokens(" ".join(a)), _tokens(" ".join(b))
    words = len(ta & tb) / len(ta | tb) if ta | tb else 0.0
    ga, gb = set(keyword_groups(" ".join(a))), set(keyword_groups(" ".join(b)))
    groups = len(ga & gb) / len(ga | gb) if ga | gb else 0.0
    return max(words, groups)


AREA_COLUMNS = ["lan_kod", "region", "nuts3", "strategy", "period", "area_sv", "area_en", "area_kind", "nace_stated",
                "source_url", "source_date", "confidence"]


@lru_cache(maxsize=2)
def _table(path_key: str) -> pd.DataFrame:
    areas = pd.read_csv(path_key, dtype=str, keep_default_na=False)
    years = areas["period"].str.extract(r"(\d{4})", expand=False).astype(float)
    areas["start"] = years.where(~areas["period"].str.contains("current", case=False), 9999).fillna(0)
    return areas


def declared_areas(nuts3: str | None = None, *, current_only: bool = True) -> pd.DataFrame:
    """Declared areas (all regions, or one NUTS 3 region); by default each region's
    current strategy only (the latest period, 'current page' counting as latest)."""
    try:
        areas = _table(str(require_data_file("sweden/s3_priority_areas.csv")))
    except MissingDataError:  # compiled by hand, no API: without the mirror there are none
        return pd.DataFrame(columns=AREA_COLUMNS)
    if nuts3 is not None:
        areas = areas[areas["nuts3"] == nuts3]
    if current_only and len(areas):
        latest = areas.groupby("nuts3")["start"].transform("max")
        areas = areas[areas["start"] == latest]
    return areas.drop(columns="start").reset_index(drop=True)


def similar_areas(home: pd.DataFrame, others: pd.DataFrame, threshold: float = 0.5, per_area: int = 4) -> pd.DataFrame:
    """For each home area, the other regions' most similar areas (at most ``per_area``
    regions, similarity ≥ ``threshold``), best first."""
    rows = []
    for h in home.itertuples():
        for o in others.itertuples():
            score = area_similarity((h.area_sv, h.area_en), (o.area_sv, o.area_en))
            if score >= threshold:
                rows.append({"home_area_sv": h.area_sv, "home_area_en": h.area_en, "region": o.region,
                             "nuts3": o.nuts3, "area_sv": o.area_sv, "area_en": o.area_en, "similarity": round(score, 3),
                             "source_url": o.source_url})
    cols = ["home_area_sv", "home_area_en", "region", "nuts3", "area_sv", "area_en", "similarity", "source_url"]
    pairs = pd.DataFrame(rows, columns=cols).sort_values(["home_area_sv", "similarity"], ascending=[True, False],
                                                         kind="stable")
    pairs = pairs.drop_duplicates(["home_area_sv", "nuts3"])
    return pairs.groupby("home_area_sv", sort=False).head(per_area).reset_index(drop=True)
