// Render every chart whose Vega-Lite spec sits in a JSON script tag (no inline scripts: CSP).
// Numbers and dates follow the page's language; on a narrow screen a chart shrinks to fit
// its box and puts its legend below (maps and the radar scroll inside their box).
var SMARTSPEC_LOCALES = {
  sv: {
    formatLocale: {decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"], minus: "\u2212"},
    timeFormatLocale: {dateTime: "%A %e %B %Y %X", date: "%Y-%m-%d", time: "%H:%M:%S", periods: ["fm", "em"],
      days: ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
      shortDays: ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
      months: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
               "november", "december"],
      shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]}
  }
};

function smartspecLocale() {
  var lang = (document.documentElement.lang || "en").slice(0, 2);
  return SMARTSPEC_LOCALES[lang] || {};
}

// A single or layered Vega-Lite view with a fixed width wider than its box: fit it to the box.
function smartspecFit(spec, box) {
  var lite = (spec.$schema || "").indexOf("vega-lite") >= 0;
  var composed = spec.facet || spec.concat || spec.hconcat || spec.vconcat || spec.repeat;
  if (lite && spec.facet && spec.spec && typeof spec.spec.width === "number") return smartspecFitFacet(spec, box);
  if (typeof spec.width !== "number" || box <= 0 || spec.width + 120 <= box) return spec;
  if (lite && !composed) {
    spec.width = "container";
    spec.autosize = {type: "fit-x", contains: "padding"};
    spec.config = spec.config || {};
    spec.config.legend = Object.assign({orient: "bottom", direction: "horizontal", columns: 2, labelLimit: 150},
                                       spec.config.legend || {});
  }
  return spec;  // Vega charts (the radar) keep their size and scroll inside their box
}

// A faceted chart (the timeline: one row per area): narrower cells and shorter row labels.
function smartspecFitFacet(spec, box) {
  var inner = spec.spec, y = (inner.encoding || {}).y;
  if (box <= 0 || inner.width + 260 <= box) return spec;
  var label = Math.min(230, Math.round(box * 0.35));
  inner.width = Math.max(120, box - label - 40);
  if (y) y.axis = Object.assign({}, y.axis || {}, {labelLimit: label});
  var colour = (inner.encoding || {}).color;
  if (colour && colour.legend) colour.legend = Object.assign({}, colour.legend, {columns: 2});
  return spec;
}

function smartspecCharts(root) {
  var locale = smartspecLocale();
  (root || document).querySelectorAll("div.chart[data-spec]").forEach(function (el) {
    if (el.dataset.done) return;
    var src = document.getElementById(el.dataset.spec);
    if (!src) return;
    el.dataset.done = "1";
    var spec = smartspecFit(JSON.parse(src.textContent), el.clientWidth);
    var opts = {actions: false, renderer: "svg", defaultStyle: false, tooltip: {disableDefaultStyle: true},
                ast: true, expr: vegaInterpreter.expressionInterpreter};
    vegaEmbed(el, spec, Object.assign(opts, locale));
  });
}
document.addEventListener("DOMContentLoaded", function () { smartspecCharts(); });
document.addEventListener("htmx:afterSwap", function (e) { smartspecCharts(e.target); });
