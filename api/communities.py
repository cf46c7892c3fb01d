"""GET /api/v1/communities/ (GeoJSON FeatureCollection) and /api/v1/communities/{id}/.

Thin: the features come as JSON text from registry.selectors.features, which decides privacy and
filters in SQL; this module parses the paging, adds the links and streams the bytes."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.contrib.gis.geos import MultiPolygon, Point
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from api.fields import GeometryInputField
from api.layers import SOURCES
from api.schema import (
    BAD_REQUEST,
    COMMUNITY_COLLECTION,
    COMMUNITY_FEATURE,
    COMMUNITY_FILTERS,
    NOT_FOUND,
)
from geo.errors import DomainError, ErrorItem
from geo.layers import FeatureQuery, feature_page, feature_stream
from registry.models import Community, Evidence, Sphere
from registry.selectors.communities import community_editable_list
from registry.selectors.features import (
    CommunityFilters,
    feature_query,
)
from registry.services.community_creation import community_create
from registry.services.community_edits import community_update
from registry.services.community_status import (
    EvidenceInput,
    community_archive,
    community_reject,
    community_verify,
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


def _streamed(query: FeatureQuery) -> Iterator[bytes]:
    """The whole collection; its count comes after the features (counted on the way, no second scan)."""
    yield b'{"type": "FeatureCollection", "features": ['
    count = 0
    for chunk, rows in feature_stream(query):
        yield chunk
        count += rows
    yield b"], " + json.dumps({"count": count, "next": None, "previous": None})[1:].encode()


class CommunityInputSerializer(serializers.Serializer):
    """What a team member may write. Status, municipality, source, creator, verifier and the demo
    flag are not fields here: sent anyway, they are ignored (the services set them)."""

    name = serializers.CharField(max_length=200)
    sphere = serializers.SlugRelatedField(slug_field="code", queryset=Sphere.objects.filter(is_active=True))
    location = GeometryInputField(expected=Point)
    area = GeometryInputField(expected=MultiPolygon, required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    form = serializers.ChoiceField(choices=Community.Form.choices, required=False)
    inn = serializers.CharField(required=False, allow_blank=True, max_length=12)
    ogrn = serializers.CharField(required=False, allow_blank=True, max_length=15)
    hide_exact_location = serializers.BooleanField(required=False)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    members_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10_000_000
    )
    founded_year = serializers.IntegerField(required=False, allow_null=True)
    activities = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    links = serializers.ListField(child=serializers.CharField(max_length=500), required=False, max_length=20)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    is_contact_public = serializers.BooleanField(required=False)
    internal_notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)

    class Meta:
        ref_name = "CommunityInput"


def _community_input(data: Any) -> Any:
    """The writable fields from either shape a client may send: the fields themselves (location as
    GeoJSON), or a GeoJSON Feature as the API answers one (geometry is the location, the writable
    properties are the fields; read-only ones such as id, url or municipality are ignored)."""
    if not isinstance(data, Mapping) or data.get("type") != "Feature":
        return data
    properties = data.get("properties") or {}
    if not isinstance(properties, Mapping):
        raise DomainError(ErrorItem("properties", _("Ожидается объект со свойствами"), "properties_invalid"))
    merged = {key: value for key, value in properties.items() if key != "location"}
    if data.get("geometry") is not None:
        merged["location"] = data["geometry"]
    return merged


def _feature_response(request: Request, community: Community, status_code: int) -> HttpResponse:
    _, features = feature_page(
        feature_query(user=request.user, filters=CommunityFilters(pk=community.pk)), limit=1, offset=0
    )
    return HttpResponse(features[1:-1], content_type=GEOJSON, status=status_code)


def _editable(request: Request, pk: int) -> Community:
    community = community_editable_list(user=request.user).filter(pk=pk).first()
    if community is None:
        raise Http404  # another team's, or none: the same answer
    return community


class CommunityCreateMixin:
    """POST on the list: a new community (always proposed) in one of the user's municipalities."""

    @extend_schema(
        operation_id="communities_create",
        description=(
            "Тело — поля сообщества (location — GeoJSON Point) или GeoJSON Feature, как его отдаёт"
            " API: geometry — место, properties — поля (свойства только для чтения не учитываются)."
        ),
        request=CommunityInputSerializer,
        responses={(201, GEOJSON): OpenApiResponse(COMMUNITY_FEATURE), 400: BAD_REQUEST},
    )
    def post(self, request: Request) -> HttpResponse:
        if not request.user.is_authenticated:
            raise NotAuthenticated
        data = CommunityInputSerializer(data=_community_input(request.data))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        community = community_create(
            user=cast(User, request.user), name=values.pop("name"), sphere=values.pop("sphere"),
            location=values.pop("location"), **values,
        )  # fmt: skip
        return _feature_response(request, community, 201)


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    text = serializers.CharField(max_length=5000)
    link = serializers.URLField(required=False, allow_blank=True, max_length=500)


class CommunityVerifyApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        evidence = EvidenceSerializer(many=True, allow_empty=False)
        comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        valid_days = serializers.IntegerField(required=False, min_value=1, max_value=3 * 365)

        class Meta:
            ref_name = "Verification"

    @extend_schema(
        request=InputSerializer,
        responses={(201, GEOJSON): OpenApiResponse(COMMUNITY_FEATURE), 400: BAD_REQUEST},
    )
    def post(self, request: Request, pk: int) -> HttpResponse:
        community = _editable(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        community_verify(
            user=cast(User, request.user),
            community=community,
            evidence=[EvidenceInput(**item) for item in data.validated_data["evidence"]],
            comment=data.validated_data.get("comment", ""),
            valid_days=data.validated_data.get("valid_days"),
        )
        community.refresh_from_db()
        return _feature_response(request, community, 201)


class CommunityRejectApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

        class Meta:
            ref_name = "Rejection"

    @extend_schema(
        request=InputSerializer,
        responses={(200, GEOJSON): OpenApiResponse(COMMUNITY_FEATURE), 400: BAD_REQUEST},
    )
    def post(self, request: Request, pk: int) -> HttpResponse:
        community = _editable(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        community_reject(
            user=cast(User, request.user), community=community, reason=data.validated_data["reason"]
        )
        return _feature_response(request, community, 200)


class CommunityArchiveApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

        class Meta:
            ref_name = "Archiving"

    @extend_schema(
        request=InputSerializer,
        responses={(200, GEOJSON): OpenApiResponse(COMMUNITY_FEATURE), 400: BAD_REQUEST},
    )
    def post(self, request: Request, pk: int) -> HttpResponse:
        community = _editable(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        community = community_archive(
            user=cast(User, request.user), community=community, reason=data.validated_data["reason"]
        )
        return _feature_response(request, community, 200)


class CommunityListApi(CommunityCreateMixin, APIView):
    """Published communities (and, for team members, their municipalities' others) as GeoJSON."""

    @extend_schema(
        operation_id="communities_list",
        parameters=COMMUNITY_FILTERS,
        responses={
            (200, GEOJSON): OpenApiResponse(COMMUNITY_COLLECTION, description="GeoJSON FeatureCollection"),
            400: BAD_REQUEST,
        },
    )
    def get(self, request: Request) -> HttpResponse | StreamingHttpResponse:
        # the layer's own parsing: a parameter it does not read (bbox= for in_bbox) is a 400 naming it
        query = SOURCES["communities"].query(
            user=request.user, params=request.query_params, ignore=("limit", "offset", "after")
        )
        limit, offset = _paging(request)
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


class CommunityDetailApi(APIView):
    """GET: one community by the list's rules. PATCH: edit (team members in scope)."""

    @extend_schema(
        operation_id="communities_retrieve",
        responses={
            (200, GEOJSON): OpenApiResponse(COMMUNITY_FEATURE, description="GeoJSON Feature"),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        query = feature_query(user=request.user, filters=CommunityFilters(pk=pk))
        _, features = feature_page(query, limit=1, offset=0)
        if features == "[]":
            raise Http404  # absent, or not visible to this user: the same answer
        return HttpResponse(features[1:-1], content_type=GEOJSON)

    def get_permissions(self) -> list[BasePermission]:
        return [IsAuthenticated()] if self.request.method == "PATCH" else []

    @extend_schema(
        operation_id="communities_partial_update",
        description="Поля, которые меняются, или GeoJSON Feature (geometry — место, properties — поля).",
        request=CommunityInputSerializer,
        responses={(200, GEOJSON): OpenApiResponse(COMMUNITY_FEATURE), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> HttpResponse:
        community = _editable(request, pk)
        data = CommunityInputSerializer(data=_community_input(request.data), partial=True)
        data.is_valid(raise_exception=True)
        community = community_update(
            user=cast(User, request.user), community=community, **data.validated_data
        )
        return _feature_response(request, community, 200)
