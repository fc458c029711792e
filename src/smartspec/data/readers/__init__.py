"""Readers: each returns the canonical tidy table (see smartspec.data.tidy)."""

from smartspec.data.readers.eurostat import (  # noqa: F401
    read_eurostat_tsv,
    read_sbs_workbook,
    read_sdmx_csv,
)
from smartspec.data.readers.generic import read_table  # noqa: F401
from smartspec.data.readers.scb import read_jsonstat2, read_pxweb_json, read_scb_export  # noqa: F401
