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
  var openers = Array.prototype.slice.call(document.querySelectorAll("[data-handbok-search-open]"));
  var opener = openers[0];  // the header's search button: focus returns there when the search closes
  var PAGE_SIZE = 10;
  // Routines first: each page has a rank (routines, reference, background; generators/render/site.py PAGE_KINDS).
  // The build lists the pages that are not routines, by Pagefind's id, with each rank's weight
  // (search-ranks.json, generators/finish.py). Pagefind's score is multiplied by the weight, so a routine that
  // matches outranks a background page that matches about as well, while a much better match (the unit page for
  // "socialjour") still comes first.
  var pagefind = null;
  var vocabulary = null;
  var latest = 0;
  var shown = [];   // the ranked results of the current query
  var more = null;  // the "Visa fler" button

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
    var ranks = fetch(new URL("search-ranks.json", base).href).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
    var engine = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
      return pf.options({ baseUrl: base.pathname, excerptLength: 24 }).then(function () { return pf; });
    });
    pagefind = Promise.all([engine, ranks]).then(function (both) {
      var weightOf = {};
      Object.keys(both[1].ranks).forEach(function (rank) {
        both[1].ranks[rank].forEach(function (id) { weightOf[id] = both[1].weights[rank]; });
      });
      return { pf: both[0], weight: function (id) { return id in weightOf ? weightOf[id] : both[1].weights["1"]; } };
    });
    pagefind.catch(function () { pagefind = null; });  // try again at the next query (the network may be back)
    return pagefind;
  }

  function ranked(engine, query) {
    return engine.pf.search(query).then(function (result) {
      var all = result.results.map(function (r, i) { return { r: r, score: r.score * engine.weight(r.id), i: i }; });
      all.sort(function (x, y) { return y.score - x.score || x.i - y.i; });
      return all.map(function (x) { return x.r; });
    });
  }

  // The site's own words, for "Menade du …?" (written at build time by generators/publish.py).
  function loadVocabulary() {
    if (vocabulary) return vocabulary;
    vocabulary = fetch(new URL("search-vocabulary.json", base).href).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
    vocabulary.catch(function () { vocabulary = null; });
    return vocabulary;
  }

  // Optimal string alignment distance (Levenshtein plus swapped neighbours), stopping early above max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  // The closest known word for each unknown word of the query; null when every word is known.
  function suggest(query, words) {
    var known = {};
    words.forEach(function (w) { known[w[0]] = true; });
    var changed = false;
    var out = query.toLowerCase().split(/\s+/).map(function (token) {
      if (token.length < 4 || known[token] || !/^[a-zåäöéü-]+$/.test(token)) return token;
      var max = token.length <= 5 ? 1 : 2, best = null, bestD = max + 1;
      for (var k = 0; k < words.length && bestD > 0; k++) {  // most frequent first: ties go to the common word
        var d = distance(token, words[k][0], bestD - 1);
        if (d < bestD) { bestD = d; best = words[k][0]; }
      }
      if (best && bestD <= max) { changed = true; return best; }
      return token;
    });
    return changed ? out.join(" ") : null;
  }

  function countText(n) {
    if (n === 0) {
      if (navigator.onLine === false) return "Inga sökresultat i den sparade kopian av handboken. Du är offline; sök igen när du har anslutning, eller välj situation på startsidan.";
      return "Inga sökresultat. Prova ett annat ord, eller välj situation på startsidan.";
    }
    if (n === 1) return "1 sökresultat";
    return n + " sökresultat";
  }

  function failText() {
    if (navigator.onLine === false) return "Du är offline, och sökningen finns inte sparad på den här enheten än. Bläddra via startsidan och menyn; alla sidor du har öppnat finns kvar.";
    return "Sökningen kunde inte laddas. Kontrollera anslutningen, eller bläddra via startsidan.";
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("p");
    title.className = "handbok-result-title";
    var kind = data.meta && data.meta.kind;
    if (kind) {
      var label = document.createElement("span");
      label.className = "handbok-result-kind";
      label.textContent = kind;
      title.appendChild(label);
      title.appendChild(document.createTextNode(" "));
    }
    title.appendChild(document.createTextNode((data.meta && data.meta.title) || data.url));
    var excerpt = document.createElement("p");
    excerpt.className = "handbok-result-excerpt";
    // Pagefind escapes page text in excerpts and adds only <mark> around hits.
    excerpt.innerHTML = data.excerpt;
    article.appendChild(title);
    article.appendChild(excerpt);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function showMore(ticket) {
    var from = list.children.length;
    var next = shown.slice(from, from + PAGE_SIZE);
    if (more) { more.remove(); more = null; }
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
      if (ticket !== latest) return;
      datas.forEach(function (d) { list.appendChild(item(d)); });
      var left = shown.length - list.children.length;
      if (left > 0) {
        more = document.createElement("button");
        more.type = "button";
        more.className = "md-button handbok-search-more";
        more.textContent = "Visa fler (" + left + " till)";
        more.addEventListener("click", function () {
          var first = list.children.length;
          showMore(ticket).then(function () {
            var link = list.children[first] && list.children[first].querySelector("a");
            if (link) link.focus();
          });
        });
        list.parentNode.appendChild(more);
      }
    });
  }

  function showSuggestion(query, total, ticket) {
    if (total >= 5) return;
    loadVocabulary().then(function (words) {
      if (ticket !== latest) return;
      var better = suggest(query, words);
      if (!better) return;
      var p = document.createElement("p");
      p.className = "handbok-search-suggestion";
      p.appendChild(document.createTextNode("Menade du "));
      var b = document.createElement("button");
      b.type = "button";
      b.className = "handbok-search-suggestion__word";
      b.textContent = better;
      b.addEventListener("click", function () { input.value = better; search(better); input.focus(); });
      p.appendChild(b);
      p.appendChild(document.createTextNode("?"));
      meta.parentNode.insertBefore(p, list);
    }).catch(function () {});
  }

  function clear() {
    list.textContent = "";
    shown = [];
    if (more) { more.remove(); more = null; }
    var old = root.querySelector(".handbok-search-suggestion");
    if (old) old.remove();
  }

  function search(query) {
    var ticket = ++latest;
    query = query.trim();
    clear();
    delete meta.dataset.query;
    if (!query) {
      setMeta("Skriv sökord");
      return;
    }
    if (location.protocol === "file:") {
      setMeta("Sökningen fungerar inte när handboken öppnas som fil från disken. Välj situation på startsidan eller använd menyn.");
      return;
    }
    setMeta("Söker …");
    loadPagefind().then(function (engine) {
      return ranked(engine, query);
    }).then(function (results) {
      if (ticket !== latest) return null;
      shown = results;
      return showMore(ticket).then(function () {
        if (ticket !== latest) return;
        meta.dataset.query = query;  // which query the results are for (they replace those of the letters before)
        setMeta(countText(results.length));
        showSuggestion(query, results.length, ticket);
      });
    }).catch(function () {
      if (ticket === latest) { clear(); setMeta(failText()); }
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

  openers.forEach(function (button) {
    button.addEventListener("click", function (ev) { ev.preventDefault(); open(); });
  });

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
