// isodocs: write today's date into the "uncontrolled when printed" line.
// The site is static, so the print date can only be known in the browser.
(function () {
  function stamp() {
    var today = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var text = today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate());
    document.querySelectorAll(".isodocs-print-date").forEach(function (el) { el.textContent = text; });
  }
  window.addEventListener("beforeprint", stamp);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", stamp);
  } else {
    stamp();
  }
})();
