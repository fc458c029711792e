"""Fetchers against recorded real responses, served over real HTTP on loopback."""

import json
import socket

import numpy as np
import pytest

from smartspec.cli import main
from smartspec.data.fetch import EurostatClient, PxWebClient, fetch_eurostat, fetch_scb
from smartspec.data.fetch.scb import split_selection
from smartspec.data.store import Store
from smartspec.errors import OfflineError
from tests.httpserver import Replay

TSV = "fixtures/eurostat_tsv/employed_per_sector_sample_data.tsv"
V2 = "fixtures/pxweb/pxwebpy_scb_v2"
V1 = "fixtures/pxweb/pxwebpy_scb_v1_history"


def _tsv_slice(text, start, end):
    """The recorded TSV cut to a period range, as the API answers startPeriod/endPeriod."""
    lines = text.splitlines()
    head = lines[0].split("\t")
    keep = [0] + [i for i, h in enumerate(head[1:], 1) if start <= int(h.strip()) <= end]
    return "\n".join("\t".join(line.split("\t")[i] for i in keep) for line in lines).encode()


def test_eurostat_fetch_with_retry(data_dir, fresh_store):
    body = (data_dir / TSV).read_bytes()
    calls = []

    def data(query, _):
        calls.append(query)
        if len(calls) == 1:
            return 503, b"busy", "text/plain"
        assert query["format"] == ["TSV"]
        return 200, body, "text/tab-separated-values"

    with Replay() as srv:
        srv.add("GET", "/sdmx/2.1/data/nama_10r_3empers", data)
        client = EurostatClient(srv.url, backoff=0.01)
        version, created = fetch_eurostat("nama_10r_3empers", store=fresh_store, client=client)
    assert (version, created) == (1, True) and len(calls) == 2
    stored = fresh_store.query("nama_10r_3empers", 1)
    assert len(stored) == 99 * 28
    row = stored[(stored.region == "DE234") & (stored.year == 2020) & (stored.measure == "SAL")]
    assert row.value.iloc[0] == 3.16 and row.flag.iloc[0] == "p"


def test_eurostat_splits_too_large_requests(data_dir, fresh_store):
    text = (data_dir / TSV).read_text()

    def data(query, _):
        start, end = int(query["startPeriod"][0]), int(query["endPeriod"][0])
        if end - start > 10:
            return 413, b"Request too large", "text/plain"
        return 200, _tsv_slice(text, start, end), "text/tab-separated-values"

    messages = []
    with Replay() as srv:
        srv.add("GET", "/sdmx/2.1/data/nama_10r_3empers", data)
        frame, files = EurostatClient(srv.url).fetch("nama_10r_3empers", start=1995, end=2022, progress=messages.append)
    assert len(files) == 4 and any("splitting" in m for m in messages)
    assert sorted(frame.year.unique()) == list(range(1995, 2023))
    assert len(frame) == 99 * 28


def test_offline_gives_a_clear_message():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens on this port now
    client = EurostatClient(f"http://127.0.0.1:{port}", retries=1, backoff=0.01)
    with pytest.raises(OfflineError, match=r"cannot reach 127.0.0.1:\d+ .* Are you offline\?"):
        client.fetch("nama_10r_3gdp")


def _slice_jsonstat(full, selection):
    """Answer a PxWebApi 2 data query from the recorded full answer."""
    dims = full["id"]
    idx = {d: full["dimension"][d]["category"]["index"] for d in dims}
    chosen = {d: selection.get(d, list(idx[d])) for d in dims}
    sizes = full["size"]
    strides = np.cumprod([1] + sizes[::-1][:-1])[::-1]
    values = []
    import itertools

    for combo in itertools.product(*[chosen[d] for d in dims]):
        pos = sum(idx[d][c] * s for d, c, s in zip(dims, combo, strides))
        values.append(full["value"][pos])
    out = json.loads(json.dumps(full))
    for d in dims:
        out["dimension"][d]["category"]["index"] = {c: i for i, c in enumerate(chosen[d])}
    out["size"] = [len(chosen[d]) for d in dims]
    out["value"] = values
    return out


