"""GET /api/v1/communities/ (GeoJSON FeatureCollection) and /api/v1/communities/{id}/.

Thin: the features come as JSON text from registry.selectors.features, which decides privacy and
filters in SQL; this module parses the paging, adds the links and streams the bytes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from api.schema import (
    BAD_REQUEST,
    COMMUNITY_COLLECTION,
    COMMUNITY_FEATURE,
    COMMUNITY_FILTERS,
    NOT_FOUND,
)
from geo.errors import DomainError, ErrorItem
from registry.selectors.features import (
    CommunityFilters,
    FeatureQuery,
    feature_page,
    feature_query,
    feature_stream,
    filters_parse,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
GEOJSON = "application/geo+json"


def _paging(request: Request) -> tuple[int | None, int]:
    """(limit, offset); limit None means every feature, streamed (limit=all)."""
    errors = []
    raw_limit = request.query_params.get("limit", "").strip()
    raw_offset = request.query_params.get("offset", "").strip()
    limit: int | None = DEFAULT_LIMIT
    offset = 0
    if raw_limit == "all":
        limit = None
    elif raw_limit:
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
            errors.append(ErrorItem("limit", _("От 1 до {} или all").format(MAX_LIMIT), "limit_invalid"))
        else:
            limit = int(raw_limit)
    if raw_offset:
        if not raw_offset.isdigit() or len(raw_offset) > 12:
            errors.append(ErrorItem("offset", _("Ожидается целое число не меньше 0"), "offset_invalid"))
        else:
            offset = int(raw_offset)
    if errors:
        raise DomainError(*errors)
    return limit, offset


def _link(request: Request, **changes: int) -> str:
    params = request.query_params.copy()
    for key, value in changes.items():
        params[key] = str(value)
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(params.items()))


class CommunityListApi(APIView):
    """Published communities (and, for team members, their municipalities' others) as GeoJSON."""

    @extend_schema(
        operation_id="communities_list",
        parameters=COMMUNITY_FILTERS,
        responses={
            200: OpenApiResponse(COMMUNITY_COLLECTION, description="GeoJSON FeatureCollection"),
            400: BAD_REQUEST,
        },
    )
    def get(self, request: Request) -> HttpResponse | StreamingHttpResponse:
        filters = filters_parse(request.query_params)
        limit, offset = _paging(request)
        query = feature_query(user=request.user, filters=filters)
        if limit is None:
            return StreamingHttpResponse(_streamed(query), content_type=GEOJSON)
        count, features = feature_page(query, limit=limit, offset=offset)
        next_link = _link(request, limit=limit, offset=offset + limit) if offset + limit < count else None
        previous = _link(request, limit=limit, offset=max(0, offset - limit)) if offset > 0 else None
        head = json.dumps(
            {"type": "FeatureCollection", "count": count, "next": next_link, "previous": previous}
        )
        body = head[:-1] + ', "features": ' + features + "}"
        return HttpResponse(body, content_type=GEOJSON)


def _streamed(query: FeatureQuery) -> Iterator[str]:
    """The whole collection; its count comes after the features (counted on the way, no second scan)."""
    yield '{"type": "FeatureCollection", "features": ['
    count = 0
    for chunk, rows in feature_stream(query):
        yield chunk if count == 0 else "," + chunk
        count += rows
    yield "], " + json.dumps({"count": count, "next": None, "previous": None})[1:]


class CommunityDetailApi(APIView):
    @extend_schema(
        operation_id="communities_retrieve",
        responses={200: OpenApiResponse(COMMUNITY_FEATURE, description="GeoJSON Feature"), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        query = feature_query(user=request.user, filters=CommunityFilters(pk=pk))
        _, features = feature_page(query, limit=1, offset=0)
        if features == "[]":
            raise Http404  # absent, or not visible to this user: the same answer
        return HttpResponse(features[1:-1], content_type=GEOJSON)
