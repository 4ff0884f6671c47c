// The cite box's access date: today, in the reader's time zone, unless the reader picked another day.
// Material's clipboard copies whatever data-clipboard-text holds, so the copy button follows the field.
(function () {
  "use strict";

  function isoToday() {
    var now = new Date();
    var pad = function (n) { return String(n).padStart(2, "0"); };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function setUp() {
    var field = document.getElementById("cite-accessed");
    var copy = document.getElementById("cite-accessed-copy");
    if (!field || !copy) return;
    if (!field.value) field.value = isoToday();
    var sync = function () { copy.setAttribute("data-clipboard-text", field.value); };
    field.addEventListener("input", sync);
    field.addEventListener("change", sync);
    sync();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
