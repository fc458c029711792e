"""Which datasets smartspec knows: their files in the mirror, reader, source and licence."""

from dataclasses import dataclass, field
from typing import Callable

from smartspec.data.readers import mirror

EUROSTAT_LICENCE = "CC BY 4.0 (Commission Decision 2011/833/EU); credit 'Source: Eurostat'"
SCB_LICENCE = "CC0 1.0; credit 'Källa: SCB' / 'Source: Statistics Sweden'"


@dataclass(frozen=True)
class DatasetSpec:
    code: str
    title: str
    files: tuple[str, ...]
    reader: Callable
    source: str = "Eurostat"
    licence: str = EUROSTAT_LICENCE
    url: str = ""
    fetch: dict = field(default_factory=dict)


def _eurostat_url(code: str) -> str:
    return f"https://ec.europa.eu/eurostat/databrowser/view/{code}/default/table"


KNOWN = {spec.code: spec for spec in [
    DatasetSpec("sbs_r_nuts06_r2", "SBS by NUTS 2 region and NACE Rev. 2: persons employed (2014)",
                ("eurostat/sbs_r_nuts06_r2_2014.csv",), mirror.read_mirror_sbs,
                url=_eurostat_url("sbs_r_nuts06_r2"),
                fetch={"provider": "eurostat", "filters": {"indic_sb": "V16910"}}),
    DatasetSpec("nama_10r_3empers", "Employment (persons) by NUTS 3 region and NACE A10",
                ("eurostat/nama_10r_3empers_SE.csv", "eurostat/nama_10r_3empers_countries.csv"),
                mirror.read_mirror_nama_empers, url=_eurostat_url("nama_10r_3empers"),
                fetch={"provider": "eurostat", "filters": {"wstatus": "EMP", "unit": "THS"}}),
    DatasetSpec("nama_10r_3gdp", "Gross domestic product (GDP) at current market prices by NUTS 3 region",
                ("eurostat/nama_10r_3gdp_SE.csv",), mirror.read_mirror_gdp, url=_eurostat_url("nama_10r_3gdp"),
                fetch={"provider": "eurostat", "filters": {}}),
    DatasetSpec("nuts2_indicators", "Headline regional indicators by NUTS 2 region (GDP, population, patents …)",
                ("eurostat/nuts2_indicators_2007_2018.csv",), mirror.read_mirror_indicators,
                url="https://ec.europa.eu/eurostat/web/regions/database",
                # fetched: the two indicators the analysis uses (measure, table, filters, NUTS level)
                fetch={"provider": "eurostat", "parts": (
                    ("region_gdp", "nama_10r_3gdp", {"unit": "MIO_EUR"}, 2),
                    ("region_population", "tgs00096", {"sex": "T", "age": "TOTAL"}, 2))}),
    DatasetSpec("rd_p_persreg", "R&D personnel (FTE) by NUTS 2 region",
                ("eurostat/rd_p_persreg_2009_2018.csv",), mirror.read_mirror_rd, url=_eurostat_url("rd_p_persreg")),
]}
