"""One chart spec per chart (Vega-Lite, and Vega for the treemap), shared by the
report and the platform. Each function takes a section of the analysis result."""

from __future__ import annotations

import json
from functools import lru_cache

import vl_convert as vlc

from smartspec.data.classifications.nuts import recode_nuts
from smartspec.data.classifications.regions import boundaries
from smartspec.data.paths import require_data_file
from smartspec.report.i18n import MESSAGES, t

VL = "https://vega.github.io/schema/vega-lite/v6.json"
WIDTH = 640
CATEGORY_COLOURS = {"established": "#1b7837", "declining": "#d6604d", "emerging": "#4393c3", "potential": "#f4a582",
                    "other": "#bababa"}
#: The one colour scheme of a series' actual values, baseline and targets: the platform's
#: monitoring charts, its monitoring report (HTML/PDF) and the analysis report all use it.
SERIES_COLOURS = {"actual": "#0b5394", "baseline": "#7f7f7f", "target": "#d95f02"}
SERIES_DASH = {"actual": [1, 0], "baseline": [2, 2], "target": [6, 3]}
SERIES_SHAPES = {"actual": "circle", "baseline": "diamond", "target": "triangle-up"}
#: Number and date formats of the charts in Swedish (d3 locales; English is d3's default).
FORMAT_LOCALES = {"sv": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"],
                         "minus": "\u2212"}}
TIME_LOCALES = {"sv": {"dateTime": "%A %e %B %Y %X", "date": "%Y-%m-%d", "time": "%H:%M:%S", "periods": ["fm", "em"],
                       "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
                       "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
                       "months": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                                  "september", "oktober", "november", "december"],
                       "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov",
                                       "dec"]}}


def svg(spec: dict, lang: str = "en") -> str:
    """A chart (Vega or Vega-Lite) as SVG, its numbers and dates written as ``lang`` writes them."""
    locale = {"format_locale": FORMAT_LOCALES[lang], "time_format_locale": TIME_LOCALES[lang]} if lang in FORMAT_LOCALES else {}
    if "vega/v" in spec.get("$schema", ""):
        return vlc.vega_to_svg(spec, **locale)
    return vlc.vegalite_to_svg(spec, **locale)


def series_encoding(labels: dict[str, str]) -> dict:
    """Colour and dash of the series actual/baseline/target, ``labels`` their names in the
    reader's language (keys of :data:`SERIES_COLOURS`, in the legend's order)."""
    keys = [k for k in SERIES_COLOURS if k in labels]
    domain = [labels[k] for k in keys]
    return {"color": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"},
                      "scale": {"domain": domain, "range": [SERIES_COLOURS[k] for k in keys]}},
            "strokeDash": {"field": "series", "type": "nominal", "legend": None,
                           "scale": {"domain": domain, "range": [SERIES_DASH[k] for k in keys]}},
            "shape": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"},
                      "scale": {"domain": domain, "range": [SERIES_SHAPES[k] for k in keys]}}}


def year_ticks(years) -> list[int]:
    """Whole years for an axis: every year over a short span, every 2nd or 5th over longer ones."""
    lo, hi = min(years), max(years)
    step = 1 if hi - lo <= 8 else 2 if hi - lo <= 16 else 5
    return list(range(lo - lo % step if step > 1 else lo, hi + 1, step))


def year_x(years, title: str | None = None, field: str = "year") -> dict:
    """An x encoding of years on a linear scale: 2022 → 2027 is five years apart, not one step."""
    lo, hi = min(years), max(years)
    domain = [lo, hi] if hi > lo else [lo - 1, hi + 1]
    return {"field": field, "type": "quantitative", "title": title,
            "scale": {"domain": domain, "nice": False, "zero": False, "padding": 12},
            "axis": {"format": "d", "values": year_ticks(domain), "labelFlush": False, "grid": True}}


def _vl(spec: dict) -> dict:
    return {"$schema": VL, "config": {"font": "Helvetica, Arial, sans-serif", "view": {"stroke": None}}, **spec}


