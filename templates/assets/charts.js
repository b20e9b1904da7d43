/* 部门预决算公开 — draw the figures of a page and make listing tables sortable.
 *
 * Each figure's spec sits in <script type="application/json" id="…-data"> (built in Python; every
 * text already formatted). A plot container <div class="chart-plot" data-figure="…-data" hidden>
 * is shown and drawn by plotly.js when it scrolls into view. plotly.js (data-plotly on this script) is
 * loaded only after the page's load event: text and tables show first, the 4.8 MB bundle runs after. Without JavaScript (or without
 * plotly.js) the containers stay hidden and the captions and data tables carry the figures.
 * No eval, no inline handlers, no inline style elements: the page's CSP stays strict.
 */
(function () {
  "use strict";

  var PLOTLY = document.currentScript && document.currentScript.getAttribute("data-plotly");
  var CONFIG = { displayModeBar: false, displaylogo: false, responsive: true, scrollZoom: false, showTips: false };

  function draw(el) {
    if (el.getAttribute("data-drawn")) { return; }
    el.setAttribute("data-drawn", "pending");
    var source = document.getElementById(el.getAttribute("data-figure"));
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(el, figure.data, figure.layout, CONFIG).then(function () {
      el.setAttribute("data-drawn", "done");
    });
  }

  function drawCharts() {
    var plots = Array.prototype.slice.call(document.querySelectorAll(".chart-plot[data-figure]"));
    if (!plots.length || !window.Plotly) { return; }
    plots.forEach(function (el) {
      el.hidden = false;
      el.style.minHeight = (el.getAttribute("data-height") || "360") + "px";
    });
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            draw(entry.target);
          }
        });
      }, { rootMargin: "300px 0px" });
      plots.forEach(function (el) { observer.observe(el); });
    } else {
      plots.forEach(draw);
    }
    // Printing shows every figure, not only those scrolled past.
    window.addEventListener("beforeprint", function () { plots.forEach(draw); });
  }

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) { return ""; }
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function makeSortable(table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var body = table.tBodies[0];
    if (!body) { return; }
    headers.forEach(function (th, index) {
      var numeric = th.getAttribute("data-sort-type") === "number";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-CN");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
    table.classList.add("is-sortable");
  }

  Array.prototype.slice.call(document.querySelectorAll("table[data-sortable]")).forEach(makeSortable);
  function loadPlotlyThenDraw() {
    var plots = document.querySelectorAll(".chart-plot[data-figure]");
    if (window.Plotly || !PLOTLY || !plots.length) { drawCharts(); return; }
    var tag = document.createElement("script");
    tag.src = PLOTLY;
    tag.addEventListener("load", drawCharts);
    document.head.appendChild(tag);
  }

  if (document.readyState === "complete") {
    loadPlotlyThenDraw();
  } else {
    window.addEventListener("load", loadPlotlyThenDraw);
  }
})();
