"""Public pages of places: the region overview, a municipality, the about page; and the health check."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


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
