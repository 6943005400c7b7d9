// The console's only script of its own: shows every <time> in the agent's zone (UTC on
// hover stays in the title, and in a visually hidden text for screen readers), after the
// first load and after htmx swaps a part in; holds the dashboard's refresh while the agent
// is in it or paused it; "/" focuses the search box. Pages work without it.
(function () {
  "use strict";
  var format = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
  });
  function localize(root) {
    var times = (root || document).querySelectorAll("time[datetime]:not([data-local])");
    for (var i = 0; i < times.length; i++) {
      var moment = new Date(times[i].getAttribute("datetime"));
      if (!isNaN(moment)) {
        times[i].textContent = format.format(moment);
        times[i].setAttribute("data-local", "1");
      }
    }
  }
  document.addEventListener("DOMContentLoaded", function () { localize(document); });
  document.addEventListener("htmx:afterSwap", function (event) { localize(event.target); });
  // The dashboard's live part: not refreshed while the agent is in it (the keyboard focus
  // or an opened <details> would be lost) or has paused it (WCAG 2.2.2).
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("live-toggle");
    var live = document.getElementById("live");
    if (!toggle || !live) { return; }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var paused = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", paused ? "true" : "false");
      toggle.textContent = paused ? "Resume live updates" : "Pause live updates";
    });
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var live = event.detail && event.detail.elt;
    if (!live || live.id !== "live") { return; }
    var toggle = document.getElementById("live-toggle");
    if ((toggle && toggle.getAttribute("aria-pressed") === "true") ||
        live.contains(document.activeElement) || live.querySelector("details[open]")) {
      event.preventDefault();
    }
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.ctrlKey || event.altKey || event.metaKey || event.target.isContentEditable) {
      return;
    }
    if (event.key === "/" && tag !== "input" && tag !== "textarea" && tag !== "select") {
      var search = document.getElementById("global-search");
      if (search) { event.preventDefault(); search.focus(); }
    }
  });
})();
