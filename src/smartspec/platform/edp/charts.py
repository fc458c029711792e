"""Vega-Lite specs of a consultation's results (rendered by templates/_chart.html): response
rate, mean scores and agreement by stakeholder type. The numbers come from edp.services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from smartspec.platform.core.models import Actor

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def kind_labels() -> dict[str, str]:
    return {"": _("Not stated"), **{k: str(v) for k, v in Actor.Kind.choices}}


def _base(values: list[dict], height: int) -> dict:
    return {"$schema": SCHEMA, "width": "container", "height": height, "autosize": {"type": "fit-x", "contains": "padding"},
            "data": {"values": values}}


def response_rate(rows: list[dict]) -> dict | None:
    """Bars: the share of the invited who responded, per stakeholder type, with "k of n" beside."""
    labels = kind_labels()
    values = [{"type": labels.get(r["kind"], r["kind"]), "rate": r["rate"] or 0, "label": f'{r["responded"]}/{r["invited"]}'}
              for r in rows if r["invited"]]
    if not values:
        return None
    y = {"field": "type", "type": "nominal", "title": None, "sort": "-x", "axis": {"labelLimit": 180}}
    x = {"field": "rate", "type": "quantitative", "title": _("Responded"), "scale": {"domain": [0, 1]},
         "axis": {"format": "%", "values": [0, 0.25, 0.5, 0.75, 1]}}
    return {**_base(values, 34 * len(values) + 20), "layer": [
        {"mark": {"type": "bar", "color": "#0b5394"}, "encoding": {"y": y, "x": x}},
        {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11},
         "encoding": {"y": y, "x": {"field": "rate", "type": "quantitative"}, "text": {"field": "label"}}}]}


def scores(by_type: list[dict], names: dict[int, str]) -> dict | None:
    """Dots: each type's mean score of each candidate on the 1–5 scale, a line across the spread."""
    labels = kind_labels()
    values = [{"candidate": names.get(r["candidate"], "?"), "type": labels.get(r["kind"], r["kind"]),
               "mean": r["mean"], "n": r["n"]} for r in by_type]
    if not values:
        return None
    y = {"field": "candidate", "type": "nominal", "title": None, "axis": {"labelLimit": 200}}
    x = {"field": "mean", "type": "quantitative", "title": _("Mean score (1–5)"), "scale": {"domain": [1, 5]},
         "axis": {"values": [1, 2, 3, 4, 5], "format": "d"}}
    n_cand = len({v["candidate"] for v in values})
    return {**_base(values, 36 * n_cand + 20), "layer": [
        {"mark": {"type": "rule", "color": "#b8c0c8", "strokeWidth": 2},
         "encoding": {"y": y, "x": {**x, "aggregate": "min"}, "x2": {"aggregate": "max", "field": "mean"}}},
        {"mark": {"type": "point", "filled": True, "size": 110, "opacity": 0.9},
         "encoding": {"y": y, "x": x, "color": {"field": "type", "type": "nominal", "title": _("Stakeholder type"),
                                                "legend": {"orient": "bottom", "columns": 2, "labelLimit": 260}},
                      "shape": {"field": "type", "type": "nominal", "legend": None},
                      "tooltip": [{"field": "candidate"}, {"field": "type", "title": _("Stakeholder type")},
                                  {"field": "mean", "format": ".2f", "title": _("Mean score (1–5)")},
                                  {"field": "n", "title": _("Respondents")}]}}]}


def agreement(pairs: list[dict]) -> dict | None:
    """A matrix of the rank correlations between the types' candidate means (−1 … 1)."""
    labels = kind_labels()
    values = []
    for p in pairs:
        if p["rho"] is None:
            continue
        a, b = labels.get(p["a"], p["a"]), labels.get(p["b"], p["b"])
        values += [{"a": a, "b": b, "rho": p["rho"], "n": p["n"]}, {"a": b, "b": a, "rho": p["rho"], "n": p["n"]}]
    if not values:
        return None
    for t in sorted({v["a"] for v in values}):  # each type agrees with itself
        values.append({"a": t, "b": t, "rho": 1.0, "n": None})
    n_types = len({v["a"] for v in values})
    enc = {"x": {"field": "a", "type": "nominal", "title": None, "axis": {"labelAngle": -30, "labelLimit": 140}},
           "y": {"field": "b", "type": "nominal", "title": None, "axis": {"labelLimit": 180}}}
    return {"$schema": SCHEMA, "width": {"step": 70}, "height": {"step": 34} if n_types > 1 else 34,
            "data": {"values": values}, "layer": [
                {"mark": "rect", "encoding": {**enc, "color": {
                    "field": "rho", "type": "quantitative", "title": _("Rank correlation"),
                    "scale": {"domain": [-1, 1], "scheme": "redblue"}, "legend": {"orient": "bottom", "direction": "horizontal"}},
                    "tooltip": [{"field": "a"}, {"field": "b"}, {"field": "rho", "format": ".2f"},
                                {"field": "n", "title": _("Candidates")}]}},
                {"mark": {"type": "text", "fontSize": 12}, "encoding": {**enc, "text": {"field": "rho", "format": ".2f"}}}]}
