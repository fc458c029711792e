"""A PxWebApi 2 server for the tests, answering from recorded (or recorded-layout) json-stat2
answers: metadata as recorded, data cut to the selection asked for."""

import itertools
import json

import numpy as np


def cut(answer: dict, selection: dict) -> dict:
    """The answer to a narrower selection, cut from the recorded one (values and status)."""
    out = json.loads(json.dumps(answer))
    grid = np.arange(len(answer["value"])).reshape(answer["size"])
    picks = []
    for dim in answer["id"]:
        index = answer["dimension"][dim]["category"]["index"]
        chosen = selection.get(dim, sorted(index, key=index.get))
        picks.append([index[c] for c in chosen])
        category = out["dimension"][dim]["category"]
        category["index"] = {c: i for i, c in enumerate(chosen)}
        category["label"] = {c: category["label"][c] for c in chosen}
    cells = grid[np.ix_(*picks)].ravel()
    out["size"] = [len(p) for p in picks]
    out["value"] = [answer["value"][c] for c in cells]
    status = answer.get("status", {})
    out["status"] = {str(i): status[str(c)] for i, c in enumerate(cells) if str(c) in status}
    return out


def serve_v2(srv, data_dir, table: str, metadata: bytes, answer: dict) -> None:
    """Register PxWebApi 2's config, a table's metadata and its data endpoint on ``srv``."""
    config = (data_dir / "fixtures/pxweb/pxwebpy_scb_v2/config.json").read_bytes()
    srv.add("GET", "/config", lambda q, b: (200, config, "application/json"))
    srv.add("GET", f"/tables/{table}/metadata", lambda q, b: (200, metadata, "application/json"))

    def data(query, body):
        selection = {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
        return 200, json.dumps(cut(answer, selection)).encode(), "application/json"

    srv.add("POST", f"/tables/{table}/data", data)


def cells(answer: dict, *keys: str) -> dict:
    """``{(code of each of keys): (value, status)}`` read from a json-stat2 answer by hand
    (the other dimensions must have one category each)."""
    codes = [sorted(answer["dimension"][d]["category"]["index"], key=answer["dimension"][d]["category"]["index"].get)
             for d in answer["id"]]
    status = answer.get("status") or {}
    out = {}
    for i, combo in enumerate(itertools.product(*codes)):
        key = dict(zip(answer["id"], combo))
        out[tuple(key[k] for k in keys)] = (answer["value"][i], status.get(str(i), ""))
    return out
