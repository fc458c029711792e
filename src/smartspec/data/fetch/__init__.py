"""Online fetchers for Eurostat and SCB, storing what they download in the workspace."""

from datetime import datetime, timezone

import pandas as pd

from smartspec import config
from smartspec.data.catalog import EUROSTAT_LICENCE, KNOWN, SCB_LICENCE
from smartspec.data.checks import check_table
from smartspec.data.fetch.eurostat import EurostatClient
from smartspec.data.fetch.scb import PxWebClient
from smartspec.data.store import Store, file_hash

__all__ = ["EurostatClient", "PxWebClient", "fetch_eurostat", "fetch_scb", "fetch_known"]


def _save_dir(provider: str, code: str):
    path = config.downloads_dir() / provider / code.replace("/", "_")
    path.mkdir(parents=True, exist_ok=True)
    return path


def fetch_eurostat(code: str, *, fmt="tsv", start=None, end=None, store: Store | None = None, progress=None,
                   filters: dict | None = None, client: EurostatClient | None = None):
    """Download a Eurostat dataset into the store; returns (version, created)."""
    store = store or Store()
    client = client or EurostatClient()
    if progress:
        progress(f"fetching {code} from Eurostat ({client.base})")
    frame, files = client.fetch(code, fmt=fmt, start=start, end=end, save_dir=_save_dir("eurostat", code),
                                progress=progress)
    frame = _filtered(frame, filters)
    spec = KNOWN.get(code)
    return _store(store, code, frame, files, title=spec.title if spec else code, source="Eurostat",
                  licence=EUROSTAT_LICENCE, url=f"{client.base}/sdmx/2.1/data/{code}")


def fetch_scb(table: str, *, api: int = 2, selection=None, lang="sv", store: Store | None = None,
              progress=None, dataset: str | None = None, client: PxWebClient | None = None):
    """Download an SCB table into the store under ``dataset`` (default the table id)."""
    store = store or Store()
    client = client or PxWebClient(api=api, lang=lang)
    if progress:
        progress(f"fetching {table} from SCB PxWeb v{api} ({client.base})")
    frame, files = client.fetch(table, selection, progress=progress, save_dir=_save_dir("scb", table))
    return _store(store, dataset or table.split("/")[-1], frame, files, title=table, source="SCB (Statistics Sweden)",
                  licence=SCB_LICENCE, url=client.base)


def _store(store: Store, name: str, frame, files, **meta):
    """Import downloaded ``files``' table under ``name``, recording their hash, paths and the retrieval time."""
    check_table(frame, name)
    return store.import_frame(name, frame, file_hash=file_hash(*files), origin=";".join(map(str, files)),
                              retrieved_at=datetime.now(timezone.utc).replace(tzinfo=None), **meta)


def _filtered(frame, filters):
    """Keep rows whose measure (the dimensions joined by commas) or unit has each filter value."""
    for value in (filters or {}).values():
        parts = frame["measure"].str.split(",")
        frame = frame[parts.map(lambda p, v=value: v in p) | (frame["unit"] == value)]
    return frame


def fetch_known(spec, *, store: Store, progress=None, client: EurostatClient | None = None) -> int:
    """Fetch a catalogue dataset: one Eurostat table, or a compilation of several (``parts``)."""
    if "parts" not in spec.fetch:
        version, _ = fetch_eurostat(spec.code, store=store, progress=progress, filters=spec.fetch.get("filters"),
                                    client=client)
        return version
    client = client or EurostatClient()
    frames, files = [], []
    for measure, code, filters, level in spec.fetch["parts"]:
        if progress:
            progress(f"fetching {code} from Eurostat for {spec.code} ({measure})")
        frame, saved = client.fetch(code, save_dir=_save_dir("eurostat", code), progress=progress)
        frame = _filtered(frame, filters)
        frame = frame[frame["region"].str.len() == level + 2].assign(measure=measure, activity="TOTAL")
        frames.append(frame)
        files += saved
    version, _ = _store(store, spec.code, pd.concat(frames, ignore_index=True), files, title=spec.title,
                        source=spec.source, licence=spec.licence, url=spec.url)
    return version
