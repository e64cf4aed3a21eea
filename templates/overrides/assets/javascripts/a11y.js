/* Tables that are wider than a phone scroll sideways inside Material's wrapper. A scrollable region must be
   reachable by keyboard (WCAG 2.1.1), so each wrapper gets a tab stop, a role and a name. Material adds the
   wrappers after the page loads, so they are caught as they appear. */
(function () {
  "use strict";
  var count = 0;
  function heading(el) {
    // The nearest heading before the table names it; regions on a page need distinct names.
    for (var node = el; node; node = node.previousElementSibling || node.parentElement) {
      if (/^H[1-6]$/.test(node.tagName)) return node.textContent.replace(/\u00b6$/, "").trim();
    }
    return "";
  }
  function label(wrap) {
    if (wrap.hasAttribute("tabindex")) return;
    count += 1;
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    var caption = wrap.querySelector("caption");
    var name = caption ? caption.textContent : heading(wrap);
    wrap.setAttribute("aria-label", "Tabell " + count + (name ? ": " + name : ""));
  }
  function scan(root) {
    if (root.classList && root.classList.contains("md-typeset__scrollwrap")) label(root);
    if (root.querySelectorAll) root.querySelectorAll(".md-typeset__scrollwrap").forEach(label);
  }
  scan(document);
  new MutationObserver(function (records) {
    records.forEach(function (r) { r.addedNodes.forEach(scan); });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
