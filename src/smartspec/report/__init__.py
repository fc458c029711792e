"""Render an analysis result: self-contained HTML, PDF, JSON and XLSX, in English or Swedish."""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import jinja2

from smartspec.analysis import write_json
from smartspec.data.classifications import activity_name, resolve_region
from smartspec.data.classifications.nace import REV2
from smartspec.errors import SmartspecError, UnknownCodeError
from smartspec.report import charts
from smartspec.report.i18n import (
    INDICATORS,
    MESSAGES,
    level_name,
    rule_text,
    t,
    tier_name,
    translate,
)

FORMATS = ("html", "pdf", "json", "xlsx")


def _static(name: str) -> str:
    return resources.files("smartspec.report").joinpath("static", name).read_text(encoding="utf-8")


def named(result: dict, lang: str | None = None) -> dict:
    """A copy of an analysis result with display names in ``lang`` (default: the language
    it was made in): the result carries codes, and names are applied only when rendering."""
    lang = lang or result["lang"]
    version = (result.get("data", {}).get("structure") or {}).get("classification", REV2)

    def walk(x):
        if isinstance(x, dict):
            out = {k: walk(v) for k, v in x.items()}
            if isinstance(out.get("activity"), str) and "name" not in out:
                out["name"] = _activity_name(out["activity"], lang, version)
            return out
        return [walk(v) for v in x] if isinstance(x, list) else x

    out = walk(result)
    out["lang"] = lang
    for row in out["sections"]["profile"]["gdp_per_head"]:
        row["comparison_label"] = t(f"gdp_{row['comparison_code']}", lang)
    return out


def _activity_name(code: str, lang: str, version: str = REV2) -> str:
    try:
        return activity_name(code, lang, version)
    except (UnknownCodeError, KeyError):
        return code


def chart_specs(result: dict, lang: str | None = None) -> dict:
    """Every chart of the report, by id, with names in ``lang`` (the platform reuses these)."""
    return _chart_specs(named(result, lang))


def _chart_specs(result: dict) -> dict:
    """The charts of a result that already carries its names (:func:`named`)."""
    lang, s = result["lang"], result["sections"]
    specs = {}
    if s["profile"]["structure"]:
        specs["treemap"] = charts.treemap(s["profile"], lang)
        specs["structure"] = charts.structure_bars(s["profile"], lang)
    if (gdp := charts.gdp_line(s["profile"], lang, result["region"]["name"])) is not None:
        specs["gdp"] = gdp
    if s["specialisations"]["activities"]:
        specs["lq"] = charts.lq_bars(s["specialisations"]["activities"], lang)
    if s["specialisations"]["change"]:
        specs["shift_share"] = charts.shift_share_bars(s["specialisations"]["change"], lang)
    if s["portfolio"]["available"]:
        specs["portfolio"] = charts.portfolio_bubbles(s["portfolio"], lang)
    if s["relatedness"]["available"]:
        specs["space"] = charts.industry_space(s["relatedness"], lang)
        specs["scatter"] = charts.opportunity_scatter(s["relatedness"], lang)
    if s["outside"].get("available"):
        specs["map"] = charts.peers_map(s["outside"], lang)
        if s["outside"]["partners"]:
            specs["partners"] = charts.partner_bars(s["outside"], lang)
    if s["priorities"].get("available") and (areas := charts.area_evidence(s["priorities"], lang)) is not None:
        specs["areas"] = areas
    if (s.get("maps") or {}).get("available") and s["maps"]["layers"]:
        specs["kommun_maps"] = charts.kommun_maps(s["maps"], lang, s["specialisations"], s["priorities"])
    return specs


def _svg(spec: dict, lang: str = "en") -> str:
    return charts.svg(spec, lang)


def _fmt(kind, lang: str = "en"):
    """A number formatter of the report: decimal comma in Swedish, thin spaces between thousands."""
    point = "," if lang == "sv" else "."

    def fmt(x, digits=2):
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return "–"
        if kind == "num":
            return f"{x:,.0f}".replace(",", "\u202f")
        if kind == "pct":
            return f"{100 * x:.1f} %".replace(".", point)
        return f"{x:.{digits}f}".replace(".", point)
    return fmt


