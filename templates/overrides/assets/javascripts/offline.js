// Offline use: register the service worker on the web; explain when opened from disk.
(function () {
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base.replace(/\/?$/, "/"), location.href);
  if (location.protocol === "file:") {
    document.querySelectorAll(".handbok-offline-note").forEach(function (el) { el.hidden = false; });
    document.documentElement.classList.add("handbok-file");
    return;
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(new URL("sw.js", base).href, { scope: base.pathname }).catch(function () {});
  }
})();
