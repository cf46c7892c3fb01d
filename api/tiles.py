"""GET /tiles/{communities|municipalities}/{z}/{x}/{y}.mvt: Mapbox Vector Tiles, cached by HTTP."""

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
