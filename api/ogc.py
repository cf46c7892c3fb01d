"""OGC API – Features (Part 1: Core, GeoJSON, HTML, OpenAPI 3.0) at /ogc/, for QGIS, GDAL and OWSLib.

The items are the layers' own SQL (geo.layers.feature_page), so privacy, filters and speed are those
of the public list: one source of truth. JSON or HTML by `f=` or the Accept header."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.layers import MAP_SOURCES, Source
from api.ogc_openapi import DEFAULT_LIMIT, GEOJSON, JSON, MAX_LIMIT, SCHEMA_TYPES, ogc_openapi
from api.ogc_params import CRS84, crs_check, period_parse
from api.throttling import GisReadThrottle, WriteThrottle
from geo.errors import DomainError, ErrorItem
from geo.layers import FeatureQuery, feature_extent, feature_page, feature_query_narrow, feature_time_extent
from registry.selectors.features import CommunityFilters

HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
]
# parameters of every items request besides the layer's own filters
ITEMS_PARAMETERS = ("f", "bbox", "limit", "offset", "datetime", "bbox-crs", "crs")


class AnyAccept(BaseContentNegotiation):
    """The views choose JSON or HTML themselves (f= or Accept); DRF must not answer 406."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


def _wants_html(request: Request) -> bool:
    chosen = request.query_params.get("f")
    if chosen is not None:
        if chosen not in {"json", "html"}:
            raise DomainError(ErrorItem("f", _("Формат: json или html"), "format_invalid"))
        return chosen == "html"
    accept = request.META.get("HTTP_ACCEPT", "")
    return HTML in accept and "json" not in accept.split(HTML)[0]


def _url(request: Request, path: str, **params: Any) -> str:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return request.build_absolute_uri(f"/ogc{path}") + (f"?{query}" if query else "")


def _links(request: Request, path: str, *, json_type: str = JSON, **params: Any) -> list[dict[str, str]]:
    """self and alternate links of a resource available as JSON and HTML."""
    wants_html = _wants_html(request)
    return [
        _link_to(_url(request, path, **params, f="html" if wants_html else "json"), "self",
                 HTML if wants_html else json_type, _("эта страница")),
        _link_to(_url(request, path, **params, f="json" if wants_html else "html"), "alternate",
                 json_type if wants_html else HTML, _("в формате JSON") if wants_html else _("в формате HTML")),
    ]  # fmt: skip


def _link_to(href: str, rel: str, kind: str, title: Any) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": kind, "title": str(title)}


def _collection_link(request: Request, collection: str, source: Source) -> dict[str, str]:
    return _link_to(
        _url(request, f"/collections/{collection}", f="json"), "collection", JSON, source.layer.title
    )


def _json(payload: Any, content_type: str = JSON) -> HttpResponse:
    return HttpResponse(json.dumps(payload, ensure_ascii=False), content_type=content_type)


def _source(collection: str) -> Source:
    source = MAP_SOURCES.get(collection)
    if source is None:
        raise Http404
    return source


def _utc(value: Any) -> str:
    """A time (or a date: its start in the project's time zone) as RFC 3339 in UTC."""
    if not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time.min))
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _extent(query: FeatureQuery) -> dict[str, Any]:
    """The spatial and temporal extent of what this user sees of the layer, from the data."""
    extent: dict[str, Any] = {}
    box = feature_extent(query)
    if box is not None:
        extent["spatial"] = {"bbox": [[round(value, 6) for value in box]], "crs": CRS84}
    times = feature_time_extent(query)
    if times is not None:
        first, last = times
        if not isinstance(last, datetime):  # a date: up to the end of its day
            last = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
        extent["temporal"] = {"interval": [[_utc(first), _utc(last)]], "trs": GREGORIAN}
    return extent


def _collection(request: Request, name: str, source: Source) -> dict[str, Any]:
    layer = source.layer
    described = {
        "id": name,
        "title": str(layer.title),
        "description": str(layer.description),
        "itemType": "feature",
        "crs": [CRS84],
        "extent": _extent(source.build(request.user, CommunityFilters())),
        "links": [
            *_links(request, f"/collections/{name}"),
            _link_to(
                _url(request, f"/collections/{name}/items", f="json"), "items", GEOJSON, str(layer.title)
            ),
            _link_to(_url(request, f"/collections/{name}/items", f="html"), "items", HTML, str(layer.title)),
            _link_to(
                _url(request, f"/collections/{name}/queryables", f="json"),
                QUERYABLES_REL,
                "application/schema+json",
                _("поля для фильтров"),
            ),
        ],  # fmt: skip
    }
    if not described["extent"]:
        del described["extent"]  # nothing to see: an extent of nothing is no extent
    return described