def treemap(profile: dict, lang: str) -> dict:
    """Employment by activity as a treemap (Vega: Vega-Lite has no treemap mark)."""
    rows = [r for r in profile["structure"] if r.get("employment")]
    values = [{"id": "root"}] + [{"id": r["activity"], "parent": "root", "size": r["employment"],
                                  "label": f"{r['activity']} {r['name'][:28]}", "share": r["share"]} for r in rows]
    return {
        "$schema": "https://vega.github.io/schema/vega/v6.json", "width": WIDTH, "height": 300, "padding": 4,
        "data": [{"name": "tree", "values": values,
                  "transform": [{"type": "stratify", "key": "id", "parentKey": "parent"},
                                {"type": "treemap", "field": "size", "sort": {"field": "value", "order": "descending"},
                                 "round": True, "method": "squarify", "size": [{"signal": "width"}, {"signal": "height"}]}]},
                 {"name": "leaves", "source": "tree", "transform": [{"type": "filter", "expr": "!datum.children"}]}],
        "scales": [{"name": "color", "type": "ordinal", "domain": {"data": "leaves", "field": "id"},
                    "range": {"scheme": "tableau20"}}],
        "marks": [
            {"type": "rect", "from": {"data": "leaves"},
             "encode": {"enter": {"stroke": {"value": "#fff"}, "fill": {"scale": "color", "field": "id"},
                                  "tooltip": {"signal": _tooltip_signal(lang)}},
                        "update": {"x": {"field": "x0"}, "y": {"field": "y0"}, "x2": {"field": "x1"}, "y2": {"field": "y1"}}}},
            {"type": "text", "from": {"data": "leaves"},
             "encode": {"enter": {"fill": {"value": "#000"}, "fontSize": {"value": 10}, "limit": {"signal": "datum.x1 - datum.x0 - 6"},
                                  "text": {"signal": "(datum.y1 - datum.y0) > 24 ? datum.label + ' ' + format(datum.share, '.0%') : ''"}},
                        "update": {"x": {"signal": "datum.x0 + 4"}, "y": {"signal": "datum.y0 + 13"}}}}]}


def _tooltip_signal(lang: str) -> str:
    """The treemap's tooltip (a Vega signal) with its keys in ``lang``."""
    keys = [json.dumps(t(k, lang)) for k in ("activity", "employment", "share")]
    return (f"{{{keys[0]}: datum.label, {keys[1]}: format(datum.size, ',.0f'), "
            f"{keys[2]}: format(datum.share, '.1%')}}")


def _tip(field: str, key: str | None, lang: str, fmt: str | None = None) -> dict:
    """A tooltip entry titled in ``lang`` (``key`` of the report's messages, or a literal such as "LQ")."""
    title = t(key, lang) if key in MESSAGES else key
    return {"field": field, "title": title, **({"format": fmt} if fmt else {})}


def structure_bars(profile: dict, lang: str) -> dict:
    rows = []
    for r in profile["structure"]:
        for key in ("share", "share_country", "share_reference"):
            if r.get(key) is not None:
                rows.append({"activity": f"{r['activity']} {r['name'][:30]}", "who": t(key, lang), "share": r[key]})
    return _vl({"width": WIDTH - 260, "data": {"values": rows}, "mark": "bar",
                "encoding": {"y": {"field": "activity", "type": "nominal", "title": None, "sort": None},
                             "yOffset": {"field": "who"}, "x": {"field": "share", "type": "quantitative",
                                                                 "axis": {"format": "%"}, "title": t("share", lang)},
                             "color": {"field": "who", "type": "nominal", "title": None,
                                       "scale": {"range": ["#08519c", "#6baed6", "#c6dbef"]}},
                             "tooltip": [_tip("activity", "activity", lang), _tip("who", "series", lang),
                                         _tip("share", "share", lang, ".1%")]}})


def gdp_line(profile: dict, lang: str, region_name: str = "region") -> dict | None:
    rows = profile.get("gdp_per_head") or []
    if not rows:
        return None
    values = []
    for r in rows:
        values.append({"year": r["year"], "series": region_name, "value": r["region"]})
        if r.get("comparison") is not None:
            values.append({"year": r["year"], "series": r["comparison_label"], "value": r["comparison"]})
    return _vl({"width": WIDTH - 120, "height": 200, "data": {"values": values}, "mark": {"type": "line", "point": True},
                "encoding": {"x": year_x([v["year"] for v in values], t("year", lang)),
                             "y": {"field": "value", "type": "quantitative", "title": "EUR"},
                             "color": {"field": "series", "type": "nominal", "title": None,
                                       "scale": {"range": [SERIES_COLOURS["actual"], SERIES_COLOURS["baseline"]]}},
                             "tooltip": [{"field": "year", "title": t("year", lang)},
                                         {"field": "series", "title": t("region", lang)},
                                         {"field": "value", "title": "EUR", "format": ",.0f"}]}})


