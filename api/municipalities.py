"""GET /api/v1/municipalities/ and /api/v1/municipalities/{oktmo}/ as GeoJSON.

Thin, like the communities list: the features come as JSON text built by PostgreSQL from
registry.selectors.layers (no Python object per boundary); this module parses the parameters and
the paging (page, page_size) and adds count, next and previous."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from api.fields import OKTMO_8, StrictBooleanField
from api.schema import BAD_REQUEST, MUNICIPALITY_COLLECTION, MUNICIPALITY_FEATURE, NOT_FOUND
from geo.errors import DomainError, ErrorItem
from geo.layers import feature_page
from registry.selectors.layers import municipality_record_query

GEOJSON = "application/geo+json"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
PARAMETERS = ("region", "level", "simplified", "page", "page_size")


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
    simplified = StrictBooleanField(
        required=False, default=False, help_text="1: упрощённая граница вместо полной (легче для карты)"
    )
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=1_000_000)
    page_size = serializers.IntegerField(
        required=False, default=DEFAULT_PAGE_SIZE, min_value=1, max_value=MAX_PAGE_SIZE,
        help_text=f"до {MAX_PAGE_SIZE}; весь список — по ссылкам next",
    )  # fmt: skip

    def to_internal_value(self, data: Any) -> Any:
        _unknown_refused(data, allowed=PARAMETERS)
        # Query values arrive as text; "1" must reach the ChoiceField as the integer 1.
        values = {key: data.get(key) for key in PARAMETERS if data.get(key) not in (None,)}
        if isinstance(values.get("level"), str) and values["level"].strip().isdigit():
            values["level"] = int(values["level"].strip())
        return super().to_internal_value(values)


def _unknown_refused(data: Any, *, allowed: tuple[str, ...]) -> None:
    """A parameter this list does not read is a 400 naming it: `limit=all` or a misspelt filter must
    not silently answer something else."""
    unknown = sorted(name for name in data if name not in allowed)
    if unknown:
        message = _("Неизвестный параметр; список понимает: {}. Листайте по page и page_size (до {}).")
        raise DomainError(
            *(
                ErrorItem(name, message.format(", ".join(allowed), MAX_PAGE_SIZE), "parameter_unknown")
                for name in unknown
            )
        )


def _page_link(request: Request, page: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(params.items()))


class MunicipalityListApi(APIView):
    @extend_schema(
        operation_id="municipalities_list",
        summary="Муниципалитеты (GeoJSON, по страницам)",
        description=(
            "Районы и округа с границами и поселения (сельсоветы) без геометрии. Страницы: page и"
            f" page_size (по умолчанию {DEFAULT_PAGE_SIZE}, до {MAX_PAGE_SIZE}); count — сколько всего,"
            " next и previous — ссылки на соседние страницы. limit и другие неизвестные параметры — 400."
        ),
        parameters=[MunicipalityFilterSerializer],
        responses={(200, GEOJSON): OpenApiResponse(MUNICIPALITY_COLLECTION), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> HttpResponse:
        filters = MunicipalityFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        values = filters.validated_data
        query = municipality_record_query(
            region=values.get("region"), level=values.get("level"), simplified=values["simplified"]
        )
        page, size = values["page"], values["page_size"]
        count, features = feature_page(query, limit=size, offset=(page - 1) * size)
        head = {
            "type": "FeatureCollection",
            "count": count,
            "next": _page_link(request, page + 1) if page * size < count else None,
            "previous": _page_link(request, page - 1) if page > 1 else None,
        }
        # the features are JSON text built by PostgreSQL: spliced in, never parsed and re-encoded
        body = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ' + features + "}"
        return HttpResponse(body, content_type=GEOJSON)


class MunicipalityDetailApi(APIView):
    @extend_schema(
        operation_id="municipalities_retrieve",
        parameters=[
            OpenApiParameter("simplified", OpenApiTypes.BOOL, description="1: упрощённая граница"),
        ],
        responses={(200, GEOJSON): OpenApiResponse(MUNICIPALITY_FEATURE), 404: NOT_FOUND},
    )
    def get(self, request: Request, oktmo: str) -> HttpResponse:
        _unknown_refused(request.query_params, allowed=("simplified",))
        filters = MunicipalityFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        if not re.match(OKTMO_8, oktmo):
            raise Http404
        query = municipality_record_query(oktmo=oktmo, simplified=filters.validated_data["simplified"])
        _count, features = feature_page(query, limit=1, offset=0)
        if features == "[]":
            raise Http404
        return HttpResponse(features[1:-1], content_type=GEOJSON)
