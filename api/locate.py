"""GET /api/v1/locate/: a point (lon, lat) or a place string (q) to municipality and settlement."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import OKTMO_8
from api.schema import ANY_OBJECT, BAD_REQUEST
from geo.errors import DomainError, ErrorItem
from geo.models import LocationPrecision, Municipality, Settlement
from geo.place_lookup import PlaceMatch, place_locate
from geo.selectors import municipality_get, municipality_locate
from geo.validation import point_parse

QUERY_MAX_LENGTH = 300


def _point_json(point: Point | None) -> dict[str, Any] | None:
    return None if point is None else {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]}


def _municipality_json(municipality: Municipality | None) -> dict[str, Any] | None:
    if municipality is None:
        return None
    return {
        "id": municipality.pk,
        "oktmo": municipality.oktmo,
        "name": municipality.name,
        "official_name": municipality.official_name,
        "kind": municipality.kind,
        "level": municipality.level,
        "region": municipality.region.iso_code,
        "slug": municipality.slug,
    }


def _settlement_json(settlement: Settlement | None) -> dict[str, Any] | None:
    if settlement is None:
        return None
    rural = settlement.rural_municipality
    return {
        "oktmo": settlement.oktmo,
        "type": settlement.type,
        "name": settlement.name,
        "municipality": {"oktmo": settlement.municipality.oktmo, "name": settlement.municipality.name},
        "rural_municipality": None if rural is None else {"oktmo": rural.oktmo, "name": rural.name},
        "point": _point_json(settlement.point),
    }


def _match_json(match: PlaceMatch) -> dict[str, Any]:
    return {
        "status": match.status,
        "precision": match.precision,
        "point": _point_json(match.point),
        "municipality": _municipality_json(match.municipality),
        "rural_municipality": _municipality_json(match.rural_municipality),
        "settlement": _settlement_json(match.settlement),
        "candidates": [_settlement_json(candidate) for candidate in match.candidates],
        "suggestions": list(match.suggestions),
    }


class LocateFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, max_length=QUERY_MAX_LENGTH, allow_blank=False, trim_whitespace=True
    )
    municipality = serializers.RegexField(
        OKTMO_8, required=False, error_messages={"invalid": _("Ожидается код ОКТМО из 8 цифр")}
    )
    lon = serializers.CharField(required=False, allow_blank=True, max_length=50)
    lat = serializers.CharField(required=False, allow_blank=True, max_length=50)


class LocateApi(APIView):
    @extend_schema(parameters=[LocateFilterSerializer], responses={200: ANY_OBJECT, 400: BAD_REQUEST})
    def get(self, request: Request) -> Response:
        if "q" in request.query_params and not request.query_params["q"].strip():
            raise DomainError(ErrorItem("q", _("Укажите название места, например «с. Иглино»"), "blank"))
        params = LocateFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if "q" in data:
            scope = None
            if "municipality" in data:
                scope = municipality_get(oktmo=data["municipality"])
                if scope is None:
                    raise DomainError(
                        ErrorItem(
                            "municipality",
                            _("Муниципалитет с ОКТМО {} не найден").format(data["municipality"]),
                            "municipality_unknown",
                        )
                    )
            return Response(_match_json(place_locate(data["q"], municipality=scope)))
        if "lon" not in data and "lat" not in data:
            raise DomainError(
                ErrorItem(None, _("Укажите lon и lat (точка) или q (название места)"), "required")
            )
        point = point_parse(data.get("lon"), data.get("lat"))
        municipality = municipality_locate(point=point)
        if municipality is None:
            return Response(_match_json(PlaceMatch("not_found", point=point)))
        match = PlaceMatch("found", municipality=municipality, point=point, precision=LocationPrecision.EXACT)
        return Response(_match_json(match))