def lq_bars(spec: dict, lang: str, top: int = 40) -> dict:
    rows = [r for r in spec["rows"] if r["lq"] is not None][:top]
    values = [{"activity": f"{r['activity']} {r['name'][:40]}", "lq": r["lq"], "employment": r["employment"],
               "status": (t("fragile", lang) if r["fragile"] else ("LQ ≥ 1" if r["specialised"] else "LQ < 1"))}
              for r in rows]
    bars = {"mark": "bar", "encoding": {
        "y": {"field": "activity", "type": "nominal", "sort": "-x", "title": None},
        "x": {"field": "lq", "type": "quantitative", "title": "LQ"},
        "color": {"field": "status", "type": "nominal", "title": None,
                  "scale": {"domain": ["LQ ≥ 1", t("fragile", lang), "LQ < 1"], "range": ["#1b7837", "#fdb863", "#bababa"]}},
        "tooltip": [_tip("activity", "activity", lang), _tip("lq", "LQ", lang, ".2f"),
                    _tip("employment", "employment", lang, ",.0f"), _tip("status", "status", lang)]}}
    rule = {"mark": {"type": "rule", "strokeDash": [4, 3]}, "encoding": {"x": {"datum": 1}}}
    return _vl({"width": WIDTH - 300, "data": {"values": values}, "layer": [bars, rule]})


def shift_share_bars(change: dict, lang: str) -> dict:
    values = []
    for r in change["rows"]:
        for key in ("national_share", "industry_mix", "competitive"):
            values.append({"activity": f"{r['activity']} {r['name'][:34]}", "effect": t(key, lang), "value": r[key]})
    return _vl({"width": WIDTH - 280, "data": {"values": values}, "mark": "bar",
                "encoding": {"y": {"field": "activity", "type": "nominal", "title": None, "sort": None},
                             "x": {"field": "value", "type": "quantitative", "title": t("employment", lang)},
                             "color": {"field": "effect", "type": "nominal", "title": None,
                                       "scale": {"range": ["#9ecae1", "#fdae6b", "#31a354"]}},
                             "tooltip": [_tip("activity", "activity", lang), _tip("effect", "effect", lang),
                                         _tip("value", "employment", lang, ",.0f")]}})


def portfolio_bubbles(portfolio: dict, lang: str) -> dict:
    values = [{**r, "label": r["activity"], "category_label": t(r["category"], lang)} for r in portfolio["rows"]]
    cats = list(CATEGORY_COLOURS)
    points = {"mark": {"type": "circle", "opacity": 0.75, "stroke": "#333", "strokeWidth": 0.5}, "encoding": {
        "x": {"field": "lq", "type": "quantitative", "title": "LQ", "scale": {"zero": False}},
        "y": {"field": "growth", "type": "quantitative", "title": t("growth", lang), "axis": {"format": "%"}},
        "size": {"field": "employment", "type": "quantitative", "scale": {"range": [60, 2400]}, "legend": None},
        "color": {"field": "category_label", "type": "nominal", "title": t("category", lang),
                  "scale": {"domain": [t(c, lang) for c in cats], "range": [CATEGORY_COLOURS[c] for c in cats]}},
        "tooltip": [_tip("name", "activity", lang), _tip("lq", "LQ", lang, ".2f"), _tip("growth", "growth", lang, ".1%"),
                    _tip("employment", "employment", lang, ",.0f"), _tip("category_label", "category", lang)]}}
    labels = {"mark": {"type": "text", "dy": -12, "fontSize": 10}, "encoding": {
        "x": {"field": "lq", "type": "quantitative"}, "y": {"field": "growth", "type": "quantitative"},
        "text": {"field": "label"}}}
    vline = {"mark": {"type": "rule", "strokeDash": [4, 3]}, "encoding": {"x": {"datum": 1}}}
    return _vl({"width": WIDTH - 160, "height": 340, "data": {"values": values}, "layer": [points, labels, vline]})


