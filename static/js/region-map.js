// The region map: the municipalities come as a cached GeoJSON file (data.geojson_url), coloured by
// their published communities; a click opens the municipality's page (the table beside the map
// does the same for keyboards and screen readers). Names are set as text, never as HTML.
(function () {
  "use strict";
  var source = document.getElementById("region-map-data");
  if (!source || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var map = window[data.map];
  if (!map || !window.fetch) {
    return;
  }

  function tooltip(properties) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = properties.name;
    box.appendChild(name);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(properties.label));
    return box;
  }

  fetch(data.geojson_url, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    })
    .then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        style: function (feature) {
          return {
            fillColor: feature.properties.fill,
            color: data.style.color,
            weight: feature.properties.weight,
            fillOpacity: data.style.fillOpacity,
          };
        },
        onEachFeature: function (feature, shape) {
          shape.bindTooltip(tooltip(feature.properties), { sticky: true });
          shape.on("mouseover", function () {
            shape.setStyle({ weight: 3, color: data.style.highlight });
          });
          shape.on("mouseout", function () {
            layer.resetStyle(shape);
          });
          shape.on("click", function () {
            window.location.assign(feature.properties.url);
          });
        },
      }).addTo(map);
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds());
      }
      window.regionMapReady = { layer: layer };
    })
    .catch(function () {
      window.regionMapReady = { layer: null };
    });
})();
