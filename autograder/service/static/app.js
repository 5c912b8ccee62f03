// Live status without reloading: poll the JSON status endpoint, then swap in the graded panel.
(function () {
  "use strict";
  var PENDING = { queued: true, running: true };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function watchPanel(panel) {
    var statusUrl = panel.getAttribute("data-status-url");
    var panelUrl = panel.getAttribute("data-panel-url");
    var last = panel.getAttribute("data-state") + "|" + panel.getAttribute("data-position");
    var delay = 700;
    function tick() {
      getJSON(statusUrl).then(function (s) {
        var key = s.status + "|" + s.position;
        if (key !== last) {
          last = key;
          return fetch(panelUrl, { credentials: "same-origin" }).then(function (r) { return r.text(); })
            .then(function (html) {
              var holder = document.createElement("div");
              holder.innerHTML = html;
              var fresh = holder.querySelector("#panel");
              if (fresh) { panel.replaceWith(fresh); panel = fresh; }
              return s;
            });
        }
        return s;
      }).then(function (s) {
        if (PENDING[s.status]) { delay = Math.min(delay * 1.15, 3000); setTimeout(tick, delay); }
      }).catch(function () { setTimeout(tick, 3000); });
    }
    if (PENDING[panel.getAttribute("data-state")]) { setTimeout(tick, delay); }
  }

  function watchRow(row) {
    var url = row.getAttribute("data-status-url");
    function tick() {
      getJSON(url).then(function (s) {
        row.querySelector(".js-status").textContent = s.label;
        if (s.graded) { row.querySelector(".js-score").textContent = fmt(s.score) + " / " + fmt(s.max_score); }
        if (PENDING[s.status]) { setTimeout(tick, 1500); }
      }).catch(function () { setTimeout(tick, 4000); });
    }
    setTimeout(tick, 1000);
  }

  function fmt(x) { return x === null ? "–" : String(Math.round(x * 10000) / 10000); }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("panel");
    if (panel) { watchPanel(panel); }
    var rows = document.querySelectorAll("tr[data-status-url]");
    for (var i = 0; i < rows.length; i++) {
      if (PENDING[rows[i].getAttribute("data-state")]) { watchRow(rows[i]); }
    }
  });
})();
