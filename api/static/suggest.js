// Search as you type: turns every <input data-suggest> into an ARIA combobox
// (WAI-ARIA APG "list autocomplete with manual selection") fed by GET /suggest.
// Without JavaScript the form still submits to /search. Text goes in with textContent only.
(function () {
  "use strict";
  var DELAY_MS = 120;
  var LIMIT = 8;
  // the sub-path a proxy serves us under ("" at the root): <html data-root="/airt">
  var ROOT = document.documentElement.getAttribute("data-root") || "";
  var MATCHES = { exact: "exact", acronym: "acronym", synonym: "synonym", prefix: "starts with", fuzzy: "close spelling", definition: "in its definition", semantic: "similar meaning" };

  function setUp(input, n) {
    var combo = input.parentElement;
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    var live = document.createElement("p");
    var timer = 0;
    var controller = null;
    var items = [];
    var active = -1;

    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    combo.appendChild(list);
    combo.appendChild(live);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      var item = items[index];
      if (item) {
        window.location.assign(ROOT + "/terms/" + encodeURIComponent(item.id));
      }
    }

    function show(suggestions, query) {
      items = suggestions;
      list.setAttribute("data-query", query || ""); // which text the list answers
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      suggestions.forEach(function (s, i) {
        var option = document.createElement("li");
        var label = document.createElement("span");
        var detail = document.createElement("span");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        label.className = "suggestion-label";
        label.textContent = s.prefLabel;
        detail.className = "suggestion-detail";
        var how = MATCHES[s.match_type] || s.match_type;
        if (s.kind === "hidden") {
          how = "spelling corrected"; // a common misspelling matched
        } else if (s.usage && s.usage.length && s.label !== s.prefLabel) {
          how += " (" + s.usage.join(", ") + ")"; // who uses the word that matched
        }
        detail.textContent = s.label && s.label !== s.prefLabel ? "“" + s.label + "”, " + how : how;
        option.appendChild(label);
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input
        });
        option.addEventListener("click", function () { go(i); });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      var open = suggestions.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      live.textContent = open
        ? suggestions.length + (suggestions.length === 1 ? " suggestion" : " suggestions") + ". Use the up and down arrows to choose."
        : "No suggestions.";
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (controller) {
        controller.abort();
      }
      if (text.length < 2) {
        show([]);
        live.textContent = "";
        return;
      }
      controller = new AbortController();
      fetch(ROOT + "/suggest?limit=" + LIMIT + "&q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        signal: controller.signal
      }).then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      }).then(function (data) {
        if (input.value.trim() === text) {
          show(data.suggestions || [], text);
        }
      }).catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          fetchSuggestions();
          return;
        }
        highlight(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active > 0 ? active - 1 : items.length - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          go(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  var inputs = document.querySelectorAll("input[data-suggest]");
  for (var i = 0; i < inputs.length; i++) {
    setUp(inputs[i], i);
  }
})();