def industry_space(rel: dict, lang: str) -> dict:
    nodes = {n["activity"]: n for n in rel["space"]["nodes"]}
    edges = [{"x": nodes[e["source"]]["x"], "y": nodes[e["source"]]["y"], "x2": nodes[e["target"]]["x"],
              "y2": nodes[e["target"]]["y"], "w": e["weight"]} for e in rel["space"]["edges"]]
    values = [{**n, "status": "LQ ≥ 1" if n["specialised"] else "LQ < 1"} for n in rel["space"]["nodes"]]
    axis = {"axis": None, "scale": {"domain": [-0.03, 1.03]}}
    return _vl({"width": WIDTH - 80, "height": 420, "layer": [
        {"data": {"values": edges}, "mark": {"type": "rule", "color": "#bbb"},
         "encoding": {"x": {"field": "x", "type": "quantitative", **axis}, "y": {"field": "y", "type": "quantitative", **axis},
                      "x2": {"field": "x2"}, "y2": {"field": "y2"}, "strokeWidth": {"field": "w", "type": "quantitative",
                                                                                    "scale": {"range": [0.3, 2.5]}, "legend": None}}},
        {"data": {"values": values}, "mark": {"type": "circle", "stroke": "#333", "strokeWidth": 0.6, "opacity": 0.9},
         "encoding": {"x": {"field": "x", "type": "quantitative", **axis}, "y": {"field": "y", "type": "quantitative", **axis},
                      "color": {"field": "status", "type": "nominal", "title": None,
                                "scale": {"domain": ["LQ ≥ 1", "LQ < 1"], "range": ["#d95f02", "#d9d9d9"]}},
                      "size": {"field": "pci", "type": "quantitative", "title": "PCI", "scale": {"range": [40, 420]}},
                      "tooltip": [_tip("activity", "NACE", lang), _tip("name", "activity", lang),
                                  _tip("pci", "pci", lang, ".2f"), _tip("employment", "employment", lang, ",.0f")]}},
        {"data": {"values": values}, "mark": {"type": "text", "fontSize": 8, "dy": 1},
         "encoding": {"x": {"field": "x", "type": "quantitative", **axis}, "y": {"field": "y", "type": "quantitative", **axis},
                      "text": {"field": "activity"}}}]})


