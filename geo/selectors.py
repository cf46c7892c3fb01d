"""Geo reads: the municipalities, which one contains a point, whether a geometry lies near the
regions, the extent of the boundaries. Which place a Russian place string names: geo.place_lookup."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection
from django.db.models import QuerySet

from geo.models import Municipality
from geo.point_lookups import PointLookups


def municipality_list(*, region_iso: str | None = None, level: int | None = None) -> QuerySet[Municipality]:
    municipalities = Municipality.objects.select_related("region", "parent")
    if region_iso:
        municipalities = municipalities.filter(region__iso_code=region_iso.upper())
    if level is not None:
        municipalities = municipalities.filter(level=level)
    return municipalities.order_by("region__iso_code", "level", "name", "id")


def municipality_by_slug(*, slug: str) -> Municipality | None:
    """A municipality for its pages: every geometry (its own, its parent's, its region's) deferred,
    since a region's outline alone weighs megabytes and the pages read boundaries separately."""
    return (
        municipality_list()
        .defer(
            "boundary",
            "boundary_simplified",
            "region__outline",
            "parent__boundary",
            "parent__boundary_simplified",
        )
        .filter(slug=slug)
        .first()
    )


def municipality_get(*, oktmo: str) -> Municipality | None:
    return Municipality.objects.select_related("region", "parent").filter(oktmo=oktmo).first()


def municipality_locate(*, point: Point, lookups: PointLookups | None = None) -> Municipality | None:
    """The district or okrug containing the point; in a sliver gap, the nearest within tolerance."""
    if lookups is None:
        return _municipality_locate(point)
    return lookups.answer(("municipality", lookups.ewkb(point)), lambda: _municipality_locate(point))


def _municipality_locate(point: Point) -> Municipality | None:
    containing = (
        _located()
        .filter(level=Municipality.Level.TOP, boundary__intersects=point)
        .order_by("oktmo", "id")
        .first()
    )
    if containing is not None:
        return containing
    # geography: metres on the ellipsoid, not degrees (a degree of longitude is ~65 km at 54°N)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM geo_municipality WHERE level = 1 AND boundary IS NOT NULL"
            " AND ST_DWithin(boundary::geography, ST_GeomFromEWKB(%s)::geography, %s)"
            " ORDER BY ST_Distance(boundary::geography, ST_GeomFromEWKB(%s)::geography), id LIMIT 1",
            [bytes(point.ewkb), settings.GEO_SLIVER_TOLERANCE_M, bytes(point.ewkb)],
        )
        row = cursor.fetchone()
    return _located().get(pk=row[0]) if row else None


def _located() -> QuerySet[Municipality]:
    # The caller wants the municipality, not its shape: a district's boundary is hundreds of KB to
    # send and parse (9 ms a call for Ufa), its region's outline megabytes.
    return Municipality.objects.select_related("region").defer(
        "boundary", "boundary_simplified", "region__outline"
    )


LOCATE_MANY_SQL = """
WITH p AS (
    SELECT u.ord, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326) AS geom
    FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS u(lon, lat, ord)
)
SELECT p.ord, coalesce(
    (SELECT m.id FROM geo_municipality m
     WHERE m.level = 1 AND ST_Intersects(m.boundary, p.geom) ORDER BY m.oktmo, m.id LIMIT 1),
    (SELECT m.id FROM geo_municipality m
     WHERE m.level = 1 AND m.boundary IS NOT NULL
       AND ST_DWithin(m.boundary::geography, p.geom::geography, %(tolerance)s)
     ORDER BY ST_Distance(m.boundary::geography, p.geom::geography), m.id LIMIT 1))
FROM p ORDER BY p.ord
"""


def municipality_locate_many(*, points: Sequence[Point]) -> list[int | None]:
    """The ids of the municipalities containing each point, in order; one query for all of them.

    The same rule as municipality_locate (lowest OKTMO on a shared edge, the nearest within the
    sliver tolerance in a gap, None outside); the points are in EPSG:4326."""
    if not points:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            LOCATE_MANY_SQL,
            {
                "lons": [point.x for point in points],
                "lats": [point.y for point in points],
                "tolerance": settings.GEO_SLIVER_TOLERANCE_M,
            },
        )
        return [municipality_id for _, municipality_id in cursor.fetchall()]


def regions_near(
    *,
    geometry: GEOSGeometry,
    iso_codes: Iterable[str],
    margin_m: float,
    lookups: PointLookups | None = None,
) -> bool:
    """Whether the geometry lies in, or within margin_m of, one of the regions."""
    iso_codes = tuple(iso_codes)
    if lookups is None:
        return _regions_near(geometry, iso_codes, margin_m)
    return bool(
        lookups.answer(
            ("regions", lookups.ewkb(geometry), iso_codes, margin_m),
            lambda: _regions_near(geometry, iso_codes, margin_m),
        )
    )


def _regions_near(geometry: GEOSGeometry, iso_codes: tuple[str, ...], margin_m: float) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM geo_region WHERE iso_code = ANY(%s) AND ("
            " ST_Intersects(outline, ST_GeomFromEWKB(%s))"
            " OR ST_DWithin(outline::geography, ST_GeomFromEWKB(%s)::geography, %s)))",
            [list(iso_codes), bytes(geometry.ewkb), bytes(geometry.ewkb), margin_m],
        )
        (near,) = cursor.fetchone()
    return bool(near)


def municipality_point(*, municipality: Municipality) -> Point | None:
    """Where a place known only by its municipality is shown: the stored centre (geo.points; a
    сельсовет's falls back to its district's surface there)."""
    return municipality.center


def boundaries_extent() -> tuple[float, float, float, float] | None:
    """(minlon, minlat, maxlon, maxlat) of the shipped districts and okrugs: the extent of every layer."""
    box = Municipality.objects.filter(level=Municipality.Level.TOP).aggregate(
        box=Extent("boundary_simplified")
    )["box"]
    return None if box is None else (box[0], box[1], box[2], box[3])
