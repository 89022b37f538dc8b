// Progressive enhancement of the term page: copy buttons for the canonical link, the
// citations and the embed codes. Without JavaScript the fields stay selectable.
(function () {
  "use strict";
  var status = document.querySelector(".copied");

  function textOf(element) {
    return "value" in element && element.tagName !== "PRE" ? element.value : element.textContent;
  }

  function selectText(element) {
    if (typeof element.select === "function") {
      element.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function announce(message) {
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var what = button.textContent.replace(/^Copy\s+/i, "");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = textOf(source);
      var done = function () {
        button.setAttribute("data-copied", "true");
        announce(what.charAt(0).toUpperCase() + what.slice(1) + " copied.");
      };
      var fallback = function () {
        selectText(source);
        announce("Press Ctrl+C (or Cmd+C) to copy the selected " + what + ".");
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
})();
