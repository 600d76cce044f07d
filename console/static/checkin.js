// The 签到 pages' script (CSP allows no inline script): the live list, the counts and the
// state of a check-in, fetched from its JSON every few seconds without reloading the page
// (the check-in page and the projector page alike: each draws the parts it has).
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-checkin-live]");
  if (!box) {
    return;
  }
  var url = box.dataset.checkinLive;
  var every = (parseInt(box.dataset.interval, 10) || 3) * 1000;

  var set = function (id, value) {
    var element = document.getElementById(id);
    if (element) {
      element.textContent = value;
    }
  };

  var cell = function (row, text, name) {
    var td = document.createElement("td");
    td.textContent = text;
    if (name) {
      td.className = name;
    }
    row.appendChild(td);
  };

  var drawRows = function (body, data) {
    var rows = data.rows.map(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.userid = r.userid;
      cell(tr, r.name);
      cell(tr, r.organization);
      cell(tr, r.time);
      cell(tr, r.status_text, "status");
      cell(tr, r.by);
      cell(tr, r.reason);
      return tr;
    });
    if (!rows.length) {
      var tr = document.createElement("tr");
      tr.className = "empty";
      var td = document.createElement("td");
      td.colSpan = 6;
      td.textContent = data.empty;
      tr.appendChild(td);
      rows.push(tr);
    }
    body.replaceChildren.apply(body, rows);
  };

  var draw = function (data) {
    set("present-count", data.present);
    set("leave-count", data.leave);
    set("screen-count", data.count_text);
    var state = document.getElementById("checkin-state");
    if (state) {
      state.textContent = data.state_text;
      state.className = "checkin-state state-" + data.state;
    }
    var body = document.getElementById("checkin-rows");
    if (body) {
      drawRows(body, data);
    }
    var latest = document.getElementById("screen-latest");
    if (latest) {
      latest.replaceChildren.apply(latest, data.latest.map(function (name) {
        var li = document.createElement("li");
        li.textContent = name;
        return li;
      }));
    }
    document.body.dataset.checkinState = data.state;
    box.dataset.refreshed = String(Date.now());
  };

  var tick = function () {
    if (document.hidden) {
      window.setTimeout(tick, every);
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(draw)
      .catch(function () { /* keep what is shown; the next tick tries again */ })
      .finally(function () { window.setTimeout(tick, every); });
  };
  window.setTimeout(tick, every);
});
