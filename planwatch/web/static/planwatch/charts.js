// planwatch charts: drawn in the browser from the page's own JSON, with Chart.js served by
// the platform itself. Every chart has a data table beside it for printing and screen readers.
(function () {
  "use strict";

  // Labels in the page's language come with the data; the bilingual words are the fallback.
  function word(d, key, fallback) { return (d.words && d.words[key]) || fallback; }

  function data(el) {
    var node = document.getElementById(el.getAttribute("data-source"));
    return node ? JSON.parse(node.textContent) : null;
  }

  function fmt(v) {
    if (v === null || v === undefined) { return "—"; }
    return Math.abs(v) >= 100 ? v.toFixed(1) : (Math.round(v * 100) / 100).toString();
  }

  // Sparklines need no library: a few pixels of canvas per indicator on the area page.
  function spark(el) {
    var pairs = (el.getAttribute("data-values") || "").split(",").filter(Boolean).map(function (p) {
      var kv = p.split(":"); return [Number(kv[0]), Number(kv[1])];
    });
    if (pairs.length < 2) { return; }
    var ctx = el.getContext("2d"), w = el.width, h = el.height, pad = 3;
    var ys = pairs.map(function (p) { return p[1]; });
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys);
    var x0 = pairs[0][0], x1 = pairs[pairs.length - 1][0];
    function X(x) { return pad + (w - 2 * pad) * (x - x0) / Math.max(x1 - x0, 1); }
    function Y(y) { return hi === lo ? h / 2 : h - pad - (h - 2 * pad) * (y - lo) / (hi - lo); }
    ctx.strokeStyle = "#1c7ed6"; ctx.lineWidth = 1.5; ctx.beginPath();
    pairs.forEach(function (p, i) { if (i) { ctx.lineTo(X(p[0]), Y(p[1])); } else { ctx.moveTo(X(p[0]), Y(p[1])); } });
    ctx.stroke();
    var last = pairs[pairs.length - 1];
    ctx.fillStyle = "#1c7ed6"; ctx.beginPath(); ctx.arc(X(last[0]), Y(last[1]), 2.2, 0, 7); ctx.fill();
    el.setAttribute("title", pairs.map(function (p) { return p[0] + ": " + fmt(p[1]); }).join("  "));
  }

  function statusByArea(el, d) {
    return new Chart(el, {
      type: "bar",
      data: {
        labels: d.areas.map(function (a) { return a.label; }),
        datasets: d.statuses.map(function (s) {
          return { label: s.label, backgroundColor: s.colour,
                   data: d.areas.map(function (a) { return a.counts[s.key] || 0; }) };
        })
      },
      options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
                 plugins: { legend: { position: "bottom" } } }
    });
  }

  function byYear(years, mapping) {
    return years.map(function (y) { var v = mapping[String(y)]; return v === undefined ? null : v; });
  }

  function indicator(el, d) {
    var years = d.years, sets = [];
    var f = {}; (d.forecast || []).forEach(function (p) { f[p.year] = p; });
    function band(key) { return years.map(function (y) { return f[y] ? f[y][key] : null; }); }
    if (d.forecast && d.forecast.length) {
      sets.push({ label: "95%", data: band("hi95"), borderWidth: 0, pointRadius: 0, fill: "+1",
                  backgroundColor: "rgba(28,126,214,0.10)" });
      sets.push({ label: "95% lo", data: band("lo95"), borderWidth: 0, pointRadius: 0, fill: false });
      sets.push({ label: "80%", data: band("hi80"), borderWidth: 0, pointRadius: 0, fill: "+1",
                  backgroundColor: "rgba(28,126,214,0.20)" });
      sets.push({ label: "80% lo", data: band("lo80"), borderWidth: 0, pointRadius: 0, fill: false });
      sets.push({ label: word(d, "forecast", "预测 forecast"), data: band("value"), borderColor: "#1c7ed6",
                  borderDash: [4, 3], pointRadius: 0, fill: false });
    }
    sets.push({ label: d.district.label, data: byYear(years, d.district.data), borderColor: "#1c7ed6",
                backgroundColor: "#1c7ed6", pointRadius: 3, spanGaps: true, fill: false });
    if (d.target !== null && d.target !== undefined) {
      sets.push({ label: word(d, "target", "目标 target"), data: years.map(function () { return d.target; }),
                  borderColor: "#c92a2a", borderWidth: 1.5, pointRadius: 0, fill: false });
    }
    if (d.path && d.path.length === 2) {
      var a = d.path[0], b = d.path[1];
      sets.push({ label: word(d, "path", "序时进度 path"), borderColor: "#868e96", borderDash: [6, 4], pointRadius: 0,
                  fill: false, data: years.map(function (y) {
                    return (y < a[0] || y > b[0]) ? null : a[1] + (b[1] - a[1]) * (y - a[0]) / (b[0] - a[0]);
                  }) });
    }
    var greys = ["#495057", "#868e96", "#adb5bd"];
    (d.references || []).forEach(function (r, i) {
      sets.push({ label: r.label, data: byYear(years, r.data), borderColor: greys[i % 3],
                  borderDash: [2, 2], pointRadius: 2, spanGaps: true, fill: false });
    });
    return new Chart(el, {
      type: "line",
      data: { labels: years, datasets: sets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: d.axis ? { y: { title: { display: true, text: d.axis } } } : {},
        plugins: {
          legend: { position: "bottom", labels: { filter: function (item) { return item.text.indexOf(" lo") < 0; } } },
          tooltip: { callbacks: { label: function (c) {
            return c.dataset.label + ": " + fmt(c.parsed.y) + (d.unit || "");
          } } }
        }
      }
    });
  }

  function pair(el, d) {
    var years = Object.keys(Object.assign({}, d.a, d.b)).map(Number).sort();
    return new Chart(el, {
      type: "line",
      data: { labels: years, datasets: [
        { label: d.labels[0], data: byYear(years, d.a), borderColor: "#d6336c", spanGaps: true },
        { label: d.labels[1], data: byYear(years, d.b), borderColor: "#1c7ed6", spanGaps: true }
      ] },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 interaction: { mode: "index", intersect: false },
                 plugins: { legend: { position: "bottom" } } }
    });
  }

  function ranking(el, d) {
    return new Chart(el, {
      type: "bar",
      data: { labels: d.entries.map(function (e) { return e.rank + ". " + e.unit; }),
              datasets: [{ label: "", data: d.entries.map(function (e) { return e.value; }),
                           backgroundColor: "#4dabf7" }] },
      options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { y: { ticks: { autoSkip: false } } },
                 plugins: { legend: { display: false } } }
    });
  }

  // Funnel plot (Spiegelhalter 2005): each township's rate against its exposure, the district
  // rate and the exact 95 % / 99.8 % limits; the data come computed from the stored result.
  function funnel(el, d) {
    function curve(key) {
      return d.curve.map(function (c) { return { x: c.exposure, y: c[key] }; });
    }
    var colours = { high: "#c92a2a", low: "#2b8a3e", near: "#f08c00", within: "#1c7ed6" };
    var sets = [
      { type: "scatter", label: d.labels.units, pointRadius: 5,
        data: d.points.map(function (p) { return { x: p.exposure, y: p.rate, unit: p.unit }; }),
        pointBackgroundColor: d.points.map(function (p) {
          return p.unit === d.highlight ? "#000" : colours[p.flag] || colours.within;
        }) },
      { type: "line", label: d.labels.centre, pointRadius: 0, borderColor: "#495057",
        data: [{ x: d.curve.length ? d.curve[0].exposure : 0, y: d.centre },
               { x: d.curve.length ? d.curve[d.curve.length - 1].exposure : 0, y: d.centre }] },
      { type: "line", label: "95%", data: curve("hi95"), borderColor: "#868e96", borderDash: [4, 3], pointRadius: 0 },
      { type: "line", label: "95% lo", data: curve("lo95"), borderColor: "#868e96", borderDash: [4, 3], pointRadius: 0 },
      { type: "line", label: "99.8%", data: curve("hi998"), borderColor: "#c92a2a", borderDash: [2, 2], pointRadius: 0 },
      { type: "line", label: "99.8% lo", data: curve("lo998"), borderColor: "#c92a2a", borderDash: [2, 2], pointRadius: 0 }
    ];
    return new Chart(el, {
      type: "scatter",
      data: { datasets: sets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { type: "linear", title: { display: true, text: d.labels.exposure } },
                  // rates from 0; shares near their level, or the funnel would be a line
                  y: Object.assign(d.model === "poisson" ? { min: 0 } : {},
                                   { title: { display: true, text: d.labels.rate } }) },
        plugins: {
          legend: { position: "bottom", labels: { filter: function (item) { return item.text.indexOf(" lo") < 0; } } },
          tooltip: { callbacks: { label: function (c) {
            var unit = c.raw && c.raw.unit ? c.raw.unit + ": " : "";
            return unit + fmt(c.parsed.y) + (d.unit || "") + " (" + fmt(c.parsed.x) + ")";
          } } }
        }
      }
    });
  }

  var drawers = { "status-by-area": statusByArea, indicator: indicator, pair: pair, ranking: ranking,
                  funnel: funnel };
  window.planwatchCharts = {};
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    if (kind === "spark") { spark(el); return; }
    if (typeof Chart === "undefined" || !drawers[kind]) { return; }
    var d = data(el);
    if (d) { window.planwatchCharts[el.id || kind] = drawers[kind](el, d); }
  });
})();
