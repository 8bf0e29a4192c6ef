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
