// Community markers on a municipality map: built in the browser from the JSON data block that the
// page carries (<script type="application/json" id="community-map-data">), clustered, one layer per
// sphere. Every text (names, settlements) is set with textContent: nothing typed by a person is
// ever parsed as HTML or run as code.
(function () {
  "use strict";
  var source = document.getElementById("community-map-data");
  if (!source || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var map = window[data.map];
  if (!map) {
    return;
  }

  function icon(sphere, approximate) {
    var element = document.createElement("span");
    element.className = approximate ? "community-marker community-marker-approximate" : "community-marker";
    element.style.backgroundColor = sphere.color;
    element.textContent = sphere.letter;
    return L.divIcon({ html: element, className: "community-marker-wrap", iconSize: [22, 22], iconAnchor: [11, 11] });
  }

  function text(tag, value, className) {
    var element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    element.textContent = value;
    return element;
  }

  function popupContent(info) {
    var box = document.createElement("div");
    box.className = "community-popup";
    var title = document.createElement("a");
    title.href = info.url;
    title.textContent = info.name;
    title.className = "community-popup-name";
    box.appendChild(title);
    box.appendChild(text("div", info.sphere));
    if (info.settlement) {
      box.appendChild(text("div", info.settlement));
    }
    if (info.members !== null && info.members !== undefined) {
      box.appendChild(text("div", info.members + " " + data.labels.members));
    }
    if (info.place) {
      box.appendChild(text("div", info.place, "community-popup-place"));
    }
    return box;
  }

  function openPopup(marker, id) {
    var offline = data.popups && data.popups[String(id)];
    if (offline) {
      marker.bindPopup(popupContent(offline)).openPopup();
      return;
    }
    marker.bindPopup(text("div", data.labels.loading)).openPopup();
    fetch(data.popup_url.replace("{id}", String(id)), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (info) {
        marker.setPopupContent(popupContent(info));
      })
      .catch(function () {
        marker.setPopupContent(text("div", data.labels.failed));
      });
  }

  var groups = data.spheres.map(function () {
    return L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 });
  });
  var icons = data.spheres.map(icon);
  var approximateIcons = data.spheres.map(function (sphere) {
    return icon(sphere, true);
  });
  // A place known only to its settlement is drawn as a soft circle around the settlement's point
  // (a pin there would read as an address); a municipality's is the outline already on the map.
  var areas = L.layerGroup().addTo(map);
  data.points.forEach(function (point) {
    var approximate = point[4] > 0;
    if (point[4] === 1) {
      L.circle([point[1], point[0]], {
        radius: data.settlement_radius_m, color: data.spheres[point[2]].color, weight: 1,
        dashArray: "4 4", fillOpacity: 0.12, interactive: false
      }).addTo(areas);
    }
    var marker = L.marker([point[1], point[0]], {
      icon: approximate ? approximateIcons[point[2]] : icons[point[2]], keyboard: false
    });
    marker.on("click", function () {
      openPopup(marker, point[3]);
    });
    groups[point[2]].addLayer(marker);
  });

  var overlays = {};
  data.spheres.forEach(function (sphere, position) {
    if (groups[position].getLayers().length === 0) {
      return;
    }
    groups[position].addTo(map);
    var label = document.createElement("span");
    var swatch = document.createElement("span");
    swatch.className = "community-marker community-marker-small";
    swatch.style.backgroundColor = sphere.color;
    swatch.textContent = sphere.letter;
    label.appendChild(swatch);
    label.appendChild(document.createTextNode(" " + sphere.name));
    // The layer control takes HTML: a serialised element built from text nodes, names escaped.
    overlays[label.outerHTML] = groups[position];
  });
  if (Object.keys(overlays).length) {
    L.control.layers(null, overlays, { collapsed: true }).addTo(map);
  }
  window.communityMapReady = { markers: data.points.length, groups: groups };
})();
