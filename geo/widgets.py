"""Map widgets for forms and the admin, served from our own static files.

Django's OpenLayersWidget/OSMWidget load OpenLayers from cdn.jsdelivr.net; we serve the same
version from static/vendor/openlayers/ (re-created by scripts/vendor.sh from package-lock.json).
Only the OpenStreetMap tiles come from outside: they are map data, not code.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.forms.widgets import OSMWidget

# The version Django 5.2's OpenLayersWidget was written for; tests compare it with Django's own.
OPENLAYERS_VERSION = "7.2.2"
OPENLAYERS_STATIC_DIR = f"vendor/openlayers/{OPENLAYERS_VERSION}"


class LocalOSMWidget(OSMWidget):
    """OSMWidget with OpenLayers from our static files; an empty map opens on Ufa. Its options
    go into the page as JSON and static/js/map-widget.js starts it: no inline script."""

    template_name = "geo/widgets/osm.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["options_id"] = f"{context['id']}_map_options"
        context["widget_options"] = {
            "geom_name": context["geom_type"],
            "id": context["id"],
            "map_id": f"{context['id']}_map",
            "map_srid": context["map_srid"],
            "name": context["name"],
            "module": context["module"],
            "default_lon": context["default_lon"],
            "default_lat": context["default_lat"],
            "default_zoom": context["default_zoom"],
        }
        return context

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"default_lon": 55.958, "default_lat": 54.735, "default_zoom": 9, **(attrs or {})})

    class Media:
        extend = False  # replace, not add to, the parent's CDN URLs
        css = {"all": (f"{OPENLAYERS_STATIC_DIR}/ol.css", "gis/css/ol3.css")}
        js = (f"{OPENLAYERS_STATIC_DIR}/ol.js", "gis/js/OLMapWidget.js", "js/map-widget.js")
