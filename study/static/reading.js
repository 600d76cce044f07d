// The reading page's heartbeat: while the page is in view it tells the server every few
// seconds that it is being read; the server counts the real time between beats (capped), so
// nothing here decides how long was read. A hidden page stops beating (one last beat by
// sendBeacon); coming back into view starts again with a "resume" beat, which counts nothing.
(function () {
  "use strict";
  var form = document.getElementById("done-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-beat-url");
  var every = Math.max(1, parseInt(form.getAttribute("data-beat-s"), 10) || 15) * 1000;
  var progress = document.getElementById("read-progress");
  var seq = 0;
  var timer = null;

  function body(resume) {
    var data = new FormData();
    data.append("csrf", form.elements.csrf.value);
    data.append("stamp", form.elements.stamp.value);
    seq += 1;
    data.append("seq", String(seq));
    if (resume) { data.append("resume", "1"); }
    return data;
  }

  function show(answer) {
    if (answer && progress && typeof answer.progress === "string") {
      progress.textContent = answer.progress;
    }
  }

  function beat(resume) {
    fetch(url, { method: "POST", body: body(resume), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(show)
      .catch(function () { /* the next beat counts from the last one received */ });
  }

  function start() {
    if (timer !== null) { return; }
    beat(true);
    timer = window.setInterval(function () { beat(false); }, every);
  }

  function stop() {
    if (timer === null) { return; }
    window.clearInterval(timer);
    timer = null;
    if (navigator.sendBeacon) { navigator.sendBeacon(url, body(false)); }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { start(); } else { stop(); }
  });
  window.addEventListener("pagehide", stop);
  if (document.visibilityState === "visible") { start(); }
}());
