"""Microdata: establishments, employment spells and patents, aggregated into the
data layer's observation table on DuckDB or Spark with the same SQL.

>>> from smartspec import microdata
>>> microdata.generate("synthetic", rows=1_000_000)           # doctest: +SKIP
>>> microdata.aggregate("synthetic", "agg.parquet", engine="duckdb")  # doctest: +SKIP
"""

from smartspec.microdata.aggregate import aggregate
from smartspec.microdata.generate import generate
from smartspec.microdata.schema import TABLES, discover

__all__ = ["aggregate", "generate", "discover", "TABLES"]
