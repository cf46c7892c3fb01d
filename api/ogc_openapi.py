"""The OpenAPI 3.0 description of /ogc/ (its service-desc): every collection's items with paging
(default and maximum page size, which GDAL 3.8+ and QGIS read), bbox, datetime and the layer's
property filters, one feature, queryables, and the OGC exception for 4xx answers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.request import Request

from api.layers import MAP_SOURCES

DEFAULT_LIMIT = 1_000
MAX_LIMIT = 10_000
GEOJSON = "application/geo+json"
JSON = "application/json"
SCHEMA_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean", "date": "string",
                "datetime": "string", "string": "string"}  # fmt: skip
EXCEPTION = {
    "type": "object",
    "required": ["code"],
    "properties": {
        "code": {"type": "string"},
        "description": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}


def _parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, "style": "form", "explode": False}  # fmt: skip


def _json_response(description: str, kind: str = JSON) -> dict[str, Any]:
    return {"description": description, "content": {kind: {"schema": {"type": "object"}}}}


def ogc_openapi(request: Request) -> dict[str, Any]:
    f = _parameter("f", _("формат ответа"), {"type": "string", "enum": ["json", "html"]})
    ok = _json_response("OK")
    errors = {
        "400": {"description": _("неверный параметр"), "content": {JSON: {"schema": {"$ref": "#/components/schemas/exception"}}}},
        "404": {"description": _("не найдено"), "content": {JSON: {"schema": {"$ref": "#/components/schemas/exception"}}}},
    }  # fmt: skip
    paths: dict[str, Any] = {
        "/": {"get": {"summary": _("стартовая страница"), "operationId": "landing", "parameters": [f],
                      "responses": {"200": ok, **errors}}},
        "/conformance": {"get": {"summary": _("классы соответствия"), "operationId": "conformance",
                                 "parameters": [f], "responses": {"200": ok, **errors}}},
        "/api": {"get": {"summary": _("это описание"), "operationId": "api", "parameters": [f],
                         "responses": {"200": ok, **errors}}},
        "/collections": {"get": {"summary": _("наборы данных"), "operationId": "collections",
                                 "parameters": [f], "responses": {"200": ok, **errors}}},
    }  # fmt: skip
    for name, source in MAP_SOURCES.items():
        layer = source.layer
        filters = [
            _parameter(key, str(description), {"type": "string"})
            for key, description in layer.filters.items()
        ] + [
            _parameter(key, str(layer.column(key).title), {"type": SCHEMA_TYPES[layer.column(key).kind]})
            for key in layer.equals
        ]
        time_note = (
            _("по полю {}").format(layer.temporal)
            if layer.temporal
            else _("у этого слоя нет времени: не меняет выборку")
        )
        paths[f"/collections/{name}"] = {
            "get": {"summary": str(layer.title), "operationId": f"describe_{name}", "parameters": [f],
                    "responses": {"200": ok, **errors}},
        }  # fmt: skip
        paths[f"/collections/{name}/queryables"] = {
            "get": {"summary": _("поля для фильтров: {}").format(layer.title), "operationId": f"queryables_{name}",
                    "parameters": [f], "responses": {"200": _json_response("JSON Schema", "application/schema+json"), **errors}},
        }  # fmt: skip
        paths[f"/collections/{name}/items"] = {
            "get": {
                "summary": _("объекты: {}").format(layer.title),
                "operationId": f"items_{name}",
                "parameters": [
                    f,
                    _parameter("bbox", _("minlon,minlat,maxlon,maxlat (CRS84); шесть чисел — с высотами"),
                               {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}),
                    _parameter("datetime", _("момент или интервал RFC 3339 (2024-05-01, 2024-05-01T10:00:00Z/.., ../2024-06-01), {}").format(time_note),
                               {"type": "string"}),
                    _parameter("limit", _("объектов на странице (по умолчанию {}, до {})").format(DEFAULT_LIMIT, MAX_LIMIT),
                               {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
                    _parameter("offset", _("сколько пропустить"), {"type": "integer", "minimum": 0, "default": 0}),
                    *filters,
                ],
                "responses": {"200": _json_response("GeoJSON FeatureCollection", GEOJSON), **errors},
            }
        }  # fmt: skip
        paths[f"/collections/{name}/items/{{featureId}}"] = {
            "get": {
                "summary": _("один объект: {}").format(layer.title),
                "operationId": f"item_{name}",
                "parameters": [
                    {"name": "featureId", "in": "path", "required": True, "description": "id",
                     "schema": {"type": "integer"}, "style": "simple"},
                    f,
                ],
                "responses": {"200": _json_response("GeoJSON Feature", GEOJSON), **errors},
            }
        }  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {"title": _("Карта сообществ — OGC API Features"), "version": "1.0",
                 "description": _("Реестр местных сообществ, муниципалитеты, населённые пункты и ярмарки.")},
        "servers": [{"url": request.build_absolute_uri("/ogc")}],
        "paths": paths,
        "components": {"schemas": {"exception": EXCEPTION}},
    }  # fmt: skip
