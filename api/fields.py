"""Query-parameter parsing shared by the API's filter serializers."""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class StrictBooleanField(serializers.BooleanField):
    """1/0/true/false only: «simplified=maybe» is an error, not False."""

    default_error_messages = {"invalid": _("Ожидается 1, 0, true или false, получено «{input}»")}

    def to_internal_value(self, data: object) -> bool:
        text = str(data).strip().lower()
        if text in {"1", "true", "yes"}:
            return True
        if text in {"0", "false", "no", ""}:
            return False
        self.fail("invalid", input=str(data)[:50])
        raise AssertionError  # unreachable: fail() raises


OKTMO_8 = r"^[0-9]{8}$"
# Before GEOS sees a geometry: a 100,000-vertex area took 6.9 s to accept; a hand-drawn area of a
# community has hundreds. GeoJSON nests a MultiPolygon's coordinates 4 deep; text is checked too.
MAX_VERTICES = 10_000
MAX_GEOMETRY_DEPTH = 8
WKT_EXTRA_DIMENSION = re.compile(r"\b(ZM|M)\s*\(|\d\s+[-+.\d]+\s+[-+.\d]+\s+[-+.\d]+\s*[,)]", re.IGNORECASE)


def geometry_input_check(data: Any, *, field: str) -> Any:
    """GeoJSON decoded and checked for its size and shape before it is parsed: at most MAX_VERTICES
    positions of 2 or 3 numbers, nested no deeper than a geometry nests. Answers the data to parse."""
    from api.parsers import json_depth_exceeds
    from geo.errors import DomainError, ErrorItem

    def fail(message: Any, code: str) -> NoReturn:
        raise DomainError(ErrorItem(field, str(message), code))

    if isinstance(data, str):
        if json_depth_exceeds(data.encode(), MAX_GEOMETRY_DEPTH):
            fail(_("Геометрия вложена слишком глубоко"), "geometry_too_deep")
        if data.lstrip().startswith("{"):
            try:
                data = json.loads(data)
            except ValueError:
                return data  # geometry_parse names it
        else:  # WKT: a position per comma, and no M dimension
            if data.count(",") + 1 > MAX_VERTICES:
                fail(_("Не больше {} вершин").format(MAX_VERTICES), "geometry_too_many_vertices")
            if WKT_EXTRA_DIMENSION.search(data):  # «POINT ZM (…)», or four numbers in a position
                fail(_("Точка — 2 или 3 числа: долгота, широта и высота"), "position_too_long")
            return data
    positions = 0
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_GEOMETRY_DEPTH:
            fail(_("Геометрия вложена слишком глубоко"), "geometry_too_deep")
        if isinstance(node, dict):
            pending += [
                (value, depth + 1) for key, value in node.items() if key in {"coordinates", "geometries"}
            ]
        elif isinstance(node, list):
            if node and all(isinstance(item, int | float) and not isinstance(item, bool) for item in node):
                if len(node) > 3:
                    fail(_("Точка — 2 или 3 числа: долгота, широта и высота"), "position_too_long")
                positions += 1
                if positions > MAX_VERTICES:
                    fail(_("Не больше {} вершин").format(MAX_VERTICES), "geometry_too_many_vertices")
            else:
                pending += [(item, depth + 1) for item in node]
    return data


@extend_schema_field(
    {
        "type": "object",
        "description": "GeoJSON geometry in WGS 84 (EPSG:4326)",
        "example": {"type": "Point", "coordinates": [56.43, 54.83]},
    }
)
class GeometryInputField(serializers.Field):
    """GeoJSON (object or text) in EPSG:4326, checked by geo.validation: finite, in range, of the
    expected type, valid, no `crs` other than WGS 84, and near the programme's regions."""

    def __init__(self, *, expected: type, **kwargs: Any) -> None:
        self.expected = expected
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        from django.contrib.gis.geos import MultiPolygon, Polygon

        from geo.validation import geometry_check_in_programme_area, geometry_parse

        field = self.field_name or "geometry"
        data = geometry_input_check(data, field=field)
        if self.expected is MultiPolygon and isinstance(data, dict) and data.get("type") == "Polygon":
            geometry: Any = MultiPolygon(geometry_parse(data, expected=Polygon, field=field), srid=4326)
        else:
            geometry = geometry_parse(data, expected=self.expected, field=field)
        geometry_check_in_programme_area(geometry, field=field)
        return geometry

    def to_representation(self, value: Any) -> Any:
        import json

        return json.loads(value.geojson)
