"""OpenAPI pieces drf-spectacular cannot infer: the GeoJSON shapes built in SQL, and the error shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

ERRORS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["field", "message", "code"],
            },
        }
    },
    "required": ["errors"],
}
POINT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Point"]},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    },
}
COMMUNITY_PROPERTIES: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "sphere": {"type": "string", "description": "код сферы"},
        "sphere_name": {"type": "string"},
        "form": {"type": "string", "enum": ["registered", "informal"]},
        "municipality": {"type": "string", "description": "ОКТМО"},
        "municipality_name": {"type": "string"},
        "settlement": {"type": "string", "nullable": True},
        "members_count": {"type": "integer", "nullable": True},
        "founded_year": {"type": "integer", "nullable": True},
        "location_precision": {"type": "string", "enum": ["exact", "settlement", "municipality"]},
        "url": {"type": "string"},
        "status": {"type": "string", "description": "только для членов команды"},
        "source": {"type": "string", "description": "только для членов команды"},
    },
}
COMMUNITY_FEATURE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "integer"},
        "geometry": POINT,
        "properties": COMMUNITY_PROPERTIES,
    },
}
COMMUNITY_COLLECTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "count": {"type": "integer", "description": "все подходящие под фильтры"},
        "next": {"type": "string", "nullable": True},
        "previous": {"type": "string", "nullable": True},
        "features": {"type": "array", "items": COMMUNITY_FEATURE},
    },
}
BAD_REQUEST = OpenApiResponse(ERRORS, description="Ошибка во входных данных: поле и что ожидалось")
NOT_FOUND = OpenApiResponse(ERRORS, description="Не найдено (или нет доступа)")
COMMUNITY_FILTERS = [
    OpenApiParameter("municipality", OpenApiTypes.STR, description="ОКТМО района или округа (8 цифр)"),
    OpenApiParameter("sphere", OpenApiTypes.STR, description="код сферы"),
    OpenApiParameter(
        "status", OpenApiTypes.STR, description="статус (члены команды: в своих муниципалитетах)"
    ),
    OpenApiParameter("q", OpenApiTypes.STR, description="часть названия"),
    OpenApiParameter("in_bbox", OpenApiTypes.STR, description="minlon,minlat,maxlon,maxlat"),
    OpenApiParameter("near", OpenApiTypes.STR, description="lon,lat — вместе с dist"),
    OpenApiParameter("dist", OpenApiTypes.NUMBER, description="метры по эллипсоиду (geography)"),
    OpenApiParameter("updated_since", OpenApiTypes.STR, description="ГГГГ-ММ-ДД или дата-время ISO 8601"),
    OpenApiParameter("limit", OpenApiTypes.STR, description="1…10000 (по умолчанию 100) или all — поток"),
    OpenApiParameter("offset", OpenApiTypes.INT),
    OpenApiParameter("after", OpenApiTypes.INT, description="ключ страницы: id больше этого"),
]
ANY_OBJECT = OpenApiResponse(OpenApiTypes.OBJECT)
