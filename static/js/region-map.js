// The region map: a click on a municipality opens its page (the table beside the map does the same
// for keyboards and screen readers).
(function () {
  "use strict";
  var source = document.getElementById("region-map-data");
  if (!source || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var layer = window[data.layer];
  if (!layer) {
    return;
  }
  layer.eachLayer(function (shape) {
    shape.on("click", function () {
      window.location.assign(shape.feature.properties.url);
    });
  });
  window.regionMapReady = true;
})();
