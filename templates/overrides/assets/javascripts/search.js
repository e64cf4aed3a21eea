// Search for the Rutinhandbok: Pagefind behind Material's own search box.
//
// Pagefind stems Swedish words (it reads <html lang="sv">), so "betänketiden"
// finds "betänketid", and a query downloads only the index fragments it needs.
// Opened from disk (file://) the index cannot be loaded; the box then says so
// and points to browsing by situation.
(function () {
  "use strict";
  var root = document.querySelector("[data-handbok-search]");
  var toggle = document.getElementById("__search");
  var input = document.getElementById("handbok-search-input");
  if (!root || !toggle || !input) return;

  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var meta = root.querySelector("[data-handbok-search-meta]");
  var list = root.querySelector(".md-search-result__list");
  var form = root.querySelector("form");
  var opener = document.querySelector("[data-handbok-search-open]");
  var MAX_RESULTS = 10;
  var pagefind = null;
  var latest = 0;

  function setMeta(text) { meta.textContent = text; }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    input.focus();
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  function loadPagefind() {
    if (pagefind) return pagefind;
    pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
      return pf.options({ baseUrl: base.pathname, excerptLength: 24 }).then(function () { return pf; });
    });
    return pagefind;
  }

  function countText(n) {
    if (n === 0) return "Inga sökresultat. Prova ett annat ord, eller välj situation på startsidan.";
    if (n === 1) return "1 sökresultat";
    return n + " sökresultat";
  }

  function render(results, total) {
    list.textContent = "";
    results.forEach(function (data) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = data.url;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var title = document.createElement("p");
      title.className = "handbok-result-title";
      title.textContent = (data.meta && data.meta.title) || data.url;
      var excerpt = document.createElement("p");
      excerpt.className = "handbok-result-excerpt";
      // Pagefind escapes page text in excerpts and adds only <mark> around hits.
      excerpt.innerHTML = data.excerpt;
      article.appendChild(title);
      article.appendChild(excerpt);
      a.appendChild(article);
      li.appendChild(a);
      list.appendChild(li);
    });
    setMeta(countText(total));
  }

  function search(query) {
    var ticket = ++latest;
    query = query.trim();
    if (!query) {
      list.textContent = "";
      setMeta("Skriv sökord");
      return;
    }
    if (location.protocol === "file:") {
      list.textContent = "";
      setMeta("Sökningen fungerar inte när handboken öppnas som fil från disken. Välj situation på startsidan eller använd menyn.");
      return;
    }
    setMeta("Söker …");
    loadPagefind().then(function (pf) {
      return pf.search(query);
    }).then(function (result) {
      if (ticket !== latest) return null;
      var top = result.results.slice(0, MAX_RESULTS);
      return Promise.all(top.map(function (r) { return r.data(); })).then(function (datas) {
        if (ticket === latest) render(datas, result.results.length);
      });
    }).catch(function () {
      if (ticket === latest) setMeta("Sökningen kunde inte laddas. Kontrollera anslutningen, eller bläddra via startsidan.");
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 120);
  });
  input.addEventListener("focus", open);
  form.addEventListener("reset", function () {
    setTimeout(function () { search(""); input.focus(); }, 0);
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });

  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      clearTimeout(timer);
      var first = list.querySelector("a");
      if (first && input.value.trim()) {
        location.href = first.href;
      } else {
        search(input.value);
      }
    } else if (ev.key === "ArrowDown") {
      var link = list.querySelector("a");
      if (link) { ev.preventDefault(); link.focus(); }
    }
  });

  list.addEventListener("keydown", function (ev) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    if (ev.key === "ArrowDown" && i < links.length - 1) { ev.preventDefault(); links[i + 1].focus(); }
    if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
  });

  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      setTimeout(function () { input.focus(); }, 0);
      if (location.protocol !== "file:") loadPagefind();
    }
  });

  if (opener) {
    opener.addEventListener("click", function (ev) { ev.preventDefault(); open(); });
  }

  document.addEventListener("keydown", function (ev) {
    var target = ev.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (ev.key === "Escape" && toggle.checked) {
      ev.preventDefault();
      close();
      input.blur();
      if (opener && getComputedStyle(opener).display !== "none") opener.focus();
      return;
    }
    if (!typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey && (ev.key === "/" || ev.key === "s" || ev.key === "f")) {
      ev.preventDefault();
      open();
    }
  });
})();
