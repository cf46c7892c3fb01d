"""folium without CDNs: our static Leaflet and markercluster, the configured tiles, and the parts a
page needs (the map's <div> and its script, which the page runs under its CSP nonce).

folium's own templates would load Leaflet, jQuery, Bootstrap and Font Awesome from public CDNs;
these maps use none of jQuery, Bootstrap or Font Awesome, so only Leaflet (and the clusters) are
loaded, from /static/vendor/. No user text reaches folium: popups and tooltips are built in the
browser from JSON with textContent (static/js/community-map.js)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import folium
from branca.element import Figure
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape

LEAFLET = "vendor/leaflet/1.9.4"
CLUSTER = "vendor/leaflet.markercluster/1.5.3"
# The attribution the shipped data requires (fixtures/geo/SOURCES.md), on every map.
DATA_ATTRIBUTION = (
    'Границы © <a href="https://www.openstreetmap.org/copyright">участники OpenStreetMap</a> (ODbL); '
    'населённые пункты: <a href="https://www.geonames.org/">GeoNames</a>, HFLabs'
)


@dataclass(frozen=True)
class MapParts:
    name: str  # the global JS variable folium gives the Leaflet map
    html: str  # the map's <div>
    script: str  # folium's JS (the page wraps it in <script nonce=…>)


def asset_paths(*, clusters: bool) -> tuple[list[str], list[str]]:
    """Static paths of the scripts and stylesheets a map needs."""
    js = [f"{LEAFLET}/leaflet.js"]
    css = [f"{LEAFLET}/leaflet.css"]
    if clusters:
        js.append(f"{CLUSTER}/leaflet.markercluster.js")
        css += [f"{CLUSTER}/MarkerCluster.css", f"{CLUSTER}/MarkerCluster.Default.css"]
    return js, css


def tile_origin() -> str:
    """The tile server's origin for the CSP (a {s} subdomain placeholder becomes a wildcard)."""
    parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


def base_map(
    *, location: tuple[float, float], zoom: int, bounds: tuple[float, ...] | None = None
) -> folium.Map:
    """A folium map on our tiles; assets are the page's business, so folium lists none."""
    figure = folium.Map(
        location=list(location),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=True,
        attribution_control=True,
    )
    figure.default_js = [(name, static(path)) for name, path in (("leaflet", f"{LEAFLET}/leaflet.js"),)]
    figure.default_css = [("leaflet_css", static(f"{LEAFLET}/leaflet.css"))]
    folium.TileLayer(
        tiles=settings.MAP_TILE_URL,
        attr=f"{settings.MAP_TILE_ATTRIBUTION} | {DATA_ATTRIBUTION}",
        name=escape("Подложка"),
        max_zoom=18,
        control=False,
    ).add_to(figure)
    if bounds is not None:
        figure.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return figure


def map_parts(figure: folium.Map) -> MapParts:
    root = cast(Figure, figure.get_root())
    root.render()
    # "</" cannot close the surrounding <script> element: in JS strings "<\/" means the same.
    script = root.script.render().replace("</", "<\\/")
    return MapParts(name=figure.get_name(), html=root.html.render(), script=script)
