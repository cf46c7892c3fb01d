"""municipality_locate: the district or okrug that contains a point, against the real OSM boundaries."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection

from geo.models import Municipality
from geo.point_lookups import PointLookups, geometry_ewkb
from geo.selectors import municipality_locate, municipality_locate_many

pytestmark = pytest.mark.django_db


def _largest_sliver_hole_point() -> Point:
    """A point inside the largest hole left when the RB districts near 54.47 E, 55.72 N are dissolved
    (SOURCES.md: a 0.44 km² sliver that no boundary covers)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH dissolved AS ("
            "  SELECT (ST_Dump(ST_Union(m.boundary))).geom AS part"
            "  FROM geo_municipality m JOIN geo_region r ON r.id = m.region_id"
            "  WHERE m.level = 1 AND r.iso_code = 'RU-BA'"
            "  AND m.boundary && ST_MakeEnvelope(54.2, 55.5, 54.8, 55.95, 4326)),"
            " rings AS (SELECT (ST_DumpRings(part)).* FROM dissolved)"
            " SELECT ST_AsEWKT(ST_PointOnSurface(geom)), ST_Area(geom::geography) / 1e6 FROM rings"
            " WHERE path[1] > 0 ORDER BY ST_Area(geom::geography) DESC LIMIT 1"
        )
        ewkt, area_km2 = cursor.fetchone()
    assert 0.3 < area_km2 < 0.6, area_km2
    point = GEOSGeometry(ewkt)
    assert isinstance(point, Point)
    return point


def test_centre_of_ufa_is_in_the_ufa_okrug() -> None:
    municipality = municipality_locate(point=Point(55.958, 54.735, srid=4326))

    assert municipality is not None
    assert municipality.oktmo == "80701000"
    assert municipality.official_name == "город Уфа"


def test_askarovo_is_in_abzelilovsky_district() -> None:
    # с. Аскарово, the district centre (the gazetteer has no point for it).
    municipality = municipality_locate(point=Point(58.51, 53.35, srid=4326))

    assert municipality is not None
    assert municipality.oktmo == "80601000"
    assert municipality.name == "Абзелиловский район"


def test_point_without_srid_is_read_as_wgs84() -> None:
    municipality = municipality_locate(point=Point(55.958, 54.735))

    assert municipality is not None
    assert municipality.oktmo == "80701000"


def test_kazan_is_in_a_tatarstan_municipality() -> None:
    municipality = municipality_locate(point=Point(49.12, 55.79, srid=4326))

    assert municipality is not None
    assert municipality.region.iso_code == "RU-TA"
    assert municipality.level == Municipality.Level.TOP


def test_moscow_is_in_no_municipality() -> None:
    assert municipality_locate(point=Point(37.62, 55.75, srid=4326)) is None


def test_point_in_a_sliver_gap_goes_to_the_nearest_district() -> None:
    point = _largest_sliver_hole_point()
    assert not Municipality.objects.filter(boundary__intersects=point).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oktmo, ST_Distance(boundary::geography, ST_GeomFromEWKT(%s)::geography)"
            " FROM geo_municipality WHERE level = 1 ORDER BY 2 LIMIT 2",
            [point.ewkt],
        )
        (nearest_oktmo, nearest_m), (_second_oktmo, second_m) = cursor.fetchall()
    assert nearest_m < second_m  # otherwise «the nearest» is not one district

    municipality = municipality_locate(point=point)

    assert municipality is not None
    assert municipality.oktmo == nearest_oktmo
    assert municipality.region.iso_code == "RU-BA"
    assert nearest_m <= settings.GEO_SLIVER_TOLERANCE_M


def test_locate_many_agrees_with_one_by_one_on_a_grid_including_gaps_and_outside() -> None:
    # A grid across Bashkortostan and beyond its borders, plus the sliver hole and the open sea of Aral.
    points = [Point(50.0 + 0.37 * i, 50.5 + 0.29 * j, srid=4326) for i in range(30) for j in range(25)]
    points += [_largest_sliver_hole_point(), Point(60.0, 45.0, srid=4326)]

    many = municipality_locate_many(points=points)

    one_by_one = [getattr(municipality_locate(point=point), "pk", None) for point in points]
    assert many == one_by_one
    assert many[-1] is None
    assert many[-2] is not None  # the sliver falls to the nearest district within tolerance
    assert len({item for item in many if item is not None}) > 20


def test_locate_many_of_nothing_is_nothing() -> None:
    assert municipality_locate_many(points=[]) == []


def test_with_a_jobs_lookups_a_point_is_located_once(django_assert_num_queries: Any) -> None:
    point = Point(55.958, 54.735, srid=4326)  # Ufa
    lookups = PointLookups()
    with django_assert_num_queries(1):
        first = municipality_locate(point=point, lookups=lookups)
        again = municipality_locate(point=Point(55.958, 54.735, srid=4326), lookups=lookups)
    with django_assert_num_queries(1):
        elsewhere = municipality_locate(point=Point(56.4, 55.0, srid=4326), lookups=lookups)
    with django_assert_num_queries(1):  # another job's lookups know nothing of this one's
        municipality_locate(point=point, lookups=PointLookups())
    assert first is again
    assert first is not None
    assert first.oktmo == "80701000"
    assert elsewhere is not None
    assert elsewhere != first
    with django_assert_num_queries(1):  # without lookups, every call asks the database
        municipality_locate(point=point)


def test_a_geometrys_ewkb_is_its_own_with_and_without_lookups() -> None:
    points = [Point(55.958, 54.735, srid=4326), Point(56.43, 54.83, srid=4326), Point(55.958, 54.735)]
    outside = [geometry_ewkb(point) for point in points]
    lookups = PointLookups()
    inside = [geometry_ewkb(point, lookups=lookups) for point in points for _again in range(2)]
    # built and dropped one after another: a reused id must not bring back another point's bytes
    passing = [geometry_ewkb(Point(50.0 + step, 54.0, srid=4326), lookups=lookups) for step in range(50)]

    assert outside == [bytes(point.ewkb) for point in points]
    assert inside == [value for value in outside for _again in range(2)]
    assert passing == [bytes(Point(50.0 + step, 54.0, srid=4326).ewkb) for step in range(50)]
    assert len(set(outside)) == 3  # the SRID is part of the bytes
