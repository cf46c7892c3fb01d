"""GET /tiles/{communities|municipalities}/{z}/{x}/{y}.mvt: Mapbox Vector Tiles, cached by HTTP; and
GET /tiles/{layer}.json: its TileJSON 3.0 (tile URL, zooms, bounds, fields) for QGIS, MapLibre."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from registry.selectors.tiles import CLUSTER_MAX_ZOOM, community_tile, municipality_tile
from registry.services.clusters import cluster_cells_ensure_fresh

MAX_ZOOM = 22
LAYERS = {"communities": community_tile, "municipalities": municipality_tile}
MAX_AGE_S = 300
# The attributes each tile layer carries (what the tile SQL in registry.selectors.tiles selects).
TILE_FIELDS = {
    "communities": {
        "id": "Number", "name": "String", "slug": "String", "sphere": "String", "color": "String",
        "count": f"Number: сообществ в кластере (масштаб до {CLUSTER_MAX_ZOOM})",
        "cluster": "Boolean: точка — кластер",
        "label": "String: подпись кластера («5 сообществ»)",
    },
    "municipalities": {"oktmo": "String", "name": "String", "level": "Number"},
}  # fmt: skip


def _bad(field: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"field": field, "message": message, "code": "tile_invalid"}]}, status=400
    )


@require_safe
def tile_view(request: HttpRequest, layer: str, z: str, x: str, y: str) -> HttpResponse:
    if not z.isdigit() or not 0 <= int(z) <= MAX_ZOOM:
        return _bad("z", _("Масштаб z: целое от 0 до {}").format(MAX_ZOOM))
    zoom = int(z)
    limit = 2**zoom
    for field, value in (("x", x), ("y", y)):
        if not value.isdigit() or int(value) >= limit:
            return _bad(field, _("{}: целое от 0 до {} на масштабе {}").format(field, limit - 1, zoom))
    if layer == "communities" and zoom <= CLUSTER_MAX_ZOOM:
        cluster_cells_ensure_fresh()
    data = LAYERS[layer](z=zoom, x=int(x), y=int(y))
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(data, content_type="application/vnd.mapbox-vector-tile")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_S}"
    response["Access-Control-Allow-Origin"] = "*"  # map viewers on other sites may read public tiles
    return response


@require_safe
def tilejson_view(request: HttpRequest, layer: str) -> JsonResponse:
    """TileJSON 3.0.0 of one tile layer, its URL absolute (behind a proxy too)."""
    from geo.selectors import boundaries_extent

    extent = boundaries_extent()
    document = {
        "tilejson": "3.0.0",
        "name": layer,
        "description": _("Векторные тайлы «Карты сообществ»: {}").format(layer),
        "tiles": [request.build_absolute_uri(f"/tiles/{layer}/") + "{z}/{x}/{y}.mvt"],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": [round(value, 6) for value in extent] if extent else [-180, -85.0511, 180, 85.0511],
        "attribution": "© OpenStreetMap contributors (ODbL)",
        "vector_layers": [{"id": layer, "fields": TILE_FIELDS[layer], "minzoom": 0, "maxzoom": MAX_ZOOM}],
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={MAX_AGE_S}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