def render_html(result: dict, *, static: bool = False, lang: str | None = None) -> str:
    """The report as one HTML file in ``lang`` (default: the result's language). ``static``
    draws charts as inline SVG (for PDF) instead of embedding Vega; both need no network."""
    result = named(result, lang)
    lang = result["lang"]
    specs = _chart_specs(result)
    svgs = {k: _svg(v, lang) for k, v in specs.items()} if static else {}

    def chart(name):
        if name not in specs:
            return ""
        inner = svgs[name] if static else ""
        return jinja2.utils.markupsafe.Markup(f'<div class="chart" id="chart-{name}">{inner}</div>')

    env = jinja2.Environment(autoescape=True, undefined=jinja2.ChainableUndefined)
    template = env.from_string(resources.files("smartspec.report").joinpath("templates", "report.html").read_text("utf-8"))
    notes = [_note(n, lang) for n in result["notes"]]
    rules = {k: rule_text(rule, lang) for k, rule in result["sections"]["portfolio"]["rules"].items()}
    Markup = jinja2.utils.markupsafe.Markup
    js = {} if static else {k: Markup(_static(f).replace("</script", "<\\/script")) for k, f in
                            (("vega", "vega.min.js"), ("vega_lite", "vega-lite.min.js"), ("vega_embed", "vega-embed.min.js"))}
    specs_json = json.dumps(specs, ensure_ascii=False).replace("</", "<\\/")
    locale = {"formatLocale": charts.FORMAT_LOCALES[lang], "timeFormatLocale": charts.TIME_LOCALES[lang]} \
        if lang in charts.FORMAT_LOCALES else {}
    return template.render(
        r=result, s=result["sections"], lang=lang, t=lambda key, **kw: t(key, lang, **kw), chart=chart,
        level=lambda code: level_name(code, lang), tier=lambda code: tier_name(code, lang),
        country=_region_name(result["region"]["country"]),
        num=_fmt("num", lang), pct=_fmt("pct", lang), dec=_fmt("dec", lang), notes=[n for n in notes if n], rules=rules,
        indicators=[(translate("report", n, lang), translate("report", f, lang), ref) for n, f, ref in INDICATORS],
        word=lambda prefix, key: t(f"{prefix}_{key}", lang) if f"{prefix}_{key}" in MESSAGES else key,
        value=lambda v: "–" if v in (None, [], "") else v, period=lambda text: _period(text, lang), static=static, js=js, specs_json=jinja2.utils.markupsafe.Markup(specs_json),
        locale_json=Markup(json.dumps(locale, ensure_ascii=False)),
        css=jinja2.utils.markupsafe.Markup(resources.files("smartspec.report").joinpath("templates", "report.css").read_text("utf-8")))


def _period(text: str, lang: str) -> str:
    """A declared area's period ("2022–2028 (adopted 2022-03-08)", "undated (current page)") in ``lang``."""
    for word, key in (("adopted", "period_adopted"), ("undated", "period_undated"), ("current page", "period_current")):
        text = text.replace(word, t(key, lang))
    return text


def _note(note: dict, lang: str) -> str | None:
    if note["key"] == "parent_region":
        return t("data_parent_region", lang, parent=note["parent"], region=note["region"])
    if note["key"] == "reference":
        return t("data_reference", lang, n=note["n_regions"], dataset=note["dataset"],
                 level=level_name(note["level"], lang))
    if note["key"] in ("recoded", "no_gdp"):
        return t(f"profile_{note['key']}", lang, **{k: v for k, v in note.items() if k not in ("key", "section")})
    if note["key"] == "external_lacks":
        return t("external_lacks_note", lang, activities=", ".join(note["activities"]))
    return None


