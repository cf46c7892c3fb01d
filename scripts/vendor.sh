#!/usr/bin/env bash
# Re-creates the vendored front-end files in static/vendor/ from package-lock.json. The copies are
# committed, so `make install` needs no npm; run this only to verify them or to change a version.
# OpenLayers is pinned to the version Django's GeoDjango widgets were written for (OpenLayersWidget
# loads ol@7.2.2 from a CDN; geo/widgets.py serves these copies instead).
set -euo pipefail
cd "$(dirname "$0")/.."

OL_VERSION="$(node -p 'require("./package-lock.json").packages["node_modules/ol"].version')"
npm ci --no-audit --no-fund --ignore-scripts

target="static/vendor/openlayers/${OL_VERSION}"
rm -rf "$target"
mkdir -p "$target"
# ol.js ends with a sourceMappingURL comment; the map ships too, or collectstatic's manifest
# storage refuses the missing file.
cp node_modules/ol/dist/ol.js node_modules/ol/dist/ol.js.map node_modules/ol/ol.css "$target/"
cp node_modules/ol/LICENSE.md "$target/LICENSE.md"
# dist/ol.js bundles some of ol's dependencies without their license comments: list them all.
node -e '
const lock = require("./package-lock.json").packages;
const lines = Object.entries(lock).filter(([path]) => path && path !== "node_modules/leaflet" && path !== "node_modules/leaflet.markercluster").map(
  ([path, info]) => `${path.replace(/^node_modules\//, "")}@${info.version} ${info.license || "see package"}`);
console.log("Packages installed with ol (package-lock.json); dist/ol.js bundles some of them.\n");
console.log(lines.sort().join("\n"));
' >"$target/DEPENDENCIES.txt"
echo "static/vendor/openlayers/${OL_VERSION}: $(cd "$target" && ls | tr '\n' ' ')"

# Leaflet: the map library of every public map and of the point picker on forms.
LEAFLET_VERSION="$(node -p 'require("./package-lock.json").packages["node_modules/leaflet"].version')"
target="static/vendor/leaflet/${LEAFLET_VERSION}"
rm -rf "$target"
mkdir -p "$target"
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css \
  node_modules/leaflet/dist/images "$target/"
cp node_modules/leaflet/LICENSE "$target/LICENSE"
echo "static/vendor/leaflet/${LEAFLET_VERSION}: $(cd "$target" && ls | tr '\n' ' ')"

# Leaflet.markercluster: client-side clustering of the community markers (its .js names its .map:
# the map ships too, or collectstatic's manifest storage refuses the missing file).
CLUSTER_VERSION="$(node -p 'require("./package-lock.json").packages["node_modules/leaflet.markercluster"].version')"
target="static/vendor/leaflet.markercluster/${CLUSTER_VERSION}"
rm -rf "$target"
mkdir -p "$target"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
  node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map node_modules/leaflet.markercluster/dist/MarkerCluster.css \
  node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$target/"
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt "$target/LICENSE" 2>/dev/null \
  || cp node_modules/leaflet.markercluster/LICENSE* "$target/"
echo "static/vendor/leaflet.markercluster/${CLUSTER_VERSION}: $(cd "$target" && ls | tr '\n' ' ')"
