// 登记会议: a "全部设为出席" button over the attendance list (the form works without it).
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("all-present");
  if (!button) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    document.querySelectorAll("#attendance input[type=radio][value=present]").forEach(function (box) {
      box.checked = true;
    });
  });
});
