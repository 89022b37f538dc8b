/*
 * Definition tooltips for any web page.
 *
 *   <script src="https://HOST/static/tooltips.js" defer></script>
 *   <p>We use <abbr>AI</abbr> for <dfn data-term="auto-contouring">auto-contouring</dfn>.</p>
 *
 * Words marked <dfn data-term="..."> or <abbr> (or any element with data-term) get an
 * accessible tooltip with the canonical definition (WAI-ARIA APG tooltip pattern, WCAG 2.1
 * SC 1.4.13): role="tooltip" linked by aria-describedby; opens on hover and on keyboard
 * focus; stays open while the pointer is over the trigger or the tooltip; never times out;
 * Escape closes it without moving focus. Options on the script element:
 *   data-plain="true"       show the plain-language definition where there is one
 *   data-selector="..."     which elements to enhance (default: dfn[data-term], abbr, [data-term])
 * Text is inserted with textContent only; styles are set through the CSSOM, so the script
 * works under a strict Content-Security-Policy. No cookies are sent.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src, window.location.href).origin : window.location.origin;
  var usePlain = !!script && script.getAttribute("data-plain") === "true";
  var selector = (script && script.getAttribute("data-selector")) || "dfn[data-term], abbr, [data-term]";
  var HIDE_DELAY_MS = 300;
  var requests = {};
  var count = 0;
  var open = null;

  function termOf(element) {
    return (element.getAttribute("data-term") || element.textContent || "").replace(/\s+/g, " ").trim();
  }

  function load(term) {
    if (!requests[term]) {
      requests[term] = fetch(origin + "/define?term=" + encodeURIComponent(term), {
        headers: { Accept: "application/json" },
        credentials: "omit",
        mode: "cors"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).catch(function () { return null; });
    }
    return requests[term];
  }

  function styleTooltip(tip) {
    var s = tip.style;
    s.position = "absolute";
    s.zIndex = "2147483000";
    s.display = "none";
    s.boxSizing = "border-box";
    s.maxWidth = "22rem";
    s.padding = "0.6rem 0.8rem";
    s.background = "#ffffff";
    s.color = "#1b1b1b";
    s.border = "1px solid #1b1b1b";
    s.borderRadius = "6px";
    s.boxShadow = "0 4px 14px rgba(0, 0, 0, 0.25)";
    s.font = "15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    s.textAlign = "left";
    s.whiteSpace = "normal";
  }

  function add(parent, tag, text, css) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (css) {
      for (var key in css) {
        element.style[key] = css[key];
      }
    }
    parent.appendChild(element);
    return element;
  }

  function fill(tip, data) {
    data.senses.forEach(function (sense, i) {
      var block = add(tip, "span", "", { display: "block", marginTop: i ? "0.5rem" : "0" });
      var heading = sense.prefLabel + (sense.acronym.length && sense.acronym[0] !== sense.prefLabel ? " (" + sense.acronym[0] + ")" : "");
      add(block, "strong", heading, { display: "block" });
      if (data.ambiguous && sense.field.length) {
        add(block, "span", "In " + sense.field.join(", "), { display: "block", fontSize: "0.85em", color: "#4a4a4a" });
      }
      if (sense.status !== "active") {
        var replaced = sense.replacedBy.map(function (r) { return r.prefLabel; }).join(", ");
        add(block, "span", "Deprecated" + (replaced ? ": use " + replaced : ""), { display: "block", fontWeight: "700" });
      }
      var text = usePlain && sense.plainDefinition ? sense.plainDefinition : sense.definition;
      add(block, "span", text || "No definition yet.", { display: "block" });
    });
    add(tip, "span", "Source: " + data.provider, { display: "block", marginTop: "0.4rem", fontSize: "0.8em", color: "#4a4a4a" });
  }

  function focusable(element) {
    return element.tabIndex >= 0 || element.matches("a[href], button, input, select, textarea, [tabindex]");
  }

  function attach(trigger, data) {
    var tip = document.createElement("span");
    var timer = 0;
    var widget;
    count += 1;
    tip.id = "airt-tooltip-" + count;
    tip.setAttribute("role", "tooltip");
    tip.className = "airt-tooltip";
    styleTooltip(tip);
    fill(tip, data);
    document.body.appendChild(tip);

    var describedBy = trigger.getAttribute("aria-describedby");
    trigger.setAttribute("aria-describedby", describedBy ? describedBy + " " + tip.id : tip.id);
    if (!focusable(trigger)) {
      trigger.tabIndex = 0;
    }
    trigger.style.cursor = "help";
    trigger.style.textDecorationLine = "underline";
    trigger.style.textDecorationStyle = "dotted";
    trigger.setAttribute("data-airt", "ready");

    function place() {
      var box = trigger.getBoundingClientRect();
      var viewport = document.documentElement.clientWidth;
      tip.style.display = "block";
      var width = tip.offsetWidth;
      var left = Math.min(box.left, viewport - width - 8);
      tip.style.left = Math.max(8, left) + window.scrollX + "px";
      tip.style.top = box.bottom + window.scrollY + 4 + "px";
    }

    function show() {
      window.clearTimeout(timer);
      if (open && open !== widget) {
        open.hide();
      }
      place();
      open = widget;
    }

    function hide() {
      window.clearTimeout(timer);
      tip.style.display = "none";
      if (open === widget) {
        open = null;
      }
    }

    function hideUnlessInUse() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var hovered = trigger.matches(":hover") || tip.matches(":hover");
        if (!hovered && document.activeElement !== trigger) {
          hide();
        }
      }, HIDE_DELAY_MS);
    }

    widget = { hide: hide };
    trigger.addEventListener("mouseenter", show);
    trigger.addEventListener("focus", show);
    trigger.addEventListener("mouseleave", hideUnlessInUse);
    trigger.addEventListener("blur", hideUnlessInUse);
    tip.addEventListener("mouseenter", function () { window.clearTimeout(timer); });
    tip.addEventListener("mouseleave", hideUnlessInUse);
  }

  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && open) {
      open.hide();
    }
  });

  function start() {
    var triggers = document.querySelectorAll(selector);
    Array.prototype.forEach.call(triggers, function (trigger) {
      var term = termOf(trigger);
      if (!term || term.length > 200 || trigger.getAttribute("data-airt")) {
        return;
      }
      trigger.setAttribute("data-airt", "loading");
      load(term).then(function (data) {
        if (data && data.senses && data.senses.length) {
          attach(trigger, data);
        } else {
          trigger.removeAttribute("data-airt");
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
