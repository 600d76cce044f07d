// The material editor (console/templates/console/material_edit.html): the live preview of the
// body, rendered by the server with the members' own sanitising renderer, and the two upload
// buttons (an image into the body at the cursor, a Word file as the body). Texts come from the
// page's data- attributes; CSP allows no inline script, so this file is all there is.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var body = document.getElementById("material-body");
  var preview = document.getElementById("material-preview");
  if (!body || !preview) {
    return;
  }
  var form = body.form;
  var csrf = form.elements["csrf"].value;
  var status = document.getElementById("upload-status");
  var timer = null;
  var asked = 0;

  function post(url, data) {
    data.append("csrf", csrf);  // checked like every console form (console/views.py)
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" });
  }

  function refresh() {
    var mine = ++asked;  // only the latest answer is shown
    var data = new FormData();
    data.append("body", body.value);
    post(preview.dataset.url, data)
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (mine !== asked) { return; }
        if (html.trim()) { preview.innerHTML = html; } else { preview.textContent = preview.dataset.empty; }
      })
      .catch(function () {
        if (mine === asked) { preview.textContent = preview.dataset.failed; }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  }
  body.addEventListener("input", later);

  function say(text, failed) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("error", Boolean(failed));
  }

  function insertAtCursor(text) {
    var start = body.selectionStart, end = body.selectionEnd;
    var before = body.value.slice(0, start), after = body.value.slice(end);
    var gap = before && !before.endsWith("\n") ? "\n" : "";
    body.value = before + gap + text + "\n" + after;
    body.selectionStart = body.selectionEnd = (before + gap + text + "\n").length;
    body.focus();
    refresh();
  }

  // POST the chosen file as "file"; 200 JSON goes to done, 4xx JSON {"error"} is shown.
  function upload(input, done) {
    if (!input) { return; }
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      if (input.dataset.confirm && body.value.trim() && !window.confirm(input.dataset.confirm)) {
        input.value = "";
        return;
      }
      say(status ? status.dataset.busy : "", false);
      var data = new FormData();
      data.append("file", file);
      post(input.dataset.url, data)
        .then(function (response) {
          return response.json()
            .catch(function () { return {}; })
            .then(function (json) { return { ok: response.ok, json: json || {} }; });
        })
        .then(function (answer) {
          if (answer.ok && !answer.json.error) {
            done(answer.json);
            var warnings = Array.isArray(answer.json.warnings) ? answer.json.warnings : [];
            say([status.dataset.done].concat(warnings).join(" "), false);
          } else {
            say(answer.json.error || status.dataset.failed, true);
          }
        })
        .catch(function () { say(status.dataset.failed, true); })
        .then(function () { input.value = ""; });
    });
  }

  upload(document.getElementById("image-upload"), function (json) {
    insertAtCursor(json.markdown || ("![](" + json.url + ")"));
  });
  upload(document.getElementById("docx-import"), function (json) {
    body.value = json.markdown || "";
    var title = form.elements["title"];
    if (json.title && title && !title.value.trim()) { title.value = json.title; }
    refresh();
  });
});
