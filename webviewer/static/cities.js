// The places map: one circle per city, its area growing with the photo count.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("map");
    var data = document.getElementById("markers");
    if (!el || !data || typeof L === "undefined") return;
    var markers = JSON.parse(data.textContent);
    var map = L.map(el, { scrollWheelZoom: false, worldCopyJump: true });
    L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 12,
      attribution: "&copy; OpenStreetMap contributors",
    }).addTo(map);
    var bounds = [];
    markers.forEach(function (m) {
      var circle = L.circleMarker([m.lat, m.lon], {
        radius: m.radius, color: "#e8b04b", weight: 1, fillColor: "#e8b04b", fillOpacity: 0.45,
      }).addTo(map);
      var label = document.createElement("span");
      label.textContent = m.name + " · " + m.count;  // text, never HTML: names come from data
      circle.bindTooltip(label);
      circle.on("click", function () { window.location.assign(m.url); });
      bounds.push([m.lat, m.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 });
    else map.setView([20, 0], 2);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
