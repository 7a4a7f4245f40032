// Keyboard on the photo page (←/→, Esc, O), the tag filter box, and asking once for the
// visitor's own shuffle seed (pages themselves never set a cookie, so caches can keep them).
// No inline scripts anywhere.
(function () {
  "use strict";
  try {
    if (!window.localStorage.getItem("exiftree-seed")) {
      fetch("/seed", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
        if (r.ok) window.localStorage.setItem("exiftree-seed", "1");
      });
    }
  } catch (e) { /* storage or fetch unavailable: the publish's shuffle it is */ }

  // A page shown under a seed that is not the visitor's own (a first visit) keeps it for
  // the photos it opens, so previous/next follow the grid they saw. Links stay clean in
  // the HTML (crawlers follow those); the seed is added only as a visitor follows one.
  function keepSeed(href) {
    var seed = document.body.dataset.seed;
    if (!seed || !href) return href;
    var url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin || url.searchParams.has("seed")) return href;
    url.searchParams.set("seed", seed);
    return url.pathname + url.search + url.hash;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.card, a.nav, a.back");
    if (link && !event.defaultPrevented) link.setAttribute("href", keepSeed(link.getAttribute("href")));
  }, true);
  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    var photo = document.getElementById("photo");
    if (!photo || typing(event) || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = null;
    if (event.key === "ArrowLeft") target = photo.dataset.prev;
    else if (event.key === "ArrowRight") target = photo.dataset.next;
    else if (event.key === "Escape") target = photo.dataset.back;
    else if (event.key === "o" || event.key === "O") target = photo.dataset.original;
    if (target) {
      event.preventDefault();
      window.location.assign(event.key === "o" || event.key === "O" ? target : keepSeed(target));
    }
  });
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.dataset || !box.dataset.filter) return;
    var needle = box.value.trim().toLowerCase();
    document.querySelectorAll(box.dataset.filter).forEach(function (item) {
      item.hidden = needle !== "" && item.textContent.toLowerCase().indexOf(needle) === -1;
    });
  });
})();
