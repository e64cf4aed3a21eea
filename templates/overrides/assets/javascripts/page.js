// Small page helpers: a print button, a scroll hint on wide tables, and the alignment matrix filter.
// Each works only when JavaScript runs; without it the page shows everything and prints with the browser menu.
(function () {
  "use strict";

  // "Skriv ut": the browser's print dialog; the print style sheet fits a routine on one A4 sheet.
  document.querySelectorAll("[data-handbok-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Wide tables on narrow screens: say that the table scrolls sideways, above the table, in text.
  function hint(wrap) {
    var wide = wrap.scrollWidth > wrap.clientWidth + 1;
    var note = wrap.previousElementSibling;
    var has = note && note.classList.contains("handbok-scroll-hint");
    if (wide && !has) {
      note = document.createElement("p");
      note.className = "handbok-scroll-hint";
      note.textContent = "Tabellen är bredare än skärmen. Svep eller rulla i sidled för att se alla kolumner.";
      wrap.parentNode.insertBefore(note, wrap);
    } else if (!wide && has) {
      note.remove();
    }
  }
  function hints() { document.querySelectorAll(".md-typeset__scrollwrap").forEach(hint); }
  window.addEventListener("load", hints);
  window.addEventListener("resize", function () { clearTimeout(hints.t); hints.t = setTimeout(hints, 150); });
  new MutationObserver(function () { clearTimeout(hints.m); hints.m = setTimeout(hints, 50); })
    .observe(document.body, { childList: true, subtree: true });

  // The alignment matrix: show only the requirements that are not covered (the last column is not "Ja").
  document.querySelectorAll("[data-handbok-matrix-filter]").forEach(function (box) {
    var label = box.closest("label");
    label.hidden = false;
    var table = null;
    var start = label.parentElement.tagName === "P" ? label.parentElement : label;  // Markdown wraps it in a <p>
    for (var el = start.nextElementSibling; el && !table; el = el.nextElementSibling) {
      table = el.tagName === "TABLE" ? el : el.querySelector("table");
    }
    if (!table) return;
    box.addEventListener("change", function () {
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var last = row.cells[row.cells.length - 1];
        row.hidden = box.checked && last && last.textContent.trim() === "Ja";
      });
    });
  });
})();
