"""Public pages of places: the region overview, a municipality, the about page; and the health check."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import condition, require_safe

from geo.basemap import base_layers_json, geodata_version


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "geo/about.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and has PostGIS; 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            (postgis,) = cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "postgis": postgis})


@require_safe
@cache_control(public=True, max_age=24 * 3600)
@condition(etag_func=lambda request: geodata_version())
def map_base_layers(request: HttpRequest) -> HttpResponse:
    """The fallback base map's districts and settlements (GeoJSON; 304 while the geodata is the same)."""
    return HttpResponse(
        base_layers_json(version=geodata_version()), content_type="application/geo+json; charset=utf-8"
    )
