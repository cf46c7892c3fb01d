"""GET /api/v1/municipalities/ and /api/v1/municipalities/{oktmo}/ as GeoJSON."""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.pagination import GeoJsonPagination
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from api.fields import OKTMO_8, StrictBooleanField
from api.schema import BAD_REQUEST, NOT_FOUND
from geo.models import Municipality
from geo.selectors import municipality_get, municipality_list
from registry.selectors.communities import community_public_counts


class MunicipalityPagination(GeoJsonPagination):
    page_size = 100
    max_page_size = 1000
    page_query_param = "page"
    page_size_query_param = "page_size"


class MunicipalityOutputSerializer(GeoFeatureModelSerializer):
    region = serializers.CharField(source="region.iso_code")
    parent = serializers.CharField(source="parent.oktmo", default=None, allow_null=True)
    communities_verified = serializers.SerializerMethodField(
        help_text=_("опубликованных (подтверждённых) сообществ")
    )

    def get_communities_verified(self, municipality: Municipality) -> int:
        return int(self.context["counts"].get(municipality.pk, 0))

    class Meta:
        model = Municipality
        geo_field = "boundary"
        id_field = "id"
        fields = (
            "id", "name", "official_name", "oktmo", "kind", "level", "region", "parent",
            "admin_center", "area_km2", "slug", "communities_verified",
        )  # fmt: skip


class MunicipalitySimplifiedOutputSerializer(MunicipalityOutputSerializer):
    class Meta(MunicipalityOutputSerializer.Meta):
        geo_field = "boundary_simplified"


class MunicipalityFilterSerializer(serializers.Serializer):
    region = serializers.RegexField(
        r"^[A-Za-z]{2}-[A-Za-z]{2,3}$",
        required=False,
        error_messages={"invalid": _("Ожидается код ISO 3166-2, например RU-BA")},
    )
    level = serializers.ChoiceField(
        choices=[1, 2],
        required=False,
        error_messages={
            "invalid_choice": _("Уровень: 1 (район, округ) или 2 (поселение), получено «{input}»")
        },
    )
    simplified = StrictBooleanField(required=False, default=False)

    def to_internal_value(self, data: Any) -> Any:
        # Query values arrive as text; "1" must reach the ChoiceField as the integer 1.
        values = {
            key: data.get(key) for key in ("region", "level", "simplified") if data.get(key) not in (None,)
        }
        if isinstance(values.get("level"), str) and values["level"].strip().isdigit():
            values["level"] = int(values["level"].strip())
        return super().to_internal_value(values)


def _serializer_class(simplified: bool) -> type[MunicipalityOutputSerializer]:
    return MunicipalitySimplifiedOutputSerializer if simplified else MunicipalityOutputSerializer


class MunicipalityListApi(APIView):
    @extend_schema(
        operation_id="municipalities_list",
        parameters=[MunicipalityFilterSerializer],
        responses={200: MunicipalityOutputSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        filters = MunicipalityFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        municipalities = municipality_list(
            region_iso=filters.validated_data.get("region"), level=filters.validated_data.get("level")
        )
        paginator = MunicipalityPagination()
        page = paginator.paginate_queryset(municipalities, request, view=self)
        counts = community_public_counts(municipality_ids=[item.pk for item in page or []])
        serializer = _serializer_class(filters.validated_data["simplified"])(
            page, many=True, context={"counts": counts}
        )
        return paginator.get_paginated_response(serializer.data)


class MunicipalityDetailApi(APIView):
    @extend_schema(
        operation_id="municipalities_retrieve", responses={200: MunicipalityOutputSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, oktmo: str) -> Response:
        filters = MunicipalityFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        municipality = municipality_get(oktmo=oktmo) if re.match(OKTMO_8, oktmo) else None
        if municipality is None:
            raise Http404
        counts = community_public_counts(municipality_ids=[municipality.pk])
        serializer = _serializer_class(filters.validated_data["simplified"])(
            municipality, context={"counts": counts}
        )
        return Response(serializer.data)