def _integer(request: Request, name: str, *, default: int, minimum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if not text.isdigit() or len(text) > 9 or int(text) < minimum:
        raise DomainError(
            ErrorItem(name, _("Ожидается целое число не меньше {}").format(minimum), f"{name}_invalid")
        )
    return int(text)


def _items_query(request: Request, source: Source) -> FeatureQuery:
    """The layer's query from OGC parameters: bbox is minlon,minlat,maxlon,maxlat (CRS84); datetime
    an instant or an interval on the layer's time (a layer without time accepts and ignores it)."""
    crs_check(request.query_params)
    raw_period = request.query_params.get("datetime")
    period = period_parse(raw_period) if raw_period is not None else None
    params = {key: value for key, value in request.query_params.items() if key not in ITEMS_PARAMETERS}
    bbox = request.query_params.get("bbox")
    if bbox:
        if len(bbox.split(",")) == 6:  # minx,miny,minz,maxx,maxy,maxz: the heights do not matter
            parts = bbox.split(",")
            bbox = ",".join([parts[0], parts[1], parts[3], parts[4]])
        params["in_bbox"] = bbox
    try:
        return feature_query_narrow(source.query(user=request.user, params=params), period=period)
    except DomainError as error:  # name OGC's parameter, not the internal one
        raise DomainError(
            *(
                ErrorItem("bbox" if item.field == "in_bbox" else item.field, item.message, item.code)
                for item in error.items
            )
        ) from None


def _rows(features: list[dict[str, Any]], columns: list[Any]) -> list[tuple[Any, list[Any]]]:
    return [(feature["id"], [feature["properties"].get(c.name) for c in columns]) for feature in features]


class OgcView(APIView):
    content_negotiation_class = AnyAccept
    schema = None  # described by /ogc/api, not by the project's /api/schema/
    throttle_classes = [GisReadThrottle, WriteThrottle]

    def handle_exception(self, exc: Exception) -> Response:
        """The project's error body with OGC's exception members (code, description) beside it."""
        response = super().handle_exception(exc)
        errors = response.data.get("errors") if isinstance(response.data, dict) else None
        if errors:
            response.data = {
                "code": errors[0]["code"],
                "description": "; ".join(
                    f"{item['field']}: {item['message']}" if item["field"] else item["message"]
                    for item in errors
                ),
                **response.data,
            }
        return response


class LandingOgc(OgcView):
    def get(self, request: Request) -> HttpResponse:
        payload = {
            "title": _("Карта сообществ — OGC API Features"),
            "description": _("Реестр местных сообществ, муниципалитеты и ярмарки сообществ для ГИС."),
            "links": [
                *_links(request, "/"),
                _link_to(
                    _url(request, "/api", f="json"), "service-desc", OPENAPI, _("описание API (OpenAPI 3.0)")
                ),
                _link_to(_url(request, "/api", f="html"), "service-doc", HTML, _("описание API")),
                _link_to(
                    _url(request, "/conformance", f="json"), "conformance", JSON, _("классы соответствия")
                ),
                _link_to(_url(request, "/collections", f="json"), "data", JSON, _("наборы данных")),
            ],  # fmt: skip
        }
        if _wants_html(request):
            return render(
                request, "ogc/landing.html", {"payload": payload, "url": request.build_absolute_uri("/ogc/")}
            )
        return _json(payload)


class ConformanceOgc(OgcView):
    def get(self, request: Request) -> HttpResponse:
        if _wants_html(request):
            return render(request, "ogc/conformance.html", {"classes": CONFORMANCE})
        return _json({"conformsTo": CONFORMANCE})


class CollectionsOgc(OgcView):
    def get(self, request: Request) -> HttpResponse:
        collections = [_collection(request, name, source) for name, source in MAP_SOURCES.items()]
        if _wants_html(request):
            return render(request, "ogc/collections.html", {"collections": collections})
        return _json({"links": _links(request, "/collections"), "collections": collections})


class CollectionOgc(OgcView):
    def get(self, request: Request, collection: str) -> HttpResponse:
        source = _source(collection)
        payload = _collection(request, collection, source)
        if _wants_html(request):
            return render(request, "ogc/collection.html", {"collection": payload, "layer": source.layer})
        return _json(payload)


class ItemsOgc(OgcView):
    def get(self, request: Request, collection: str) -> HttpResponse:
        source = _source(collection)
        wants_html = _wants_html(request)
        limit = min(_integer(request, "limit", default=DEFAULT_LIMIT, minimum=1), MAX_LIMIT)
        offset = _integer(request, "offset", default=0, minimum=0)
        query = _items_query(request, source)
        matched, features = feature_page(query, limit=limit, offset=offset)
        returned = max(0, min(limit, matched - offset))
        kept = {
            key: value for key, value in request.query_params.items() if key not in {"f", "limit", "offset"}
        }
        path = f"/collections/{collection}/items"
        links = _links(request, path, json_type=GEOJSON, **kept, limit=limit, offset=offset)
        fmt = "html" if wants_html else "json"
        if offset + returned < matched:
            following = _url(request, path, **kept, limit=limit, offset=offset + limit, f=fmt)
            links.append(
                _link_to(following, "next", HTML if wants_html else GEOJSON, _("следующая страница"))
            )
        if offset > 0:
            preceding = _url(request, path, **kept, limit=limit, offset=max(0, offset - limit), f=fmt)
            links.append(
                _link_to(preceding, "prev", HTML if wants_html else GEOJSON, _("предыдущая страница"))
            )
        links.append(_collection_link(request, collection, source))
        if wants_html:
            return render(
                request,
                "ogc/items.html",
                {
                    "layer": source.layer,
                    "collection": collection,
                    "rows": _rows(
                        json.loads(features), columns := source.layer.visible_columns(team=query.team_fields)
                    ),
                    "columns": columns,
                    "matched": matched,
                    "returned": returned,
                    "offset": offset,
                    "links": {link["rel"]: link["href"] for link in links},
                },
            )
        head = {
            "type": "FeatureCollection",
            "numberMatched": matched,
            "numberReturned": returned,
            "timeStamp": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "links": links,
        }
        # the features are JSON text built by PostgreSQL: spliced in, never parsed and re-encoded
        body = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ' + features + "}"
        return HttpResponse(body, content_type=GEOJSON)


class ItemOgc(OgcView):
    def get(self, request: Request, collection: str, fid: str) -> HttpResponse:
        source = _source(collection)
        if not fid.isdigit() or len(fid) > 18:
            raise Http404
        query = source.build(request.user, CommunityFilters(pk=int(fid)))
        _total, features = feature_page(query, limit=1, offset=0)
        found = json.loads(features)
        if not found:
            raise Http404
        feature = found[0]
        path = f"/collections/{collection}/items/{fid}"
        feature["links"] = [
            *_links(request, path, json_type=GEOJSON),
            _collection_link(request, collection, source),
        ]  # fmt: skip
        if _wants_html(request):
            return render(
                request,
                "ogc/item.html",
                {
                    "layer": source.layer,
                    "collection": collection,
                    "feature": feature,
                    "pairs": [
                        (column, feature["properties"].get(column.name))
                        for column in source.layer.visible_columns(team=query.team_fields)
                    ],
                },
            )
        return _json(feature, GEOJSON)


class ApiOgc(OgcView):
    """The OpenAPI 3.0 description of the OGC endpoints (service-desc)."""

    def get(self, request: Request) -> HttpResponse:
        document = ogc_openapi(request)
        if _wants_html(request):
            return render(request, "ogc/api.html", {"document": document, "sources": MAP_SOURCES})
        return _json(document, OPENAPI)


class QueryablesOgc(OgcView):
    """Part 3: the properties a client can filter on by name (?level=1), as a JSON Schema."""

    def get(self, request: Request, collection: str) -> HttpResponse:
        source = _source(collection)
        layer = source.layer
        properties = {
            column.name: {"title": str(column.title), **_column_schema(column.kind)}
            for column in layer.queryables()
        }
        if _wants_html(request):
            return render(
                request,
                "ogc/queryables.html",
                {"layer": layer, "collection": collection, "columns": layer.queryables()},
            )
        schema = {
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "$id": _url(request, f"/collections/{collection}/queryables"),
            "type": "object",
            "title": str(layer.title),
            "properties": properties,
            "additionalProperties": False,
        }
        return _json(schema, "application/schema+json")


def _column_schema(kind: str) -> dict[str, Any]:
    if kind == "date":
        return {"type": "string", "format": "date"}
    if kind == "datetime":
        return {"type": "string", "format": "date-time"}
    return {"type": SCHEMA_TYPES[kind]}


def landing_redirect(request: HttpRequest) -> HttpResponse:
    """/ogc → /ogc/ as an absolute URL: QGIS cannot follow a relative Location."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(request.build_absolute_uri("/ogc/") + (f"?{query}" if query else ""))
