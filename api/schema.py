"""OpenAPI pieces drf-spectacular cannot infer: the GeoJSON shapes built in SQL, and the error shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

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
        "distance_m": {
            "type": "integer",
            "description": "с near: метры от точки near до публичной точки сообщества (ближние — первыми)",
        },
        "updated_at": {
            "type": "string",
            "format": "date-time",
            "description": "последнее изменение записи (к updated_since)",
        },
        "status": {
            "type": "string",
            "nullable": True,
            "description": "только команде (в своих муниципалитетах)",
        },
        "source": {
            "type": "string",
            "nullable": True,
            "description": "только команде (в своих муниципалитетах)",
        },
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
MULTIPOLYGON: dict[str, Any] = {
    "type": "object",
    "nullable": True,
    "description": "граница (simplified=1 — упрощённая); у поселения без границы — null",
    "properties": {
        "type": {"type": "string", "enum": ["MultiPolygon"]},
        "coordinates": {"type": "array", "items": {"type": "array"}},
    },
}
MUNICIPALITY_FEATURE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "integer"},
        "geometry": MULTIPOLYGON,
        "properties": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "official_name": {"type": "string"},
                "oktmo": {"type": "string", "nullable": True},
                "kind": {"type": "string"},
                "level": {"type": "integer", "enum": [1, 2]},
                "region": {"type": "string", "description": "ISO 3166-2"},
                "parent": {"type": "string", "nullable": True, "description": "ОКТМО района поселения"},
                "admin_center": {"type": "string"},
                "area_km2": {"type": "number", "nullable": True},
                "slug": {"type": "string"},
                "communities_verified": {"type": "integer"},
            },
        },
    },
}
MUNICIPALITY_COLLECTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "count": {"type": "integer", "description": "все подходящие под фильтры"},
        "next": {"type": "string", "nullable": True, "description": "следующая страница"},
        "previous": {"type": "string", "nullable": True, "description": "предыдущая страница"},
        "features": {"type": "array", "items": MUNICIPALITY_FEATURE},
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


# What any operation may answer besides its own responses: the middleware, the throttles and the
# authentication answer before a view runs, always in the one error shape.
COMMON_ERRORS: dict[str, str] = {
    "400": "Ошибка во входных данных: поле и что ожидалось",
    "401": "Нужна авторизация (токен неверен)",
    "403": "Нет прав (или не выполнен вход)",
    "404": "Не найдено (или нет доступа)",
    "405": "Метод не поддерживается",
    "413": "Слишком большой запрос",
    "429": "Слишком много запросов: заголовок Retry-After говорит, когда повторить",
}


def document_common_errors(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation documents the error answers it can give."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Errors", ERRORS)
    for component in components.values():  # GeoJSON allows a feature without a geometry
        geometry = component.get("properties", {}).get("geometry") if isinstance(component, dict) else None
        if isinstance(geometry, dict) and component.get("properties", {}).get("type"):
            geometry["nullable"] = True
    reference = {"$ref": "#/components/schemas/Errors"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                if code == "413" and method == "get":
                    continue
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": reference}}}
                )
    return result


def page_serializer(name: str, item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of one page of a paginated list: count, next, previous and the page's results."""
    meta = type("Meta", (), {"ref_name": name})
    return type(
        f"{name}Serializer",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
            "Meta": meta,
        },
    )
