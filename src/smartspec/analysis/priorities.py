"""Declared S3 priority areas of Swedish regions (mirror: ``sweden/s3_priority_areas.csv``),
a NACE suggestion for each (matched by meaning against the classification's official text,
:mod:`smartspec.analysis.matching`), and bilingual matching of similar areas."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from smartspec.analysis.matching import suggest_codes
from smartspec.data.paths import MissingDataError, require_data_file

STOPWORDS = {"och", "and", "i", "in", "för", "for", "med", "with", "the", "av", "of", "samt", "hållbar", "hållbara",
             "hållbart", "sustainable", "smart", "smarta", "innovation", "innovativ", "innovative", "centred", "on",
             "centrum", "genom", "through", "&", "/", "-", "central", "driver", "new", "ny"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold()


def suggested_nace(area_sv: str, area_en: str) -> list[str]:
    """The NACE codes suggested for a declared area, sorted (divisions, groups or classes;
    empty for a horizontal theme or an area that matches nothing). A *suggestion*, shown as
    such: no source gives codes for the declared areas, and users can set their own. See
    :func:`smartspec.analysis.matching.suggest_codes` for the codes with their reasons."""
    return sorted(d["code"] for d in suggest_codes(area_sv, area_en) if not d.get("horizontal"))


@lru_cache(maxsize=4096)
def _meaning(area: tuple[str, str]) -> frozenset[str]:
    """The divisions suggested for an area, or its horizontal themes."""
    found = suggest_codes(*area)
    if found and found[0].get("horizontal"):
        return frozenset(f"theme:{t}" for t in found[0]["themes"])
    return frozenset(d["code"][:2] for d in found)


def _tokens(text: str) -> set[str]:
    words = re.findall(r"[a-zåäöéü]+", _fold(text))
    return {w[:6] for w in words if w not in STOPWORDS and len(w) > 2}


def area_similarity(a: tuple[str, str], b: tuple[str, str]) -> float:
    """Similarity of two areas given as (Swedish, English) names: the larger of the
    word-stem overlap (Jaccard) and the overlap of their suggested NACE divisions (or of
    their horizontal themes), in [0, 1]."""
    ta, tb = _tokens(" ".join(a)), _tokens(" ".join(b))
    words = len(ta & tb) / len(ta | tb) if ta | tb else 0.0
    ga, gb = _meaning(tuple(a)), _meaning(tuple(b))
    codes = len(ga & gb) / len(ga | gb) if ga | gb else 0.0
    return max(words, codes)


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
    others = list(others.itertuples())
    for h in home.itertuples():
        for o in others:
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
