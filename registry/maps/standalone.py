"""The downloaded map file (/m/<slug>/map.html) must work opened from disk, with no site and no
network: every asset is inlined (Leaflet's own images as data: URLs, not `images/layers.png`
relative to a file:// page), every link names the site (a relative `/c/…` would become
`file:///c/…`), and the municipality's outline travels with it as the base drawn when tiles fail."""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Callable
from typing import Any

from django.contrib.staticfiles import finders

from registry.maps.render import CLUSTER, LEAFLET

_CSS_URL = re.compile(r"url\((?!['\"]?(?:data:|#|https?:))['\"]?([^)'\"]+)['\"]?\)")
_MEDIA_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif", ".woff2": "font/woff2"}


def _static_path(path: str) -> str:
    found = finders.find(path)
    if not found or isinstance(found, list):
        raise FileNotFoundError(path)
    return str(found)


def _data_url(path: str) -> str:
    suffix = path[path.rfind(".") :]
    with open(_static_path(path), "rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{_MEDIA_TYPES[suffix]};base64,{encoded}"


def inline_text(path: str) -> str:
    """A static script or stylesheet as text that cannot close the element it is put in. A
    stylesheet's relative url(…) (Leaflet's layer and marker images) becomes a data: URL."""
    with open(_static_path(path), encoding="utf-8") as handle:
        text = handle.read()
    if path.endswith(".css"):
        folder = path.rsplit("/", 1)[0]
        text = _CSS_URL.sub(lambda match: f'url("{_data_url(f"{folder}/{match.group(1)}")}")', text)
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


def standalone_assets() -> dict[str, str]:
    """The scripts and styles of the map file, by the names its template uses."""
    return {
        "leaflet_js": inline_text(f"{LEAFLET}/leaflet.js"),
        "leaflet_css": inline_text(f"{LEAFLET}/leaflet.css"),
        "cluster_js": inline_text(f"{CLUSTER}/leaflet.markercluster.js"),
        "cluster_css": inline_text(f"{CLUSTER}/MarkerCluster.css")
        + inline_text(f"{CLUSTER}/MarkerCluster.Default.css"),
        "map_ui_js": inline_text("js/map-ui.js"),
        "map_js": inline_text("js/community-map.js"),
        "map_css": inline_text("css/maps.css"),
    }


def standalone_data(
    *, data: dict[str, Any], absolute: Callable[[str], str], base: dict[str, Any]
) -> dict[str, Any]:
    """The map's data block for the file: links made absolute by `absolute` (the request's
    build_absolute_uri), the outline `base` inlined. The cached `data` is left as it was."""
    result = copy.deepcopy(data)
    for popup in result.get("popups", {}).values():
        popup["url"] = absolute(popup["url"])
    result["popup_url"] = absolute(result["popup_url"])
    ui = result["ui"]
    ui["base_url"] = absolute(ui["base_url"])
    ui["base"] = base
    return result
