// Point picker for forms: click the map to fill the longitude and latitude inputs.
// The inputs stay the source of truth (and the accessible way in); the map is a convenience.
(function () {
  "use strict";
  function format(value) {
    return (Math.round(value * 1e6) / 1e6).toFixed(6);
  }
  function init(element) {
    var lonInput = document.getElementById(element.dataset.lonInput);
    var latInput = document.getElementById(element.dataset.latInput);
    if (!lonInput || !latInput || typeof L === "undefined") {
      return;
    }
    var center = element.dataset.center.split(",").map(Number); // "lat,lon"
    var map = L.map(element, { keyboard: true, scrollWheelZoom: false, zoomControl: false, maxZoom: 18 }).setView(
      center,
      Number(element.dataset.zoom)
    );
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { maxZoom: 18 }).addTo(map);
    }
    var ui = document.getElementById(element.dataset.ui);
    if (ui && window.KartaMap) {
      // Russian controls, the credit, and the project's own base when the tiles fail.
      window.KartaMap.localise(map, JSON.parse(ui.textContent));
    }
    var marker = null;
    function place(lat, lon, pan) {
      if (marker) {
        marker.setLatLng([lat, lon]);
      } else {
        marker = L.marker([lat, lon], { keyboard: false }).addTo(map);
      }
      if (pan) {
        map.panTo([lat, lon]);
      }
    }
    function fromInputs() {
      var lon = parseFloat(String(lonInput.value).replace(",", "."));
      var lat = parseFloat(String(latInput.value).replace(",", "."));
      if (isFinite(lon) && isFinite(lat) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
        place(lat, lon, true);
      }
    }
    map.on("click", function (event) {
      lonInput.value = format(event.latlng.lng);
      latInput.value = format(event.latlng.lat);
      place(event.latlng.lat, event.latlng.lng, false);
      var status = document.getElementById(element.dataset.status);
      if (status) {
        status.textContent = status.dataset.template.replace("{lat}", latInput.value).replace("{lon}", lonInput.value);
      }
    });
    lonInput.addEventListener("change", fromInputs);
    latInput.addEventListener("change", fromInputs);
    fromInputs();
  }
  // The picker sits below the form's first fields: it is built when it comes near the view, so
  // Leaflet's set-up and the fallback base do not hold up a phone while the visitor reads the form.
  function whenNear(element) {
    if (!("IntersectionObserver" in window)) {
      init(element);
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          init(element);
        }
      },
      { rootMargin: "300px 0px" }
    );
    observer.observe(element);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-point-picker]").forEach(whenNear);
  });
})();
