"""geo.validation: one parser for geometry at every edge, one set of codes and Russian messages."""

from __future__ import annotations

import re

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.db import connection

from geo.errors import DomainError, ErrorItem
from geo.validation import geometry_check_in_programme_area, geometry_parse, number_parse, point_parse

UFA_GEOJSON = {"type": "Point", "coordinates": [55.958, 54.735]}
BOW_TIE = {"type": "Polygon", "coordinates": [[[55, 54], [56, 55], [56, 54], [55, 55], [55, 54]]]}
SQUARE = {"type": "Polygon", "coordinates": [[[55, 54], [56, 54], [56, 55], [55, 55], [55, 54]]]}


def _items(raised: pytest.ExceptionInfo[DomainError]) -> list[tuple[str | None, str]]:
    _assert_messages_are_russian(raised.value.items)
    return [(item.field, item.code) for item in raised.value.items]


def _assert_messages_are_russian(items: tuple[ErrorItem, ...]) -> None:
    assert items
    for item in items:
        assert item.message.strip()
        assert re.search("[А-Яа-яЁё]", item.message), item.message


def _point_refusal(value: object) -> list[tuple[str | None, str]]:
    with pytest.raises(DomainError) as raised:
        geometry_parse(value, expected=Point, field="location")
    return _items(raised)


def test_geometry_parse_accepts_a_geojson_point_dict() -> None:
    point = geometry_parse(UFA_GEOJSON, expected=Point, field="location")

    assert isinstance(point, Point)
    assert point.coords == (55.958, 54.735)
    assert point.srid == 4326


def test_geometry_parse_accepts_geojson_text() -> None:
    point = geometry_parse(
        '{"type": "Point", "coordinates": [55.958, 54.735]}', expected=Point, field="location"
    )

    assert point.coords == (55.958, 54.735)
    assert point.srid == 4326


@pytest.mark.parametrize("text", ["POINT (55.958 54.735)", "SRID=4326;POINT(55.958 54.735)"])
def test_geometry_parse_accepts_wkt(text: str) -> None:
    point = geometry_parse(text, expected=Point, field="location")

    assert point.coords == (55.958, 54.735)
    assert point.srid == 4326


def test_geometry_parse_accepts_a_valid_polygon() -> None:
    polygon = geometry_parse(SQUARE, expected=Polygon, field="area")

    assert isinstance(polygon, Polygon)
    assert polygon.valid


@pytest.mark.parametrize("name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"])
def test_geometry_parse_accepts_a_geojson_crs_naming_wgs84(name: str) -> None:
    value = {**UFA_GEOJSON, "crs": {"type": "name", "properties": {"name": name}}}

    point = geometry_parse(value, expected=Point, field="location")

    assert point.coords == (55.958, 54.735)
    assert point.srid == 4326


@pytest.mark.parametrize("lon_lat", [(180, 90), (-180, -90)])
def test_geometry_parse_accepts_the_edges_of_the_coordinate_range(lon_lat: tuple[int, int]) -> None:
    point = geometry_parse({"type": "Point", "coordinates": list(lon_lat)}, expected=Point, field="location")

    assert point.coords == lon_lat


@pytest.mark.parametrize(
    "value",
    [
        '{"type": "Point", "coordinates": [55.9, 54.7]',
        "",
        "   ",
        None,
        12,
        [55.958, 54.735],
        b"POINT (55.958 54.735)",
        {"type": "Point"},
        {"type": "Feature", "geometry": UFA_GEOJSON, "properties": {}},
    ],
)
def test_geometry_parse_refuses_unparsable_input(value: object) -> None:
    assert _point_refusal(value) == [("location", "geometry_unparsable")]


@pytest.mark.parametrize("value", [SQUARE, "LINESTRING (55 54, 56 55)", "POINT EMPTY"])
def test_geometry_parse_refuses_anything_but_a_non_empty_point_where_a_point_is_expected(
    value: object,
) -> None:
    assert _point_refusal(value) == [("location", "geometry_wrong_type")]


@pytest.mark.parametrize(
    "value",
    [
        {"type": "Point", "coordinates": [float("nan"), 54]},
        {"type": "Point", "coordinates": [float("inf"), 54]},
        '{"type": "Point", "coordinates": [1e400, 54]}',  # json reads 1e400 as inf
        '{"type": "Point", "coordinates": [NaN, 54]}',
        "POINT (nan 54)",
        "POINT (1e400 54)",
    ],
)
def test_geometry_parse_refuses_non_finite_coordinates(value: object) -> None:
    assert _point_refusal(value) == [("location", "coordinates_not_finite")]


def test_geometry_parse_refuses_a_non_finite_vertex_that_the_extent_skips() -> None:
    # GEOS leaves NaN out of a line's extent: the check must read every coordinate.
    with pytest.raises(DomainError) as raised:
        geometry_parse("LINESTRING (nan 54, 55 54, 56 55)", expected=LineString, field="route")

    assert _items(raised) == [("route", "coordinates_not_finite")]


@pytest.mark.parametrize("coordinates", [[200, 54], [-180.5, 54], [55, 95], [55, -90.01]])
def test_geometry_parse_refuses_coordinates_out_of_range(coordinates: list[float]) -> None:
    assert _point_refusal({"type": "Point", "coordinates": coordinates}) == [
        ("location", "coordinates_out_of_range")
    ]


