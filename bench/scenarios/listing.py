"""Scenario 1, the public list in a bounding box: our endpoint against the raw SQL floor, stock
DRF-GIS and pygeoapi over HTTP."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.gis.geos import Polygon
from django.db import connection
from django.test import Client
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from bench.figures import Context, Figure
from bench.scenarios.client import get, route_exists
from bench.scenarios.pygeoapi_server import pygeoapi_server
from bench.serving import http_get, server
from bench.timing import measure
from registry.models import Community
from registry.publication import public_q

UFA_CENTRE = (55.958, 54.735)


def _count_public_in(bbox: tuple[float, float, float, float]) -> int:
    return Community.objects.filter(public_q(), public_point__bboverlaps=Polygon.from_bbox(bbox)).count()


def _bbox_with(target: int) -> tuple[tuple[float, float, float, float], int]:
    """A box around central Ufa holding about `target` public communities (bisection on its size)."""
    low, high = 0.001, 8.0
    best = (UFA_CENTRE[0] - high, UFA_CENTRE[1] - high / 2, UFA_CENTRE[0] + high, UFA_CENTRE[1] + high / 2)
    found = _count_public_in(best)
    for _ in range(30):
        half = (low + high) / 2
        bbox = (
            UFA_CENTRE[0] - half,
            UFA_CENTRE[1] - half / 2,
            UFA_CENTRE[0] + half,
            UFA_CENTRE[1] + half / 2,
        )
        count = _count_public_in(bbox)
        best, found = bbox, count
        if abs(count - target) <= max(1, target // 50):
            break
        if count > target:
            high = half
        else:
            low = half
    return best, found


FLOOR_FEATURE = """json_build_object(
    'type', 'Feature', 'id', c.id, 'geometry', ST_AsGeoJSON(c.public_point, 6)::json,
    'properties', json_build_object(
        'id', c.id, 'slug', c.slug, 'name', c.name, 'sphere', s.code, 'form', c.form,
        'municipality', m.oktmo, 'municipality_name', m.name, 'members_count', c.members_count,
        'founded_year', c.founded_year, 'location_precision', c.public_precision))"""
FLOOR_FROM = """FROM registry_community c
JOIN registry_sphere s ON s.id = c.sphere_id
JOIN geo_municipality m ON m.id = c.municipality_id
WHERE c.status = 'verified' AND c.verified_until >= current_date"""


def _floor_bbox(bbox: tuple[float, float, float, float]) -> Callable[[], object]:
    sql = (
        "SELECT json_build_object('type', 'FeatureCollection', 'features',"
        f" coalesce(json_agg({FLOOR_FEATURE} ORDER BY c.id), '[]'::json))::text {FLOOR_FROM}"
        " AND c.public_point && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
    )

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(bbox))
            return cursor.fetchone()[0]

    return run


class StockFeatureSerializer(GeoFeatureModelSerializer):
    """What a developer gets from djangorestframework-gis out of the box."""

    sphere: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="oktmo", read_only=True
    )
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Community
        geo_field = "public_point"
        fields = (
            "id",
            "slug",
            "name",
            "sphere",
            "form",
            "municipality",
            "municipality_name",
            "members_count",
            "founded_year",
            "location_precision",
        )


def _stock_drf_gis(bbox: tuple[float, float, float, float]) -> Callable[[], object]:
    def run() -> object:
        communities = (
            Community.objects.filter(public_q(), public_point__bboverlaps=Polygon.from_bbox(bbox))
            .select_related("sphere", "municipality")
            .order_by("id")
        )
        return JSONRenderer().render(StockFeatureSerializer(communities, many=True).data)

    return run


def list_bbox(ctx: Context) -> list[Figure]:
    size = ctx.scaled(1_000_000)
    ctx.use(size)
    bbox, found = _bbox_with(ctx.scaled(1000))
    label = f"bbox of {found:,} in {size:,}"
    figures = []
    url = "/api/v1/communities/?in_bbox={:.6f},{:.6f},{:.6f},{:.6f}&limit=10000".format(*bbox)
    floor = measure(_floor_bbox(bbox), repeats=ctx.repeats)
    if route_exists("/api/v1/communities/"):
        client = Client()
        endpoint = measure(lambda: get(client, url), repeats=ctx.repeats)
        stock = measure(_stock_drf_gis(bbox), repeats=ctx.repeats)
        within = endpoint.median <= 1.5 * floor.median
        figures.append(
            Figure(
                "1 list",
                label,
                size,
                "GET /api/v1/communities/?in_bbox",
                "raw SQL (ST_AsGeoJSON + json_agg)",
                endpoint,
                floor,
                "≤ 1.5× SQL",
                within,
            )
        )
        figures.append(
            Figure("1 list", label, size, "stock DRF-GIS GeoFeatureModelSerializer", "GET /api/v1/communities/",
                   stock, endpoint, "≥ 10× slower than ours", stock.median >= 10 * endpoint.median)
        )  # fmt: skip
    else:
        figures.append(
            Figure("1 list", label, size, "GET /api/v1/communities/", "raw SQL", None, floor, "≤ 1.5× SQL",
                   None, note="endpoint not built yet")
        )  # fmt: skip
    figures.append(_pygeoapi_against_ours(ctx, bbox, label, size))
    return figures


def _pygeoapi_against_ours(
    ctx: Context, bbox: tuple[float, float, float, float], label: str, size: int
) -> Figure:
    """Both over HTTP from their own gunicorn on 127.0.0.1: the same bbox, every feature in one page."""
    box = "{:.6f},{:.6f},{:.6f},{:.6f}".format(*bbox)
    with server(connection.settings_dict["NAME"]) as ours, pygeoapi_server() as theirs:
        ours_url = f"{ours}/api/v1/communities/?in_bbox={box}&limit=10000"
        theirs_url = f"{theirs}/collections/communities/items?bbox={box}&limit=10000&f=json"
        http_get(ours_url), http_get(theirs_url)  # warm both
        endpoint = measure(lambda: http_get(ours_url), repeats=ctx.repeats)
        pygeoapi = measure(lambda: http_get(theirs_url), repeats=ctx.repeats)
    return Figure("1 list", label, size, "pygeoapi 0.21 (PostgreSQL provider, over HTTP)",
                  "GET /api/v1/communities/ (over HTTP, gunicorn)", pygeoapi, endpoint,
                  "≥ 5× slower than ours", pygeoapi.median >= 5 * endpoint.median)  # fmt: skip
