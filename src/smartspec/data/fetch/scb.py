"""SCB PxWeb clients, API v1 (``api.scb.se/OV0104/v1/doris``) and PxWebApi 2
(``statistikdatabasen.scb.se/api/v2``), both answering in json-stat2.

A query whose cell count exceeds the API's limit (``maxDataCells`` in v2's
config, 150,000 in v1) is split along its largest variable into parts that fit.

A client made with ``annual="mean"`` (or ``"sum"``) turns a monthly or quarterly
table into annual figures by :func:`smartspec.data.readers.periods.annualise`
after all parts are in: only complete years are kept. ``activity_map`` states SNI
codes for SCB's own industry groups (``{"01": "A-F"}``). Both are written beside the
saved answers, so the stored version's hash differs from an untransformed fetch.
"""

import json
import math
import os

import pandas as pd

from smartspec.data.fetch.http import request
from smartspec.data.readers.periods import RULES, annualise
from smartspec.data.readers.scb import read_jsonstat2
from smartspec.errors import SmartspecError
from smartspec.progress import Step

DEFAULT_BASE = {1: "https://api.scb.se/OV0104/v1/doris", 2: "https://statistikdatabasen.scb.se/api/v2"}
V1_MAX_CELLS = 150_000


def split_selection(selection: dict[str, list], max_cells: int) -> list[dict[str, list]]:
    """Split a selection {variable: [values]} into parts of at most ``max_cells`` cells each."""
    cells = math.prod(max(1, len(v)) for v in selection.values())
    if cells <= max_cells:
        return [selection]
    var = max(selection, key=lambda k: len(selection[k]))
    values = selection[var]
    if len(values) <= 1:
        raise SmartspecError(f"a single cell block of {cells:,} cells exceeds the API limit of {max_cells:,}")
    others = cells // len(values)
    per_part = max(1, max_cells // others)
    parts = []
    for i in range(0, len(values), per_part):
        parts.extend(split_selection({**selection, var: values[i:i + per_part]}, max_cells))
    return parts


class PxWebClient:
    """A PxWeb client for SCB's API v1 or v2.

    Parameters
    ----------
    api : {1, 2}
        The API version.
    base_url : str, optional
        Default: ``SMARTSPEC_SCB_V{api}_URL`` or SCB's address.
    lang : {'sv', 'en'}
        Language of labels.
    annual : {'mean', 'sum'}, optional
        Turn months or quarters into complete years by this rule (None keeps them).
    activity_map : dict, optional
        SNI codes for values of the industry variable that are not SNI codes.
    **http
        Passed on to :func:`smartspec.data.fetch.http.request`.
    """

    def __init__(self, api: int = 2, base_url: str | None = None, lang: str = "sv", *, annual: str | None = None,
                 activity_map: dict[str, str] | None = None, **http):
        if api not in (1, 2):
            raise SmartspecError("PxWeb API version must be 1 or 2")
        if annual is not None and annual not in RULES:
            raise SmartspecError(f"annual rule must be one of {RULES}, not {annual!r}")
        env = os.environ.get(f"SMARTSPEC_SCB_V{api}_URL")
        self.api, self.lang, self.http = api, lang, http
        self.annual, self.activity_map = annual, dict(activity_map or {})
        self.base = (base_url or env or DEFAULT_BASE[api]).rstrip("/")

    def _get_json(self, url, **params):
        return json.loads(request(url, params=params or None, **self.http))

    def max_cells(self) -> int:
        if self.api == 1:
            return V1_MAX_CELLS
        return int(self._get_json(f"{self.base}/config").get("maxDataCells", V1_MAX_CELLS))

    def metadata(self, table: str) -> dict[str, list[str]]:
        """{variable code: [value codes]} of a table (its full selection)."""
        if self.api == 1:
            meta = self._get_json(f"{self.base}/{self.lang}/ssd/{table}")
            return {v["code"]: list(v["values"]) for v in meta["variables"]}
        meta = self._get_json(f"{self.base}/tables/{table}/metadata", lang=self.lang, outputFormat="json-stat2")
        out = {}
        for dim in meta["id"]:
            index = meta["dimension"][dim]["category"]["index"]
            out[dim] = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
        return out

    def _post(self, table: str, selection: dict[str, list]) -> dict:
        if self.api == 1:
            body = {"query": [{"code": k, "selection": {"filter": "item", "values": v}} for k, v in selection.items()],
                    "response": {"format": "json-stat2"}}
            return json.loads(request(f"{self.base}/{self.lang}/ssd/{table}", json_body=body, **self.http))
        body = {"selection": [{"variableCode": k, "valueCodes": v} for k, v in selection.items()]}
        url = f"{self.base}/tables/{table}/data?lang={self.lang}&outputFormat=json-stat2"
        return json.loads(request(url, json_body=body, **self.http))

    def fetch(self, table: str, selection: dict[str, list] | None = None, *, progress=None,
              save_dir=None) -> tuple[pd.DataFrame, list]:
        """Query a table (default: everything) and return the tidy table and the saved answers."""
        full = self.metadata(table)
        chosen = {k: list(v) for k, v in (selection or full).items()}
        unknown = [k for k in chosen if k not in full]
        if unknown:
            raise SmartspecError(f"table {table} has no variable {unknown}; it has {sorted(full)}")
        parts = split_selection(chosen, self.max_cells())
        frames, files = [], []
        for i, part in enumerate(parts, start=1):
            answer = self._post(table, part)
            if save_dir is not None:
                path = save_dir / f"{table.replace('/', '_')}_part{i}.json"
                path.write_text(json.dumps(answer), encoding="utf-8")
                files.append(path)
            frames.append(read_jsonstat2(answer, activity_map=self.activity_map))
            if progress:
                progress(Step(f"{table}: {math.prod(len(v) for v in part.values()):,} cells", i, len(parts)))
        frame = pd.concat(frames, ignore_index=True)
        if self.annual:
            frame = annualise(frame, self.annual, progress=progress)
        if save_dir is not None and (self.annual or self.activity_map):
            files.append(self._save_processing(table, save_dir))
        return frame, files

    def _save_processing(self, table: str, save_dir):
        """Record the annual rule and activity map beside the answers (they enter the stored hash)."""
        path = save_dir / f"{table.replace('/', '_')}_processing.json"
        path.write_text(json.dumps({"annual": self.annual, "activity_map": self.activity_map}, sort_keys=True),
                        encoding="utf-8")
        return path
