// Starts Django's OpenLayers map widgets (gis/js/OLMapWidget.js) from their JSON options, so that
// the admin needs no inline script under the site's Content-Security-Policy.
(function () {
  "use strict";
  function start() {
    document.querySelectorAll("script[id$='_map_options']").forEach(function (element) {
      var options = JSON.parse(element.textContent);
      options.base_layer = new ol.layer.Tile({ source: new ol.source.OSM() });
      window[options.module] = new MapWidget(options);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