def opportunity_scatter(rel: dict, lang: str) -> dict:
    top = {o["activity"] for o in rel["opportunities"]}
    best = t("top_opportunity", lang)
    values = [{**s, "status": "LQ ≥ 1" if s["specialised"] else (best if s["activity"] in top else "LQ < 1"),
               "quadrant_label": t(f"quadrant_{s['quadrant']}", lang) if s.get("quadrant") else ""}
              for s in rel["scatter"]]
    dens = sorted(s["density"] for s in rel["scatter"])
    median = dens[len(dens) // 2]
    return _vl({"width": WIDTH - 160, "height": 360, "data": {"values": values}, "layer": [
        {"mark": {"type": "circle", "size": 90, "opacity": 0.85, "stroke": "#333", "strokeWidth": 0.4}, "encoding": {
            "x": {"field": "density", "type": "quantitative", "title": t("density", lang), "scale": {"zero": False}},
            "y": {"field": "pci", "type": "quantitative", "title": t("pci", lang)},
            "color": {"field": "status", "type": "nominal", "title": None,
                      "scale": {"domain": ["LQ ≥ 1", best, "LQ < 1"], "range": ["#d95f02", "#1b9e77", "#cccccc"]}},
            "tooltip": [_tip("activity", "NACE", lang), _tip("name", "activity", lang),
                        _tip("density", "density", lang, ".3f"), _tip("pci", "pci", lang, ".2f"),
                        _tip("quadrant_label", "quadrant", lang)]}},
        {"mark": {"type": "text", "dy": -9, "fontSize": 9}, "encoding": {
            "x": {"field": "density", "type": "quantitative"}, "y": {"field": "pci", "type": "quantitative"},
            "text": {"condition": {"test": "datum.status != 'LQ < 1'", "field": "activity"}, "value": ""}}},
        {"mark": {"type": "rule", "strokeDash": [4, 3]}, "encoding": {"x": {"datum": median}}},
        {"mark": {"type": "rule", "strokeDash": [4, 3]}, "encoding": {"y": {"datum": 0}}}]})


@lru_cache(maxsize=4)
def _geometry(kind: str) -> dict:
    """Map geometry of a regional tier: Sweden's län, FA regions and kommuner from SCB's and
    Tillväxtverket's boundaries, Europe's NUTS 2 regions from GISCO (all offline)."""
    if kind in ("nuts3", "fa", "kommun"):
        geo = boundaries(kind)
        for f in geo["features"]:
            f["properties"] = {"id": f["properties"]["code"], "name": f["properties"]["name"]}
        return geo
    geo = json.loads(require_data_file("nuts/NUTS_RG_60M_2021_4326_LEVL_2.geojson").read_text(encoding="utf-8"))
    for f in geo["features"]:
        f["properties"] = {"id": f["properties"]["NUTS_ID"], "name": f["properties"]["NAME_LATN"]}
    return geo


def peers_map(outside: dict, lang: str) -> dict:
    """Benchmark regions on a map (geometry inlined: the report works offline)."""
    kind = outside["map"]
    geo = _geometry(kind)
    mainland = [f for f in geo["features"] if _in_europe(f["geometry"])]
    codes = {p["region"]: p for p in outside["peers"]}
    to_2021 = recode_nuts(list(codes) + [outside["home"]], 2013, 2021) if kind == "nuts2" else None
    def current(c):
        return (to_2021.get(c) or c) if to_2021 is not None else c
    status = {current(c): (t("peer", lang), p["rank"], p["distance"]) for c, p in codes.items()}
    status[current(outside["home"])] = (t("home", lang), 0, 0.0)
    features = []
    for f in mainland:
        pid = f["properties"]["id"]
        s = status.get(pid)
        props = {**f["properties"], "status": s[0] if s else "", "rank": s[1] if s else None,
                 "distance": round(s[2], 3) if s else None}
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": props})
    bounds = {"type": "FeatureCollection", "features": [f for f in features if f["properties"]["status"]]}
    return _vl({"width": WIDTH - 40, "height": 440 if kind == "nuts2" else 520,
                "projection": {"type": "mercator", "fit": bounds},
                "data": {"values": features}, "mark": {"type": "geoshape", "stroke": "#fff", "strokeWidth": 0.4},
                "encoding": {"color": {"field": "properties.status", "type": "nominal", "title": None,
                                       "legend": {"values": [t("peer", lang), t("home", lang)]}, "scale": {"domain": ["", t("peer", lang), t("home", lang)],
                                                 "range": ["#e5e5e5", "#6baed6", "#d95f02"]}},
                             "tooltip": [{"field": "properties.id", "title": "NUTS"},
                                         {"field": "properties.name", "title": t("region", lang)},
                                         {"field": "properties.rank", "title": t("rank", lang)},
                                         {"field": "properties.distance", "title": t("distance", lang)}]}})


def _in_europe(geometry: dict) -> bool:
    """Leave out overseas regions and Svalbard, which would shrink the map of Europe."""
    def first_point(coords):
        while isinstance(coords[0], list):
            coords = coords[0]
        return coords
    lon, lat = first_point(geometry["coordinates"])
    return -25 <= lon <= 45 and 34 <= lat <= 72


def partner_bars(outside: dict, lang: str) -> dict:
    values = []
    for p in outside["partners"]:
        values.append({"region": f"{p['region']} {p['name'][:28]}", "part": t("similarity", lang), "value": p["similarity"]})
        values.append({"region": f"{p['region']} {p['name'][:28]}", "part": t("complementarity", lang), "value": p["complementarity"]})
    return _vl({"width": WIDTH - 300, "data": {"values": values}, "mark": "bar",
                "encoding": {"y": {"field": "region", "type": "nominal", "sort": None, "title": None},
                             "yOffset": {"field": "part"}, "x": {"field": "value", "type": "quantitative", "title": None},
                             "color": {"field": "part", "type": "nominal", "title": None,
                                       "scale": {"range": ["#6baed6", "#31a354"]}}}})


def area_evidence(pri: dict, lang: str) -> dict | None:
    rows = [a for a in pri.get("areas", []) if a.get("evidence") and a["evidence"].get("lq_estimate") is not None]
    if not rows:
        return None
    name = "area_sv" if lang == "sv" else "area_en"

    def label(a):
        extra = f" ({t('basis_estimated', lang)})" if a["evidence"]["basis"] == "estimated" else ""
        return t(a["verdict"], lang) + extra

    values = [{"area": a[name][:48], "lq": a["evidence"]["lq_estimate"], "verdict": label(a),
               "divisions": ", ".join(a["evidence"]["activities"])} for a in rows]
    bars = {"mark": "bar", "encoding": {
        "y": {"field": "area", "type": "nominal", "sort": "-x", "title": None},
        "x": {"field": "lq", "type": "quantitative", "title": "LQ"},
        "color": {"field": "verdict", "type": "nominal", "title": None},
        "tooltip": [_tip("area", "area", lang), _tip("lq", "LQ", lang, ".2f"), _tip("divisions", "divisions", lang),
                    _tip("verdict", "verdict", lang)]}}
    return _vl({"width": WIDTH - 320, "data": {"values": values},
                "layer": [bars, {"mark": {"type": "rule", "strokeDash": [4, 3]}, "encoding": {"x": {"datum": 1}}}]})


def kommun_maps(maps: dict, lang: str, specialisations: dict | None = None, priorities: dict | None = None,
                columns: int = 3) -> dict:
    """Small maps of the region's kommuner, one per strength and declared area: colour = LQ
    against Sweden on a diverging scale centred at 1, grey where unknown; tooltip with the
    kommun, employment and LQ. ``specialisations`` and ``priorities`` are the sections as
    :func:`smartspec.report.named` returns them (the layers' titles in ``lang``). Kommun
    boundaries are inlined once (offline) and looked up by code in every map."""
    names = {r["activity"]: r.get("name", "") for r in ((specialisations or {}).get("activities") or {}).get("rows", [])}
    areas = {a["area_sv"]: a for a in (priorities or {}).get("areas", [])}
    geo = boundaries("kommun", maps["kommuner"])
    shapes = [{"id": f["properties"]["code"], "name": f["properties"]["name"],
               "geo": {"type": "Feature", "properties": {}, "geometry": _rounded(f["geometry"])}}
              for f in geo["features"]]
    kommun_name = {s["id"]: s["name"] for s in shapes}
    lqs = [v["lq"] for layer in maps["layers"] for v in layer["values"] if v["lq"] is not None]
    top = min(max([2.0] + lqs), 4.0)
    cell = 600 // columns - 16
    emp_title, region_title = t("employment", lang), t("kommun_label", lang)
    views = []
    for layer in maps["layers"]:
        if layer["kind"] == "strength":
            title = f"{layer['key']} {names.get(layer['key'], '')}".strip()
        else:
            area = areas.get(layer["key"], {})
            title = area.get("area_en") if lang == "en" and area.get("area_en") else layer["key"]
        rows = [{"region": v["region"], "kommun": kommun_name.get(v["region"], v["region"]),
                 "employment": v["employment"], "lq": v["lq"]} for v in layer["values"]]
        base = {"mark": {"type": "geoshape", "fill": "#e3e3e3", "stroke": "#fff", "strokeWidth": 0.5},
                "encoding": {"shape": {"field": "geo", "type": "geojson"},
                             "tooltip": [{"field": "kommun", "title": region_title},
                                         {"field": "employment", "title": emp_title, "format": ",.0f"},
                                         {"field": "lq", "title": "LQ", "format": ".2f"}]}}
        coloured = {"transform": [{"filter": "isValid(datum.lq)"}],
                    "mark": {"type": "geoshape", "stroke": "#fff", "strokeWidth": 0.5},
                    "encoding": {**base["encoding"],
                                 "color": {"field": "lq", "type": "quantitative", "title": t("maps_legend", lang),
                                           "scale": {"type": "linear", "domain": [0, top], "domainMid": 1,
                                                     "scheme": "blueorange", "clamp": True}}}}
        views.append({"title": {"text": _short(title, 40), "subtitle": t(f"maps_{layer['kind']}", lang),
                                "fontSize": 11, "subtitleFontSize": 10, "anchor": "start"},
                      "width": cell, "height": cell + 30, "projection": {"type": "mercator"},
                      "data": {"values": rows},
                      "transform": [{"lookup": "region", "from": {"data": {"name": "kommuner"}, "key": "id",
                                                                  "fields": ["geo"]}}],
                      "layer": [base, coloured]})
    return _vl({"datasets": {"kommuner": shapes}, "columns": columns, "concat": views, "spacing": 12,
                "resolve": {"scale": {"color": "shared"}, "legend": {"color": "shared"}}})


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _rounded(geometry: dict, digits: int = 4) -> dict:
    """A geometry with coordinates rounded (about 10 m): a smaller self-contained report."""
    def walk(c):
        return round(c, digits) if isinstance(c, float) else [walk(x) for x in c]
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}
