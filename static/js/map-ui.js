// Every map of the site (and of the downloaded file): Russian zoom buttons, a metric scale, one
// credit line, and a base map that never leaves a grey box. The texts come from the page's JSON
// data block (`ui`, built by registry/maps/render.py:map_ui), so they follow the page's language.
// Other scripts use window.KartaMap.plural(table, n) for counts («1 сообщество», «5 сообществ»).
(function () {
  "use strict";
  if (typeof L === "undefined") {
    return;
  }
  var FAILED_TILES = 2; // this many errors before any tile loads: the tile server is out of reach

  function plural(table, count) {
    var position = count < 200 ? count : 100 + (count % 100);
    return table.forms[table.index[position]].replace("{n}", String(count));
  }

  function notice(map, text) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var element = L.DomUtil.create("div", "map-notice");
      element.textContent = text;
      return element;
    };
    control.addTo(map);
  }

  // Settlement names are permanent tooltips, one DOM element each: binding all of them (thousands in
  // the home region) cost the phone half a second of layout on every page with a map. Only the
  // names this zoom shows (as the CSS did: none below 8, towns of 20 000+ below 10) and only those
  // near the view get one; the rest are bound when the map moves to them.
  function shownAt(zoom, population) {
    return zoom >= 10 || (zoom >= 8 && population >= 20000);
  }

  function drawBase(map, ui, geojson) {
    if (!map.getPane("base")) {
      map.createPane("base").style.zIndex = 150; // under the overlays (400) and the markers
    }
    var places = [];
    var layer = L.geoJSON(geojson, {
      pane: "base",
      interactive: false,
      style: { color: "#8a8f98", weight: 1, fill: true, fillColor: "#f4f1ea", fillOpacity: 1 },
      pointToLayer: function (feature, latlng) {
        var marker = L.circleMarker(latlng, {
          pane: "base", radius: 3, color: "#5b6068", weight: 1, fillColor: "#fff", fillOpacity: 1, interactive: false,
        });
        places.push(marker);
        return marker;
      },
    });
    layer.addTo(map);
    map.kartaBase = layer; // for the browser tests: what the fallback drew
    function labels() {
      var zoom = map.getZoom();
      var view = map.getBounds().pad(0.25);
      places.forEach(function (marker) {
        var properties = marker.feature.properties;
        var population = properties.population || 0;
        var show = shownAt(zoom, population) && view.contains(marker.getLatLng());
        if (show && !marker.getTooltip()) {
          marker.bindTooltip(properties.name, {
            permanent: true, direction: "right", className: "map-base-label" + (population >= 20000 ? " is-large" : ""),
            interactive: false,
          });
        } else if (!show && marker.getTooltip()) {
          marker.unbindTooltip();
        }
      });
    }
    function zoomClass() {
      var zoom = map.getZoom();
      var container = map.getContainer();
      container.classList.toggle("base-zoom-low", zoom < 8);
      container.classList.toggle("base-zoom-mid", zoom >= 8 && zoom < 10);
    }
    map.on("zoomend", zoomClass);
    map.on("moveend", labels);
    zoomClass();
    labels();
    return layer;
  }

  // Without tiles (none set, or unreachable) the project's own districts and settlements become the base.
  function fallback(map, ui) {
    if (map._kartaFallback) {
      return;
    }
    map._kartaFallback = true;
    map.eachLayer(function (layer) {
      if (layer instanceof L.TileLayer) {
        map.removeLayer(layer);
      }
    });
    map.getContainer().classList.add("map-fallback");
    if (ui.tiles) {
      notice(map, ui.fallback);
    }
    if (ui.base) {
      drawBase(map, ui, ui.base); // the downloaded file carries its own outline
      return;
    }
    if (!ui.base_url || !window.fetch) {
      return;
    }
    fetch(ui.base_url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (geojson) {
        if (geojson) {
          drawBase(map, ui, geojson);
        }
      })
      .catch(function () {});
  }

  function watchTiles(map, ui) {
    var tiles = null;
    map.eachLayer(function (layer) {
      if (layer instanceof L.TileLayer) {
        tiles = layer;
      }
    });
    if (!tiles) {
      fallback(map, ui);
      return;
    }
    var loaded = 0;
    var failed = 0;
    // Tiles asked for before this deferred script ran may have settled already: count them too.
    map.getContainer().querySelectorAll("img.leaflet-tile").forEach(function (image) {
      if (image.complete) {
        if (image.naturalWidth > 0) {
          loaded += 1;
        } else {
          failed += 1;
        }
      }
    });
    if (loaded === 0 && failed >= FAILED_TILES) {
      fallback(map, ui);
      return;
    }
    tiles.on("tileload", function () {
      loaded += 1;
    });
    tiles.on("tileerror", function () {
      failed += 1;
      if (loaded === 0 && failed >= FAILED_TILES) {
        fallback(map, ui);
      }
    });
  }

  // Leaflet's scale writes "km" and "m": the same bar with the units in the page's language.
  var MetricScale = L.Control.Scale.extend({
    _updateMetric: function (maxMeters) {
      var meters = this._getRoundNum(maxMeters);
      var ui = this._map._kartaUi;
      var label = meters < 1000 ? meters + " " + ui.metre : meters / 1000 + " " + ui.kilometre;
      this._updateScale(this._mScale, label, meters / maxMeters);
    },
  });

  function localise(map, ui) {
    if (map._kartaLocalised) {
      return;
    }
    map._kartaLocalised = true;
    map._kartaUi = ui;
    L.control.zoom({ zoomInTitle: ui.zoom_in, zoomOutTitle: ui.zoom_out }).addTo(map);
    new MetricScale({ imperial: false, metric: true }).addTo(map);
    if (map.attributionControl) {
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution(ui.credit);
    }
    watchTiles(map, ui);
  }

  // A layer control's button says what it is in the page's language (Leaflet writes "Layers").
  function nameLayersControl(control, ui) {
    var link = control.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (link) {
      link.title = ui.layers;
      link.setAttribute("aria-label", ui.layers);
    }
  }

  window.KartaMap = { plural: plural, localise: localise, nameLayersControl: nameLayersControl, fallback: fallback };

  // Folium's code for each map waits in window.kartaMaps (templates/registry/maps/map.html) until
  // Leaflet, deferred like this file and before it, is there: the page's text paints first.
  var waiting = window.kartaMaps || [];
  window.kartaMaps = { push: function (build) { build(); } };
  waiting.forEach(function (build) {
    build();
  });

  // Maps drawn by folium announce themselves in their data block: <div data-map-data="id">.
  function start() {
    document.querySelectorAll("[data-map-data]").forEach(function (frame) {
      var source = document.getElementById(frame.dataset.mapData);
      if (!source) {
        return;
      }
      var data = JSON.parse(source.textContent);
      var map = window[data.map];
      if (map && data.ui) {
        localise(map, data.ui);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
