"""Eurostat dissemination API client (SDMX 2.1 REST: bulk TSV or SDMX-CSV).

``https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/{code}?format=TSV``.
Extractions the API refuses as too large (HTTP 413, or its "too many cells" answer)
are split into halves of the period range until each part is accepted.
"""

import os
import tempfile
from pathlib import Path

import pandas as pd

from smartspec.data.fetch.http import HTTPStatusError, request
from smartspec.data.readers.eurostat import read_eurostat_tsv, read_sdmx_csv
from smartspec.errors import SmartspecError

DEFAULT_BASE = "https://ec.europa.eu/eurostat/api/dissemination"
FORMATS = {"tsv": ("TSV", read_eurostat_tsv, ".tsv"), "sdmx-csv": ("SDMX-CSV", read_sdmx_csv, ".csv")}


class EurostatClient:
    def __init__(self, base_url: str | None = None, **http):
        self.base = (base_url or os.environ.get("SMARTSPEC_EUROSTAT_URL") or DEFAULT_BASE).rstrip("/")
        self.http = http

    def _download(self, code: str, fmt: str, start: int | None, end: int | None) -> bytes:
        params = {"format": FORMATS[fmt][0], "compressed": "false"}
        if start is not None:
            params["startPeriod"] = start
        if end is not None:
            params["endPeriod"] = end
        return request(f"{self.base}/sdmx/2.1/data/{code}", params=params, **self.http)

    def _parts(self, code, fmt, start, end, progress):
        try:
            yield start, end, self._download(code, fmt, start, end)
        except HTTPStatusError as exc:
            too_large = exc.status == 413 or b"too large" in exc.body.lower() or b"too many" in exc.body.lower()
            if not too_large or start is None or end is None or start >= end:
                if too_large:
                    raise SmartspecError(f"Eurostat refuses {code} as too large; give --since and --until "
                                         "so that the request can be split by period") from None
                raise
            mid = (start + end) // 2
            if progress:
                progress(f"{code}: too large for one request, splitting {start}–{end} at {mid}")
            yield from self._parts(code, fmt, start, mid, progress)
            yield from self._parts(code, fmt, mid + 1, end, progress)

    def fetch(self, code: str, *, fmt: str = "tsv", start: int | None = None, end: int | None = None,
              save_dir: Path | None = None, progress=None) -> tuple[pd.DataFrame, list[Path]]:
        """Download ``code`` (optionally a period range) and return the tidy table and the saved files."""
        if fmt not in FORMATS:
            raise SmartspecError(f"unknown Eurostat format {fmt!r}; expected {sorted(FORMATS)}")
        _, reader, suffix = FORMATS[fmt]
        save_dir = Path(save_dir or tempfile.mkdtemp(prefix="smartspec-"))
        save_dir.mkdir(parents=True, exist_ok=True)
        frames, files = [], []
        for i, (s, e, body) in enumerate(self._parts(code, fmt, start, end, progress)):
            path = save_dir / f"{code}{'' if s is None else f'_{s}-{e}'}{suffix}"
            path.write_bytes(body)
            files.append(path)
            if progress:
                progress(f"{code}: part {i + 1} downloaded ({len(body) / 1e6:.1f} MB)")
            frames.append(reader(path))
        frame = pd.concat(frames, ignore_index=True).drop_duplicates(
            ["region", "activity", "year", "measure", "unit"], keep="last")
        return frame, files
