// ungcuu: optional enhancements only; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Move keyboard focus to the first field with an error so it is announced and fixable.
  var firstError = document.querySelector(".field-error");
  if (firstError) {
    var field = firstError.previousElementSibling;
    if (field && typeof field.focus === "function") { field.focus(); }
  }
});

// Forms that destroy something ask first (the server still requires the CSRF token either way).
document.addEventListener("submit", function (e) {
  var form = e.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { e.preventDefault(); }
});

// Live updates of an incident: when someone else changes it, say who and offer a reload rather
// than reloading under a person who may be typing. Without this script the page simply stays
// as it was loaded.
document.addEventListener("DOMContentLoaded", function () {
  var banner = document.getElementById("live-banner");
  if (!banner || typeof window.EventSource !== "function") { return; }
  var source = new EventSource(banner.getAttribute("data-live"));
  source.addEventListener("changed", function (msg) {
    var people = [];
    try {
      JSON.parse(msg.data).changes.forEach(function (c) {
        if (people.indexOf(c.by) < 0) { people.push(c.by); }
      });
    } catch (err) { people = []; }
    var text = document.getElementById("live-text");
    if (text && people.length) {
      // textContent, never innerHTML: labels come from other people.
      text.textContent = text.textContent.split(" (")[0] + " (" + banner.getAttribute("data-by") + " " + people.join(", ") + ")";
    }
    banner.hidden = false;
  });
});
