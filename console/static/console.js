// The console's only script (CSP allows no inline script): select-all boxes, the live audience
// count on the broadcast form, and the dashboard charts drawn from JSON data islands.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var form = box.closest("form");
      form.querySelectorAll("input[name='" + box.dataset.selectAll + "']").forEach(function (item) {
        item.checked = box.checked;
      });
    });
  });

  var counter = document.getElementById("audience-count");
  if (counter) {
    var form = counter.closest("form");
    var latest = 0;  // answers may come back out of order: only the last request's is shown
    var refresh = function () {
      var mine = ++latest;
      var params = new URLSearchParams({
        audience_kind: form.elements["audience_kind"].value,
        audience_value: form.elements["audience_value"].value
      });
      fetch(counter.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) { if (mine === latest) { counter.textContent = data.text; } })
        .catch(function () { if (mine === latest) { counter.textContent = "?"; } });
    };
    form.elements["audience_kind"].addEventListener("change", refresh);
    form.elements["audience_value"].addEventListener("input", refresh);
    refresh();
  }

  if (window.Chart) {
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.values,
                backgroundColor: "rgba(178, 34, 34, 0.6)", borderColor: "#b22222" }] },
        options: { responsive: true, maintainAspectRatio: false, animation: false,
                   indexAxis: spec.horizontal ? "y" : "x",
                   scales: spec.max ? { [spec.horizontal ? "x" : "y"]: { min: 0, max: spec.max } } : {} }
      });
    });
  }
});
