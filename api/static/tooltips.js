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
 *   data-annotate="first"  also find the vocabulary's terms in the page's own text (through
 *                          POST /annotate) and give each its tooltip: "first" marks the first
 *                          mention of each term, "all" every mention
 *   data-annotate-root="…" where to look (a CSS selector; default: main, else the body)
 * Annotation reads text nodes only, never code, links, form fields or marked words, sends at
 * most 200,000 characters, and wraps each term found in <span class="airt-term" data-term>.
 * Text is inserted with textContent only; styles are set through the CSSOM, so the script
 * works under a strict Content-Security-Policy. No cookies are sent.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  // where the service is: the script's own address less /static/tooltips.js (a sub-path included)
  var origin = script && script.src
    ? new URL(script.src, window.location.href).href.replace(/\/static\/tooltips\.js(?:[?#].*)?$/, "")
    : window.location.origin;
  var usePlain = !!script && script.getAttribute("data-plain") === "true";
  var selector = (script && script.getAttribute("data-selector")) || "dfn[data-term], abbr, [data-term]";
  var annotateMode = script ? script.getAttribute("data-annotate") : null;
  var annotateRoot = script ? script.getAttribute("data-annotate-root") : null;
  var HIDE_DELAY_MS = 300;
  var MAX_ANNOTATED = 200000;
  var NOT_PROSE = /^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT|TEXTAREA|INPUT|SELECT|OPTION|BUTTON|CODE|PRE|KBD|SAMP|VAR|A|ABBR|DFN|SVG|MATH|IFRAME|OBJECT)$/;
  var BLOCK = /^(ADDRESS|ARTICLE|ASIDE|BLOCKQUOTE|BODY|DD|DETAILS|DIV|DL|DT|FIELDSET|FIGCAPTION|FIGURE|FOOTER|FORM|H[1-6]|HEADER|LI|MAIN|NAV|OL|P|SECTION|SUMMARY|TABLE|TD|TH|TR|UL)$/;
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
      var heading = sense.prefLabel + (sense.acronym.length && sense.prefLabel.indexOf(sense.acronym[0]) === -1 ? " (" + sense.acronym[0] + ")" : "");
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
      if (sense.usageWarning) {
        add(block, "span", "Take care: " + sense.usageWarning, { display: "block", marginTop: "0.3rem", fontWeight: "600" });
      }
    });
    add(tip, "span", "Source: " + data.provider + (data.licence ? ". Licence: " + data.licence : ""), { display: "block", marginTop: "0.4rem", fontSize: "0.8em", color: "#4a4a4a" });
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

  function prose(node, root) {
    for (var el = node.parentElement; el; el = el.parentElement) {
      if (NOT_PROSE.test(el.tagName.toUpperCase()) || el.hasAttribute("data-term") ||
          el.hasAttribute("data-airt") || el.getAttribute("role") === "tooltip" || el.isContentEditable) {
        return false;
      }
      if (el === root) {
        return true;
      }
    }
    return false;
  }

  function blockOf(node) {
    var el = node.parentElement;
    while (el && !BLOCK.test(el.tagName.toUpperCase())) {
      el = el.parentElement;
    }
    return el;
  }

  function codePointsToUnits(text) {
    // The service counts characters as Unicode code points; JavaScript strings count UTF-16 units.
    if (!/[\uD800-\uDFFF]/.test(text)) {
      return null;
    }
    var units = [];
    for (var i = 0; i < text.length; i += 1) {
      units.push(i);
      var code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        i += 1;
      }
    }
    units.push(text.length);
    return units;
  }

  function collect(root) {
    // One HTML text for the service: each text node once, inline boundaries as <i></i> (no term
    // crosses them), block boundaries as <p></p> (sentences end there). "<" and "&" become
    // look-alikes of the same length, so offsets stay those of the page's own text.
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var parts = [];
    var nodes = [];
    var length = 0;
    var lastBlock = null;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!/\S/.test(node.data) || !prose(node, root)) {
        continue;
      }
      var block = blockOf(node);
      var separator = block === lastBlock ? "<i></i>" : "<p></p>";
      lastBlock = block;
      if (length + separator.length + node.data.length > MAX_ANNOTATED) {
        break;
      }
      parts.push(separator);
      length += separator.length;
      nodes.push({ node: node, start: length, text: node.data });
      parts.push(node.data.replace(/</g, "\u2039").replace(/&/g, "+"));
      length += node.data.length;
    }
    return { body: parts.join(""), nodes: nodes };
  }

  function wrap(found, spans) {
    var units = codePointsToUnits(found.body);
    var seen = {};
    var byNode = [];
    spans.forEach(function (span) {
      if (annotateMode !== "all" && seen[span.uri]) {
        return;
      }
      seen[span.uri] = true;
      var start = units ? units[span.start] : span.start;
      var end = units ? units[span.end] : span.end;
      for (var i = 0; i < found.nodes.length; i += 1) {
        var item = found.nodes[i];
        if (start >= item.start && end <= item.start + item.text.length) {
          (byNode[i] = byNode[i] || []).push({ span: span, from: start - item.start, to: end - item.start });
          return;
        }
      }
    });
    byNode.forEach(function (list, i) {
      list.sort(function (a, b) { return b.from - a.from; }).forEach(function (hit) {
        var range = document.createRange();
        range.setStart(found.nodes[i].node, hit.from);
        range.setEnd(found.nodes[i].node, hit.to);
        var element = document.createElement("span");
        element.className = "airt-term";
        element.setAttribute("data-term", hit.span.uri);
        range.surroundContents(element);
      });
    });
  }

  function annotatePage() {
    var root = (annotateRoot && document.querySelector(annotateRoot)) ||
      document.querySelector("main") || document.body;
    var found = collect(root);
    if (!found.nodes.length) {
      return Promise.resolve();
    }
    return fetch(origin + "/annotate?kind=html&format=json", {
      method: "POST",
      headers: { "Content-Type": "text/plain", Accept: "application/json" },
      body: found.body,
      credentials: "omit",
      mode: "cors"
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && data.spans) {
        wrap(found, data.spans);
      }
    }).catch(function () { return null; });
  }

  function begin() {
    start();
    if (annotateMode === "first" || annotateMode === "all") {
      annotatePage().then(start);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", begin);
  } else {
    begin();
  }
})();
