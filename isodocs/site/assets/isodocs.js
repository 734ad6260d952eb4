// isodocs: the "uncontrolled when printed" line of every printed page.
// The site is static, so the print date can only be known in the browser. The
// line's text (organisation, document and version, print date) goes into the
// page's bottom margin (an @page margin box, beside the page number), where it
// cannot cover the content as the fixed banner does; the banner stays the
// fallback where this script does not run.
(function () {
  // A CSS string holding any text: every character but letters, digits and spaces escaped.
  function cssString(text) {
    return '"' + text.replace(/[^A-Za-z0-9 ]/gu, function (c) {
      return "\\" + c.codePointAt(0).toString(16) + " ";
    }) + '"';
  }
  function stamp() {
    var today = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var text = today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate());
    document.querySelectorAll(".isodocs-print-date").forEach(function (el) { el.textContent = text; });
    var banner = document.querySelector(".isodocs-print-banner");
    var style = document.getElementById("isodocs-print-margin");
    if (!banner) {
      return;
    }
    if (!style) {
      style = document.createElement("style");
      style.id = "isodocs-print-margin";
      document.head.appendChild(style);
    }
    var line = banner.textContent.replace(/\s+/g, " ").trim();
    style.textContent = "@media print { @page { @bottom-left { content: " + cssString(line) +
      "; font: 8pt sans-serif; color: #000; width: 150mm; text-align: left; } } }";
    document.documentElement.classList.add("isodocs-print-margin");
  }
  window.addEventListener("beforeprint", stamp);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", stamp);
  } else {
    stamp();
  }
})();