def test_geometry_parse_refuses_a_self_intersecting_polygon() -> None:
    with pytest.raises(DomainError) as raised:
        geometry_parse(BOW_TIE, expected=Polygon, field="area")

    assert _items(raised) == [("area", "geometry_invalid")]
    assert "Self-intersection" in raised.value.items[0].message


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "EPSG:3857"}},
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        {"type": "link", "properties": {"href": "file:///etc/passwd", "type": "proj4"}},
        "EPSG:4326",
    ],
)
def test_geometry_parse_refuses_a_geojson_crs_other_than_wgs84(crs: object) -> None:
    assert _point_refusal({**UFA_GEOJSON, "crs": crs}) == [("location", "crs_unsupported")]


def test_geometry_parse_refuses_geojson_text_with_a_foreign_crs() -> None:
    text = '{"type": "Point", "coordinates": [6229000, 7311000], "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}'

    assert _point_refusal(text) == [("location", "crs_unsupported")]


def test_geometry_parse_refuses_ewkt_with_another_srid() -> None:
    with pytest.raises(DomainError) as raised:
        geometry_parse("SRID=3857;POINT (6229000 7311000)", expected=Point, field="location")

    assert _items(raised) == [("location", "geometry_unparsable")]
    assert "EPSG:4326" in raised.value.items[0].message


def test_point_parse_reads_lon_and_lat_with_a_comma_or_a_dot() -> None:
    assert point_parse("55.958", "54,735").coords == (55.958, 54.735)
    assert point_parse(" 55,958 ", 54.735).srid == 4326


def test_number_parse_reads_a_comma_decimal() -> None:
    assert number_parse("54,735", field="lat", label="широта") == 54.735


def test_point_parse_refuses_text_as_an_invalid_longitude() -> None:
    with pytest.raises(DomainError) as raised:
        point_parse("abc", "54.735")

    assert _items(raised) == [("lon", "number_invalid")]
    assert "abc" in raised.value.items[0].message


@pytest.mark.parametrize("text", ["1e400", "nan", "inf", "-Infinity"])
def test_point_parse_refuses_non_finite_numbers(text: str) -> None:
    with pytest.raises(DomainError) as raised:
        point_parse(text, "54.735")

    assert _items(raised) == [("lon", "coordinates_not_finite")]


def test_point_parse_refuses_latitude_95_on_the_lat_field() -> None:
    with pytest.raises(DomainError) as raised:
        point_parse("55.958", "95")

    assert _items(raised) == [("lat", "coordinates_out_of_range")]


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (None, "54.735", [("lon", "required")]),
        ("55.958", "", [("lat", "required")]),
        ("  ", None, [("lon", "required"), ("lat", "required")]),
    ],
)
def test_point_parse_requires_both_values(lon: object, lat: object, expected: list[tuple[str, str]]) -> None:
    with pytest.raises(DomainError) as raised:
        point_parse(lon, lat)

    assert _items(raised) == expected


def test_point_parse_reports_both_bad_values_at_once() -> None:
    with pytest.raises(DomainError) as raised:
        point_parse("abc", "95")

    assert _items(raised) == [("lon", "number_invalid"), ("lat", "coordinates_out_of_range")]


@pytest.mark.django_db
def test_point_in_ufa_is_inside_the_programme_area() -> None:
    geometry_check_in_programme_area(Point(55.958, 54.735, srid=4326), field="location")


@pytest.mark.django_db
def test_point_in_moscow_is_outside_the_programme_area() -> None:
    with pytest.raises(DomainError) as raised:
        geometry_check_in_programme_area(Point(37.62, 55.75, srid=4326), field="location")

    assert _items(raised) == [("location", "location_outside_programme")]
    assert "50 км" in raised.value.items[0].message


@pytest.mark.django_db
def test_swapped_coordinates_of_kazan_are_refused() -> None:
    # Swapped Ufa (54.735 E, 55.958 N) still lies inside Bashkortostan, as do most swapped RB points;
    # swapped Kazan lands ~160 km out, in Kazakhstan.
    geometry_check_in_programme_area(Point(49.12, 55.79, srid=4326), field="location")

    with pytest.raises(DomainError) as raised:
        geometry_check_in_programme_area(Point(55.79, 49.12, srid=4326), field="location")

    assert _items(raised) == [("location", "location_outside_programme")]
    assert "долгота и широта" in raised.value.items[0].message


def _outside_every_region(point: Point) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM geo_region WHERE ST_Intersects(outline, ST_GeomFromEWKT(%s)))",
            [point.ewkt],
        )
        (outside,) = cursor.fetchone()
    return bool(outside)


@pytest.mark.django_db
def test_point_a_little_outside_the_regions_is_accepted_within_the_margin() -> None:
    near = Point(52.72, 58.666, srid=4326)  # Kirov oblast, ~18 km beyond Udmurtia
    assert _outside_every_region(near)

    geometry_check_in_programme_area(near, field="location")


@pytest.mark.django_db
def test_point_beyond_the_margin_is_refused() -> None:
    far = Point(51.04, 59.87, srid=4326)  # Kirov oblast, ~80 km beyond the programme regions
    assert _outside_every_region(far)

    with pytest.raises(DomainError, match="location_outside_programme"):
        geometry_check_in_programme_area(far, field="location")


def test_heights_are_dropped_so_a_3d_point_fits_the_2d_columns() -> None:
    point = geometry_parse("POINT Z (55.958 54.735 150)", expected=Point, field="location")

    assert not point.hasz
    assert (point.x, point.y) == (55.958, 54.735)
