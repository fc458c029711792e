"""Reference files fetched when the data directory does not hold them.

Without the offline mirror, classifications and maps come from their publishers
and are kept under ``SMARTSPEC_HOME/downloads`` at the mirror's relative paths:

* ``nuts/NUTS_RG_20M_2024_4326.geojson`` and ``nuts/NUTS_RG_60M_2021_4326_LEVL_2.geojson``
  — GISCO's NUTS boundaries (© EuroGeographics for the administrative boundaries);
* ``nuts/nuts_changes.csv`` — the mirror compiles Eurostat's official change
  table; fetched, it is derived from GISCO's files of each NUTS version, so codes
  and names are exact but recoding is by code identity (a region that kept its
  code through a boundary change is treated as unchanged);
* ``sweden/lan.geojson`` — the 21 län, taken from GISCO's NUTS 3 regions of Sweden;
* ``sweden/kommun_lan_nuts3.csv`` — kommun codes and Swedish names from SCB's
  PxWeb v2 metadata (table TAB6471, population per month); population, area and
  urbanisation are left empty.

The S3 priority areas (``sweden/s3_priority_areas.csv``) are compiled by hand from
the regions' own pages and have no API: without the mirror there are none.
``SMARTSPEC_GISCO_URL`` and ``SMARTSPEC_SCB_V2_URL`` point the fetchers elsewhere
(a proxy, or the test suite's local server).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

from smartspec import config
from smartspec.data.fetch.http import request
from smartspec.data.fetch.scb import PxWebClient
from smartspec.data.readers.scb import LAN_NUTS3

GISCO = "https://gisco-services.ec.europa.eu/distribution/v2/nuts/geojson"
#: NUTS versions whose GISCO files make the derived code table
TABLE_VERSIONS = (2003, 2006, 2010, 2013, 2016, 2021)
#: an SCB table whose Region variable lists every kommun (population per month)
KOMMUN_TABLE = "TAB6471"
CHANGE_VERSIONS = (1999, 2003, 2006, 2010, 2013, 2016, 2021)


def _gisco(name: str) -> bytes:
    base = os.environ.get("SMARTSPEC_GISCO_URL", GISCO).rstrip("/")
    return request(f"{base}/{name}")


def _nuts_table() -> bytes:
    codes: dict[str, dict] = {}
    for version in TABLE_VERSIONS:
        feats = json.loads(_gisco(f"NUTS_RG_20M_{version}_4326.geojson"))["features"]
        for f in feats:
            p = f["properties"]
            row = codes.setdefault(p["NUTS_ID"], {"typology": _typology(p["NUTS_ID"])})
            row[f"code_{version}"] = p["NUTS_ID"]
            row[f"geo_name_{version}"] = p.get("NUTS_NAME") or p.get("NAME_LATN") or ""
    columns = (["typology", "start_year", "end_year"] + [f"code_{v}" for v in CHANGE_VERSIONS]
               + [f"geo_name_{v}" for v in CHANGE_VERSIONS[1:]] + [f"change_{v}" for v in CHANGE_VERSIONS[1:]])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="")
    writer.writeheader()
    for code in sorted(codes):
        writer.writerow(codes[code])
    return out.getvalue().encode()


def _typology(code: str) -> str:
    return ("country", "nuts1", "nuts2", "nuts3")[min(len(code) - 2, 3)]


def _lan() -> bytes:
    lan_of = {nuts3: lan for lan, nuts3 in LAN_NUTS3.items()}
    feats = json.loads(_gisco("NUTS_RG_20M_2024_4326.geojson"))["features"]
    chosen = [{"type": "Feature", "geometry": f["geometry"],
               "properties": {"lan_kod": lan_of[f["properties"]["NUTS_ID"]], "lan": f["properties"]["NUTS_NAME"]}}
              for f in feats if f["properties"]["NUTS_ID"] in lan_of]
    return json.dumps({"type": "FeatureCollection", "features": chosen}).encode()


def _kommuner() -> bytes:
    client = PxWebClient(api=2, lang="sv")
    meta = client._get_json(f"{client.base}/tables/{KOMMUN_TABLE}/metadata", lang="sv", outputFormat="json-stat2")
    labels = meta["dimension"]["Region"]["category"]["label"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kommun_kod", "kommun", "nuts3_2016", "population", "total_area_m2", "degurba", "fua_id",
                     "fua_name", "lan_kod"])
    for code, name in labels.items():
        if len(code) == 4 and code.isdigit() and code[:2] in LAN_NUTS3:
            writer.writerow([code, name, LAN_NUTS3[code[:2]], "", "", "", "", "", code[:2]])
    return out.getvalue().encode()


#: relative path → (publisher, how to make it)
REFERENCE = {
    "nuts/NUTS_RG_20M_2024_4326.geojson": ("GISCO", lambda: _gisco("NUTS_RG_20M_2024_4326.geojson")),
    "nuts/NUTS_RG_60M_2021_4326_LEVL_2.geojson": ("GISCO", lambda: _gisco("NUTS_RG_60M_2021_4326_LEVL_2.geojson")),
    "nuts/nuts_changes.csv": ("GISCO", _nuts_table),
    "sweden/lan.geojson": ("GISCO", _lan),
    "sweden/kommun_lan_nuts3.csv": ("SCB", _kommuner),
}


def fetch_reference(relative: str) -> Path | None:
    """Fetch ``relative`` into the workspace's downloads; None if it has no fetcher, or when
    ``SMARTSPEC_OFFLINE`` is set (no network is tried)."""
    if relative not in REFERENCE or os.environ.get("SMARTSPEC_OFFLINE"):
        return None
    publisher, make = REFERENCE[relative]
    print(f"… {relative} is not in the data directory: fetching it from {publisher}", file=sys.stderr, flush=True)
    payload = make()
    path = config.home() / "downloads" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(payload)
    tmp.replace(path)
    return path
