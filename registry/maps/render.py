"""folium without CDNs: our static Leaflet and markercluster, the configured tiles, and the parts a
page needs (the map's <div> and its script, which the page runs under its CSP nonce).

folium's own templates would load Leaflet, jQuery, Bootstrap and Font Awesome from public CDNs;
these maps use none of jQuery, Bootstrap or Font Awesome, so only Leaflet (and the clusters) are
loaded, from /static/vendor/. No user text reaches folium: popups and tooltips are built in the
browser from JSON with textContent (static/js/community-map.js)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import folium
from branca.element import Figure
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LEAFLET = "vendor/leaflet/1.9.4"
CLUSTER = "vendor/leaflet.markercluster/1.5.3"
# Plural forms in every language we ship depend on n % 100 only (Russian: 1, 2–4, 5–20, 21 …):
# a table for 0..199 gives the browser the right form of any count without a plural rule of its own.
PLURAL_TABLE_SIZE = 200


def data_credit() -> str:
    """The attribution the shipped data requires (fixtures/geo/SOURCES.md), short enough for one
    line on a phone: OpenStreetMap (boundaries, and the tiles when they are OSM's), GeoNames, HFLabs."""
    return str(
        format_html(
            '© <a href="https://www.openstreetmap.org/copyright">{}</a>, '
            '<a href="https://www.geonames.org/">GeoNames</a>, '
            '<a href="https://github.com/hflabs/city">HFLabs</a>',
            _("участники OpenStreetMap"),
        )
    )


def map_credit() -> str:
    """One credit line: the tile server's own attribution (when it is not OpenStreetMap's, which
    data_credit already gives) and the data's."""
    tiles = settings.MAP_TILE_ATTRIBUTION.strip() if settings.MAP_TILE_URL else ""
    if "openstreetmap.org/copyright" in tiles:
        tiles = ""
    return f"{tiles} · {data_credit()}" if tiles else data_credit()


def plural_table(forms: Callable[[int], str]) -> dict[str, list[Any]]:
    """`forms(n)` for n in 0..199 as distinct texts plus an index per n; the browser takes
    index[n < 200 ? n : 100 + n % 100] and puts the number in place of %(count)s."""
    texts: list[str] = []
    index: list[int] = []
    for number in range(PLURAL_TABLE_SIZE):
        text = forms(number)
        if text not in texts:
            texts.append(text)
        index.append(texts.index(text))
    return {"forms": texts, "index": index}


def map_ui() -> dict[str, Any]:
    """What static/js/map-ui.js needs on every map: Russian control titles, the credit, plural
    tables, and where the fallback base layers are (drawn when tiles fail or none are set)."""
    return {
        "zoom_in": _("Приблизить"),
        "zoom_out": _("Отдалить"),
        "layers": _("Слои: сферы сообществ"),
        "metre": _("м"),
        "kilometre": _("км"),
        "credit": map_credit(),
        "tiles": bool(settings.MAP_TILE_URL),
        "base_url": reverse("map-base-layers"),
        "fallback": _("Подложка недоступна: показаны границы и населённые пункты"),
        "communities": plural_table(
            lambda n: ngettext("%(count)s сообщество", "%(count)s сообществ", n) % {"count": "{n}"}
        ),
        "members": plural_table(
            lambda n: ngettext("%(count)s участник", "%(count)s участников", n) % {"count": "{n}"}
        ),
    }


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
    if not settings.MAP_TILE_URL:
        return ""
    parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


def base_map(
    *, location: tuple[float, float], zoom: int, bounds: tuple[float, ...] | None = None
) -> folium.Map:
    """A folium map on our tiles (none when MAP_TILE_URL is empty); assets are the page's business,
    so folium lists none. The zoom buttons, the metric scale and the credit are added in the
    browser by map-ui.js, in the page's language (Leaflet's own are English, the scale imperial)."""
    figure = folium.Map(
        location=list(location),
        zoom_start=zoom,
        tiles=None,
        control_scale=False,
        zoom_control=False,
        prefer_canvas=True,
        attribution_control=True,
    )
    figure.options["max_zoom"] = 18  # the clusters need it when no tile layer gives one (fallback base)
    figure.default_js = [(name, static(path)) for name, path in (("leaflet", f"{LEAFLET}/leaflet.js"),)]
    figure.default_css = [("leaflet_css", static(f"{LEAFLET}/leaflet.css"))]
    if settings.MAP_TILE_URL:
        folium.TileLayer(
            tiles=settings.MAP_TILE_URL,
            attr=" ",  # the credit line is map_credit(), set once by map-ui.js
            name="tiles",
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


# The embed keeps its credit and list link in view from 300 px up (static/css/embed.css).
EMBED_HEIGHTS = (300, 400, 480, 600)
EMBED_DEFAULT_HEIGHT = 480


def embed_snippet(*, url: str, title: str, height: int | str) -> str:
    """The <iframe> a municipal website pastes, as plain text (the page escapes it once more to show
    it); `height` may be "{height}", which the snippet generator (static/js/site.js) fills in."""
    return (
        f'<iframe src="{escape(url)}" width="100%" height="{escape(height)}" style="border:0"'
        f' title="{escape(title)}" loading="lazy"></iframe>'
    )
