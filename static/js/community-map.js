// Community markers on a municipality map, built in the browser from the page's JSON data block
// (<script type="application/json" id="community-map-data">). One cluster layer for every sphere,
// so communities of different spheres at one place gather in one cluster («5 сообществ»); the
// sphere checkboxes of the layer control filter that one layer. Communities at the very same point
// become one marker whose popup lists them all (links: mouse, touch and keyboard alike).
// Every text (names, settlements) is set with textContent: nothing typed by a person is ever parsed
// as HTML or run as code.
(function () {
  "use strict";
  var source = document.getElementById("community-map-data");
  if (!source || typeof L === "undefined" || !window.KartaMap) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var map = window[data.map];
  if (!map) {
    return;
  }
  var ui = data.ui;
  var plural = window.KartaMap.plural;
  var LIST_LIMIT = 50; // a popup lists this many; the page's list has them all
  // point: [lon, lat, sphere position, community id, precision?]; precision is "exact" when absent
  var LON = 0;
  var LAT = 1;
  var SPHERE = 2;
  var ID = 3;
  var PRECISION = 4;

  function text(tag, value, className) {
    var element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    element.textContent = value;
    return element;
  }

  function sphereIcon(sphere) {
    var element = text("span", sphere.letter, "community-marker");
    element.style.backgroundColor = sphere.color;
    return L.divIcon({ html: element, className: "community-marker-wrap", iconSize: [22, 22], iconAnchor: [11, 11] });
  }

  function stackIcon(count) {
    var element = text("span", String(count), "community-marker community-marker-stack");
    return L.divIcon({ html: element, className: "community-marker-wrap", iconSize: [26, 26], iconAnchor: [13, 13] });
  }

  // Clusters: the count on the disc, the words («5 сообществ») for screen readers and as a tooltip.
  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var words = plural(ui.communities, count);
    var inner = document.createElement("div");
    inner.title = words;
    inner.appendChild(text("span", String(count))).setAttribute("aria-hidden", "true");
    inner.appendChild(text("span", words, "visually-hidden"));
    return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
  }

  function fetchInfo(id) {
    var offline = data.popups && data.popups[String(id)];
    if (offline) {
      return Promise.resolve(offline);
    }
    return fetch(data.popup_url.replace("{id}", String(id)), { headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      }
    );
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
      box.appendChild(text("div", plural(ui.members, info.members)));
    }
    if (info.place) {
      box.appendChild(text("div", info.place, "community-popup-place"));
    }
    return box;
  }

  function listContent(points, infos) {
    var box = document.createElement("div");
    box.className = "community-popup";
    box.appendChild(text("strong", plural(ui.communities, points.length) + " " + data.labels.here));
    var list = document.createElement("ul");
    list.className = "community-popup-list";
    infos.forEach(function (info, position) {
      var item = document.createElement("li");
      var swatch = text("span", "", "community-popup-swatch");
      swatch.style.backgroundColor = data.spheres[points[position][SPHERE]].color;
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      if (info) {
        var link = document.createElement("a");
        link.href = info.url;
        link.textContent = info.name;
        item.appendChild(link);
        item.appendChild(text("span", " — " + info.sphere, "muted"));
      } else {
        item.appendChild(text("span", data.labels.failed));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    if (points.length > LIST_LIMIT) {
      box.appendChild(text("p", data.labels.more.replace("{n}", String(points.length - LIST_LIMIT))));
    }
    return box;
  }

  // Leaflet opens a bound popup on a click and on Enter; its content is filled when it opens.
  // Opened from the keyboard, the popup takes the focus to its first link.
  function fill(marker, points) {
    var shown = points.slice(0, LIST_LIMIT);
    var requests = shown.map(function (point) {
      return fetchInfo(point[ID]).catch(function () {
        return null;
      });
    });
    Promise.all(requests).then(function (infos) {
      if (points.length === 1) {
        marker.setPopupContent(infos[0] ? popupContent(infos[0]) : text("div", data.labels.failed));
      } else {
        marker.setPopupContent(listContent(shown, infos));
      }
      var element = marker.getPopup().getElement();
      var close = element && element.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", data.labels.close);
        close.title = data.labels.close;
      }
      var link = element && element.querySelector(".leaflet-popup-content a");
      if (link && marker._kartaKeyboard) {
        link.focus();
      }
    });
  }

  // A community not drawn at its exact place (hidden, or known only to its settlement or district)
  // gets a soft circle sized to its precision with a caption beside its marker; its popup says so.
  // The fifth number of a point (registry.selectors.maps.PRECISION_CODES).
  var PRECISION_NAMES = ["exact", "settlement", "municipality"];
  var APPROXIMATE_RADIUS_M = { settlement: data.settlement_radius_m || 1500, municipality: 6000 };
  function approximateLayer(point) {
    var precision = PRECISION_NAMES[point[PRECISION]];
    var sphere = data.spheres[point[SPHERE]];
    var radius = APPROXIMATE_RADIUS_M[precision] || APPROXIMATE_RADIUS_M.settlement;
    var circle = L.circle([point[LAT], point[LON]], {
      radius: radius, color: sphere.color, weight: 1, opacity: 0.6, fillColor: sphere.color, fillOpacity: 0.12,
      interactive: false,
    });
    var caption = precision === "municipality" ? data.labels.hidden_municipality : data.labels.hidden_settlement;
    if (caption) {
      circle.bindTooltip(caption, { direction: "top", className: "map-approximate-label" });
    }
    return circle;
  }

  function markerFor(points) {
    var first = points[0];
    var icon = points.length === 1 ? icons[first[SPHERE]] : stackIcon(points.length);
    var marker = L.marker([first[LAT], first[LON]], {
      icon: icon,
      keyboard: true,
      title: points.length === 1 ? data.spheres[first[SPHERE]].name : plural(ui.communities, points.length),
    });
    // the content is made when the popup first opens: a district of thousands draws no DOM for it
    marker.bindPopup(
      function () {
        return text("div", data.labels.loading);
      },
      { maxWidth: 320, autoPanPadding: [20, 20] }
    );
    marker.on("click", function () {
      marker._kartaKeyboard = false;
    });
    marker.on("keypress", function () {
      marker._kartaKeyboard = true;
    });
    marker.on("popupopen", function () {
      fill(marker, points);
    });
    return marker;
  }

  var icons = data.spheres.map(sphereIcon);
  var active = data.spheres.map(function () {
    return true;
  });
  var cluster = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    iconCreateFunction: clusterIcon,
  });
  var approximate = L.layerGroup();

  // Markers for the spheres switched on: one per distinct point, so a shared point is one marker.
  // A district of thousands is drawn a slice at a time (the first at once), yielding between
  // slices so that a phone's main thread is never held long; a newer draw (a sphere switched)
  // stops an older one. `done(places)` runs once every marker is in.
  var SLICE = 300;
  var drawing = 0;
  function draw(done) {
    var generation = ++drawing;
    var places = {};
    var order = [];
    cluster.clearLayers();
    approximate.clearLayers();
    data.points.forEach(function (point) {
      if (!active[point[SPHERE]]) {
        return;
      }
      var key = point[LON] + "," + point[LAT];
      if (!places[key]) {
        places[key] = [];
        order.push(key);
      }
      places[key].push(point);
      // a settlement's circle; a place known only to its district gets none (the whole map is the
      // district), its popup says so
      if (point.length > PRECISION && point[PRECISION] === 1) {
        approximate.addLayer(approximateLayer(point));
      }
    });
    var start = 0;
    function slice() {
      if (generation !== drawing) {
        return;
      }
      cluster.addLayers(
        order.slice(start, start + SLICE).map(function (key) {
          return markerFor(places[key]);
        })
      );
      start += SLICE;
      if (start < order.length) {
        setTimeout(slice, 0);
      } else if (done) {
        done(order.length);
      }
    }
    slice();
    return order.length;
  }

  approximate.addTo(map);
  cluster.addTo(map);

  // The layer control: a checkbox per sphere present; each filters the one cluster layer.
  var overlays = {};
  var switches = [];
  data.spheres.forEach(function (sphere, position) {
    var present = data.points.some(function (point) {
      return point[SPHERE] === position;
    });
    if (!present) {
      return;
    }
    var label = document.createElement("span");
    var swatch = text("span", sphere.letter, "community-marker community-marker-small");
    swatch.style.backgroundColor = sphere.color;
    label.appendChild(swatch);
    label.appendChild(document.createTextNode(" " + sphere.name));
    var handle = L.layerGroup(); // empty: stands for the sphere in the control
    handle._kartaSphere = position;
    handle.addTo(map);
    switches.push(handle);
    // The layer control takes HTML: a serialised element built from text nodes, names escaped.
    overlays[label.outerHTML] = handle;
  });
  function toggled(event) {
    if (event.layer._kartaSphere === undefined) {
      return;
    }
    active[event.layer._kartaSphere] = event.type === "overlayadd";
    draw();
  }
  map.on("overlayadd", toggled);
  map.on("overlayremove", toggled);
  if (switches.length) {
    var control = L.control.layers(null, overlays, { collapsed: true }).addTo(map);
    window.KartaMap.nameLayersControl(control, ui);
  }
  draw(function (places) {
    window.communityMapReady = { markers: data.points.length, places: places, cluster: cluster, redraw: draw };
  });
})();