def write_pdf(result: dict, path: Path) -> None:
    import weasyprint  # lazy: ~500 ms at import, only for PDF

    weasyprint.HTML(string=render_html(result, static=True)).write_pdf(str(path))


def safe_cell(value):
    """Neutralise spreadsheet formula injection (cells starting with = + - @)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def tables(result: dict) -> dict[str, list[dict]]:
    """The report's tables, by sheet name, with names in the result's language."""
    result = named(result)
    s = result["sections"]
    out = {"profile": s["profile"]["structure"], "gdp_per_head": s["profile"]["gdp_per_head"]}
    if s["specialisations"]["activities"]:
        out["specialisations"] = s["specialisations"]["activities"]["rows"]
    if s["specialisations"]["change"]:
        out["shift_share"] = s["specialisations"]["change"]["rows"]
        out["lq_series"] = s["specialisations"]["change"]["lq_series"]
    if s["portfolio"]["available"]:
        out["portfolio"] = s["portfolio"]["rows"]
    if s["relatedness"]["available"]:
        out["opportunities"] = [{**o, "reasons": "; ".join(f"{q['activity']} ({q['proximity']:.2f})" for q in o["reasons"])}
                                for o in s["relatedness"]["opportunities"]]
        out["pci"] = s["relatedness"]["pci"]
        out["density_scatter"] = s["relatedness"]["scatter"]
    if s["outside"].get("available"):
        out["peers"] = s["outside"]["peers"]
        out["partners"] = s["outside"]["partners"]
    if s["priorities"].get("available"):
        out["declared_areas"] = [{k: v for k, v in a.items() if k != "evidence"} | (a["evidence"] or {})
                                 for a in s["priorities"]["areas"]]
        out["similar_areas"] = s["priorities"]["similar_elsewhere"]
    if (s.get("maps") or {}).get("available"):
        out["kommun_maps"] = _map_rows(s["maps"], s["priorities"], result["lang"],
                                       (result["data"].get("structure") or {}).get("classification", REV2))
    out["sources"] = result["datasets"]
    out["parameters"] = [{"parameter": k, "value": v} for k, v in result["parameters"].items()]
    return out


def _map_rows(maps: dict, priorities: dict, lang: str, version: str) -> list[dict]:
    """The kommun maps as rows: one per layer and kommun, with the layer's and kommun's names."""
    areas = {a["area_sv"]: a for a in priorities.get("areas", [])}
    rows = []
    for layer in maps["layers"]:
        if layer["kind"] == "strength":
            title = _activity_name(layer["key"], lang, version)
        else:
            title = areas.get(layer["key"], {}).get("area_en" if lang == "en" else "area_sv") or layer["key"]
        for v in layer["values"]:
            rows.append({"kind": layer["kind"], "key": layer["key"], "layer": title, "region": v["region"],
                         "kommun": _region_name(v["region"]), "employment": v["employment"], "lq": v["lq"],
                         "activities": layer["activities"]})
    return rows


def _region_name(code: str) -> str:
    try:
        return resolve_region(code).name
    except UnknownCodeError:
        return code


def write_xlsx(result: dict, path: Path) -> None:
    import openpyxl  # lazy: ~70 ms at import, only for XLSX

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in tables(result).items():
        ws = book.create_sheet(name[:31])
        if not rows:
            ws.append(["(no rows)"])
            continue
        header = list(dict.fromkeys(k for r in rows for k in r))
        ws.append(header)
        for r in rows:
            ws.append([safe_cell(r.get(k)) for k in header])
    book.save(path)


def write(result: dict, path, fmt: str | None = None) -> Path:
    """Write the result to ``path`` in the format its suffix names (or ``fmt``)."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise SmartspecError(f"unknown report format {fmt!r}: use one of {', '.join('.' + f for f in FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    if fmt == "json":
        return write_json(result, path)
    if fmt == "html":
        tmp.write_text(render_html(result), encoding="utf-8")
    elif fmt == "pdf":
        write_pdf(result, tmp)
    else:
        write_xlsx(result, tmp)
    tmp.replace(path)
    return path
