"""Scenario 5: a municipality's map at 1,000 and 16,000 communities against naive folium, and the
region's choropleth against reading its boundaries."""

from __future__ import annotations

from collections.abc import Callable

import folium
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from folium.plugins import MarkerCluster

from bench.figures import Context, Figure
from bench.scenarios.client import get
from bench.timing import measure
from geo.models import Municipality


def _naive_folium(points: list[tuple[float, float, str]]) -> Callable[[], str]:
    def run() -> str:
        figure = folium.Map(location=[points[0][1], points[0][0]], zoom_start=9, tiles=None)
        cluster = MarkerCluster().add_to(figure)
        for lon, lat, name in points:
            folium.Marker([lat, lon], popup=name, tooltip=name).add_to(cluster)
        return figure.get_root().render()

    return run


BULK_COMMUNITIES = """
INSERT INTO registry_community (
    name, name_normalized, slug, description, form, inn, ogrn, location, location_precision,
    hide_exact_location, address, members_count, founded_year, activities, links, contact,
    is_contact_public, internal_notes, status, rejection_reason, verified_until, source,
    created_at, updated_at, is_demo, municipality_id, sphere_id)
SELECT 'Клуб «Карта ' || g.n || '»', 'карта ' || g.n, 'bench-map-' || g.n, '', 'informal', '', '',
       d.geom, 'exact', false, '', 10, 2020, '', '{}', '', false, '', 'verified', '',
       current_date + 100, 'team', now(), now(), true, %(municipality)s,
       (SELECT id FROM registry_sphere ORDER BY id OFFSET (g.n %% 14) LIMIT 1)
FROM ST_Dump(ST_GeneratePoints(
        (SELECT boundary_simplified FROM geo_municipality WHERE id = %(municipality)s), %(count)s, 7)) d
JOIN generate_series(1, %(count)s) g(n) ON g.n = d.path[1]
"""


def _caches_clear() -> None:
    """Every cache the page reads, the rendered-page cache (registry/pages.py) too: the rows these
    scenarios write with raw SQL send no signal that would move the data version it is keyed by."""
    for alias in settings.CACHES:
        caches[alias].clear()


def municipality_map(ctx: Context) -> list[Figure]:
    ctx.use(ctx.scaled(1000))
    municipality = Municipality.objects.get(oktmo="80628000")  # Иглинский район
    url = f"/m/{municipality.slug}/"
    figures = []
    for full in (1000, 16_000):
        count = ctx.scaled(full)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM registry_community WHERE municipality_id = %s", [municipality.pk])
                cursor.execute(BULK_COMMUNITIES, {"municipality": municipality.pk, "count": count})
                cursor.execute(
                    "SELECT ST_X(public_point), ST_Y(public_point), name FROM registry_community"
                    " WHERE municipality_id = %s",
                    [municipality.pk],
                )
                points = cursor.fetchall()
            client = Client()

            def cold(client: Client = client) -> bytes:
                _caches_clear()  # the map and page caches would answer every repeat after the first
                return get(client, url)

            page = measure(cold, repeats=ctx.repeats)
            html_mb = len(cold()) / 2**20
            naive = measure(_naive_folium(points), repeats=1 if full > 1000 else ctx.repeats, warmup=0)
            naive_mb = (
                len(_naive_folium(points[: min(len(points), 2000)])())
                / 2**20
                * len(points)
                / min(len(points), 2000)
            )
            transaction.set_rollback(True)
        limits = full < 16_000 or (page.median <= 0.3 and html_mb <= 2)
        figures.append(
            Figure("5 map", f"{count:,} communities in one municipality", count, f"GET {url} (cold cache)",
                   "naive folium MarkerCluster", page, naive,
                   "≤ 0.3 s and ≤ 2 MB at 16,000" if full == 16_000 else "", limits if full == 16_000 else None,
                   extra={"html_mb": round(html_mb, 2), "naive_html_mb_est": round(naive_mb, 2)})
        )  # fmt: skip
    return figures


def region_map(ctx: Context) -> list[Figure]:
    size = ctx.scaled(1_000_000)
    ctx.use(size)
    client = Client()

    def cold() -> bytes:
        _caches_clear()
        return get(client, "/")

    def floor() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT json_agg(json_build_object('oktmo', oktmo, 'shape', ST_AsGeoJSON(boundary_simplified, 4)::json))"
                " FROM geo_municipality WHERE level = 1"
            )
            return cursor.fetchone()[0]

    page = measure(cold, repeats=ctx.repeats)
    baseline = measure(floor, repeats=ctx.repeats)
    return [
        Figure("5 map", f"region choropleth over {size:,}", size, "GET / (cold cache)",
               "reading the boundaries as GeoJSON in SQL", page, baseline, "≤ 0.5 s", page.median <= 0.5,
               extra={"html_mb": round(len(cold()) / 2**20, 2)})
    ]  # fmt: skip
