"""Geometry validation for every edge (API field, form, import row): one function, one set of messages."""

from __future__ import annotations

import json
import math
from typing import NoReturn, TypeVar, cast

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point, WKBWriter
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.point_lookups import PointLookups
from geo.selectors import regions_near

G = TypeVar("G", bound=GEOSGeometry)

# GeoJSON `crs` names that mean WGS 84 lon/lat; anything else is refused before GDAL sees it
# (GDAL < 3.9 may resolve a spatial reference from a file or URL).
_WGS84_NAMES = frozenset(
    {"EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84"}
)


def _fail(field: str, message: str, code: str) -> NoReturn:
    raise DomainError(ErrorItem(field, message, code))


def _strip_crs(value: dict[str, object], field: str) -> dict[str, object]:
    crs = value.get("crs")
    if crs is None:
        return value
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if name not in _WGS84_NAMES:
        _fail(field, _("Поддерживается только система координат WGS 84 (EPSG:4326)"), "crs_unsupported")
    return {key: item for key, item in value.items() if key != "crs"}


def geometry_parse(value: object, *, expected: type[G], field: str) -> G:
    """Parse GeoJSON (dict or text) or WKT into a valid, non-empty geometry of the expected type."""
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict):
            value = decoded
    if isinstance(value, dict):
        try:  # GDAL reads NaN as an empty point: refuse non-finite numbers before it sees them
            value = json.dumps(_strip_crs(value, field), allow_nan=False)
        except ValueError:
            _fail(field, _("Координаты должны быть конечными числами"), "coordinates_not_finite")
    elif not isinstance(value, str) or not value.strip():
        _fail(field, _("Ожидается GeoJSON в WGS 84 (EPSG:4326)"), "geometry_unparsable")
    try:  # srid=4326 also rejects EWKT that declares another SRID
        geometry = GEOSGeometry(str(value), srid=4326)
    except (GEOSException, GDALException, ValueError, TypeError):
        _fail(field, _("Ожидается GeoJSON в WGS 84 (EPSG:4326)"), "geometry_unparsable")
    if not isinstance(geometry, expected) or geometry.empty:
        _fail(
            field, _("Ожидается непустая геометрия типа {}").format(expected.__name__), "geometry_wrong_type"
        )
    if not _all_finite(getattr(geometry, "coords", ())):  # WKT «POINT (nan 54)»: GEOS has no extent for it
        _fail(field, _("Координаты должны быть конечными числами"), "coordinates_not_finite")
    coordinates_check(geometry.extent, field=field)
    if geometry.hasz:  # GPS heights: the columns are 2D; keep longitude and latitude
        writer = WKBWriter()
        writer.outdim = 2
        geometry = GEOSGeometry(writer.write(geometry), srid=4326)
    if not geometry.valid:
        _fail(field, _("Геометрия некорректна: {}").format(geometry.valid_reason), "geometry_invalid")
    return cast(G, geometry)


def _all_finite(coords: object) -> bool:
    """Every number in GEOS `coords` (tuples nested by ring, part and member) is finite."""
    if isinstance(coords, float | int):
        return math.isfinite(coords)
    return isinstance(coords, tuple) and all(_all_finite(item) for item in coords)


def coordinates_check(extent: tuple[float, float, float, float], *, field: str) -> None:
    x0, y0, x1, y1 = extent
    if not all(map(math.isfinite, extent)):
        _fail(field, _("Координаты должны быть конечными числами"), "coordinates_not_finite")
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        _fail(field, _("Долгота от −180 до 180, широта от −90 до 90"), "coordinates_out_of_range")


def number_parse(value: object, *, field: str, label: str) -> float:
    """A finite decimal number from query text, e.g. «55.958»; a comma decimal is accepted."""
    text = str(value).strip().replace(",", ".") if value is not None else ""
    if not text:
        _fail(field, _("Параметр «{}» обязателен").format(label), "required")
    try:
        number = float(text)
    except ValueError:
        _fail(field, _("«{}»: ожидается число, получено «{}»").format(label, text[:50]), "number_invalid")
    if not math.isfinite(number):
        _fail(
            field,
            _("«{}»: ожидается конечное число, получено «{}»").format(label, text[:50]),
            "coordinates_not_finite",
        )
    return number


def point_parse(lon: object, lat: object) -> Point:
    """A point from separate lon/lat query values, each checked and named on failure."""
    errors: list[ErrorItem] = []
    numbers: dict[str, float] = {}
    for field, label, raw, limit in (("lon", _("долгота"), lon, 180), ("lat", _("широта"), lat, 90)):
        try:
            number = number_parse(raw, field=field, label=label)
        except DomainError as error:
            errors.extend(error.items)
            continue
        if not -limit <= number <= limit:
            errors.append(
                ErrorItem(
                    field,
                    _("«{}»: ожидается число от −{} до {}, получено {}").format(label, limit, limit, number),
                    "coordinates_out_of_range",
                )
            )
        numbers[field] = number
    if errors:
        raise DomainError(*errors)
    return Point(numbers["lon"], numbers["lat"], srid=4326)


def geometry_check_in_programme_area(
    geometry: GEOSGeometry, *, field: str, lookups: PointLookups | None = None
) -> None:
    """Reject geometry far (more than GEO_PROGRAMME_MARGIN_M) from every programme region."""
    inside = regions_near(
        geometry=geometry,
        iso_codes=settings.GEO_PROGRAMME_REGION_ISO,
        margin_m=settings.GEO_PROGRAMME_MARGIN_M,
        lookups=lookups,
    )
    if not inside:
        _fail(
            field,
            _(
                "Место дальше {} км от регионов программы: проверьте, не перепутаны ли долгота и широта"
            ).format(settings.GEO_PROGRAMME_MARGIN_M // 1000),
            "location_outside_programme",
        )