def _v2_server(srv, data_dir, max_cells):
    config = json.loads((data_dir / V2 / "config.json").read_text())
    config["maxDataCells"] = max_cells
    full = json.loads((data_dir / V2 / "TAB6471_data.json").read_text())
    metadata = json.loads((data_dir / V2 / "TAB6471_metadata.json").read_text())
    # The recorded answer is one selection (21 län, 11 age bands, 4 months); offer those values.
    for dim in full["id"]:
        metadata["dimension"][dim]["category"]["index"] = full["dimension"][dim]["category"]["index"]
    srv.add("GET", "/config", lambda q, b: (200, json.dumps(config).encode(), "application/json"))
    srv.add("GET", "/tables/TAB6471/metadata", lambda q, b: (200, json.dumps(metadata).encode(), "application/json"))

    def data(query, body):
        selection = {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
        cells = int(np.prod([len(v) for v in selection.values()]))
        if cells > max_cells:
            return 403, b"too many cells", "text/plain"
        return 200, json.dumps(_slice_jsonstat(full, selection)).encode(), "application/json"

    srv.add("POST", "/tables/TAB6471/data", data)
    return full


def test_pxweb_v2_fetch_split_by_cell_limit(data_dir, fresh_store):
    with Replay() as srv:
        full = _v2_server(srv, data_dir, max_cells=1000)
        client = PxWebClient(api=2, base_url=srv.url)
        version, created = fetch_scb("TAB6471", api=2, store=fresh_store, client=client)
        posts = [entry for entry in srv.log if entry[0] == "POST"]
    assert created and len(posts) >= 3  # 2,772 cells split into parts of ≤ 1,000
    stored = fresh_store.query("TAB6471", version)
    assert len(stored) == len(full["value"]) == 2772
    assert stored.value.sum() == sum(full["value"])


def test_split_selection_respects_limit():
    sel = {"Region": [str(i) for i in range(21)], "Alder": list("abcdefghijk"), "Tid": ["1", "2", "3", "4"]}
    parts = split_selection(sel, 100)
    assert all(np.prod([len(v) for v in p.values()]) <= 100 for p in parts)
    assert sum(np.prod([len(v) for v in p.values()]) for p in parts) == 21 * 11 * 4


def test_pxweb_v1_fetch(data_dir, fresh_store):
    meta = (data_dir / V1 / "response_table_variables.json").read_bytes()
    answer = (data_dir / V1 / "response_se.json").read_bytes()
    query = json.loads((data_dir / V1 / "query_se.json").read_text())
    path = "/sv/ssd/HE/HE0110/HE0110A/SamForvInk1"
    with Replay() as srv:
        srv.add("GET", path, lambda q, b: (200, meta, "application/json"))
        srv.add("POST", path, lambda q, b: (200, answer, "application/json"))
        selection = {q["code"]: q["selection"]["values"] for q in query["query"] if q["selection"]["values"]}
        client = PxWebClient(api=1, base_url=srv.url)
        version, _ = fetch_scb("HE/HE0110/HE0110A/SamForvInk1", api=1, selection=selection, store=fresh_store,
                               client=client)
        posted = [e for e in srv.log if e[0] == "POST"][0][3]
    assert posted["response"] == {"format": "json-stat2"}
    stored = fresh_store.query("SamForvInk1", version)
    assert len(stored) == 9 and stored.value.max() == 359.9


def test_cli_fetch_eurostat(data_dir, capsys):
    body = (data_dir / "fixtures/eurostat_tsv/gdp_sample_data_HEAD_partial.tsv").read_bytes()
    with Replay() as srv:
        srv.add("GET", "/sdmx/2.1/data/nama_10r_3gdp_sample", lambda q, b: (200, body, "text/plain"))
        assert main(["data", "fetch", "eurostat", "nama_10r_3gdp_sample", "--base-url", srv.url]) == 0
    out = capsys.readouterr()
    assert "stored as version 1" in out.out and "fetching nama_10r_3gdp_sample" in out.err
    assert Store().find("nama_10r_3gdp_sample") == 1


def test_compiled_indicators_fetch(data_dir, fresh_store):
    """nuts2_indicators is compiled from several Eurostat tables when there is no mirror.
    The mechanism (fetch, filter, keep one NUTS level, rename the measure) on the recorded
    nama_10r_3gdp answer, whose only million-euro series is the NUTS 3 region AL033."""
    from dataclasses import replace

    from smartspec.data.catalog import KNOWN
    from smartspec.data.fetch import fetch_known

    spec = KNOWN["nuts2_indicators"]
    measure, code, filters, _level = spec.fetch["parts"][0]
    part = replace(spec, fetch={"provider": "eurostat", "parts": ((measure, code, filters, 3),)})
    body = (data_dir / "fixtures/eurostat_tsv/gdp_sample_data_HEAD_partial.tsv").read_bytes()
    with Replay() as srv:
        srv.add("GET", "/sdmx/2.1/data/nama_10r_3gdp", lambda q, b: (200, body, "text/tab-separated-values"))
        version = fetch_known(part, store=fresh_store, client=EurostatClient(srv.url))
    stored = fresh_store.query("nuts2_indicators", version)
    assert set(stored["measure"]) == {"region_gdp"} and set(stored["activity"]) == {"TOTAL"}
    assert set(stored["region"]) == {"AL033"} and (stored["unit"] == "MIO_EUR").all()
    assert stored[stored.year == 2008]["value"].iloc[0] == 196.71
    assert stored[stored.year == 2000]["value"].isna().all()  # ':' stays missing
