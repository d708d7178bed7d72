// Keeps a page of ticketd current (docs/api.md, "Web pages"). The page
// names its event stream in <main data-events>, starting after the newest
// event it shows; on each event this fetches the page again and swaps in
// its sections marked data-live. Without this script (or JavaScript) the
// page is the same, only not live. No inline script: the page's
// Content-Security-Policy forbids it.
(function () {
  "use strict";
  var main = document.querySelector("main[data-events]");
  if (!main || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var stream = main.getAttribute("data-events");
  var gather = Number(main.getAttribute("data-refresh-ms")) || 0;
  var badge = document.getElementById("live-status");
  var timer = null;
  var running = false;
  var again = false;

  function show(text, on) {
    if (!badge) { return; }
    badge.hidden = false;
    badge.textContent = text;
    badge.className = "live " + (on ? "on" : "off");
  }

  // Replace each live section by the one of the fresh page with its id.
  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var sections = document.querySelectorAll("[data-live]");
    for (var i = 0; i < sections.length; i++) {
      var old = sections[i];
      var next = old.id ? fresh.getElementById(old.id) : null;
      if (next) {
        old.replaceWith(document.importNode(next, true));
      }
    }
    document.title = fresh.title || document.title;
  }

  // One fetch at a time; events during a fetch make one more after it.
  function refresh() {
    timer = null;
    if (running) { again = true; return; }
    running = true;
    again = false;
    fetch(window.location.href, { headers: { "Accept": "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(swap)
      .catch(function () { show("not live: reload the page", false); })
      .then(function () {
        running = false;
        if (again) { schedule(); }
      });
  }

  function schedule() {
    if (timer === null) { timer = window.setTimeout(refresh, gather); }
  }

  var source = new EventSource(stream);
  source.onopen = function () { show("live", true); };
  source.onmessage = schedule;
  // EventSource reconnects by itself, with Last-Event-ID: nothing is missed.
  source.onerror = function () {
    var closed = source.readyState === EventSource.CLOSED;
    show(closed ? "not live: reload the page" : "reconnecting…", false);
  };
})();
