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
      window.location.assign(target);
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
