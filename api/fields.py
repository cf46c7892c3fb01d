"""Query-parameter parsing shared by the API's filter serializers."""

from __future__ import annotations

from typing import Any

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
        if self.expected is MultiPolygon and isinstance(data, dict) and data.get("type") == "Polygon":
            geometry: Any = MultiPolygon(geometry_parse(data, expected=Polygon, field=field), srid=4326)
        else:
            geometry = geometry_parse(data, expected=self.expected, field=field)
        geometry_check_in_programme_area(geometry, field=field)
        return geometry

    def to_representation(self, value: Any) -> Any:
        import json

        return json.loads(value.geojson)
