// Render every chart whose Vega-Lite spec sits in a JSON script tag (no inline scripts: CSP).
function smartspecCharts(root) {
  (root || document).querySelectorAll("div.chart[data-spec]").forEach(function (el) {
    if (el.dataset.done) return;
    var src = document.getElementById(el.dataset.spec);
    if (!src) return;
    el.dataset.done = "1";
    vegaEmbed(el, JSON.parse(src.textContent), {actions: false, renderer: "svg", defaultStyle: false,
                                                tooltip: {disableDefaultStyle: true},
                                                ast: true, expr: vegaInterpreter.expressionInterpreter});
  });
}
document.addEventListener("DOMContentLoaded", function () { smartspecCharts(); });
document.addEventListener("htmx:afterSwap", function (e) { smartspecCharts(e.target); });
