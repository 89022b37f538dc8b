// Progressive enhancement: a copy button for the canonical URI (the input works without it).
document.querySelectorAll("button.copy").forEach(function (button) {
  var input = document.getElementById(button.dataset.copy);
  var status = button.parentElement.querySelector(".copied");
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () { status.textContent = "Link copied."; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
    } else {
      input.select();
      document.execCommand("copy");
      done();
    }
  });
});
