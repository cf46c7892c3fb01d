"""Fairs and their sign-up imports: /api/v1/fairs/, /api/v1/fairs/{id}/, /api/v1/fairs/{id}/imports/.

The fair list is public (fairs are public events; `mine=true` keeps the user's own municipalities');
everything else needs a signed-in team member, and a fair or municipality outside the user's team
is a 404, as if it did not exist."""

from __future__ import annotations

import json
from typing import cast

from django.conf import settings
from django.contrib.auth.models import User
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import OKTMO_8, StrictBooleanField
from api.schema import ANY_OBJECT, BAD_REQUEST, NOT_FOUND, page_serializer
from fairs.models import Fair, SignupImport
from fairs.selectors.fairs import fair_get, fair_list, fair_public_list, signup_counts
from fairs.services.fairs import fair_create
from fairs.services.imports import STATUS_KEYS, signup_import
from geo.errors import DomainError, ErrorItem
from geo.models import Municipality
from geo.selectors import municipality_get
from registry.selectors.teams import team_has_member


class FairPagination(PageNumberPagination):
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


class FairOutputSerializer(serializers.ModelSerializer):
    class MunicipalitySerializer(serializers.ModelSerializer):
        class Meta:
            model = Municipality
            fields = ("oktmo", "name")

    municipality = MunicipalitySerializer()

    class Meta:
        model = Fair
        fields = ("id", "municipality", "title", "date", "venue_name", "status", "visitor_count")


def _fair(request: Request, pk: int) -> Fair:
    fair = fair_get(user=request.user, pk=pk)
    if fair is None:
        raise Http404
    return fair


FairPageSerializer = page_serializer("FairPage", FairOutputSerializer)


class FairFilterSerializer(serializers.Serializer):
    municipality = serializers.RegexField(
        OKTMO_8, required=False, error_messages={"invalid": _("Ожидается код ОКТМО из 8 цифр")}
    )
    mine = StrictBooleanField(required=False, default=False)


class FairListApi(APIView):
    """GET: every fair, newest first (`municipality`, `mine=true` for the user's own municipalities').
    POST: a fair in one of the user's municipalities."""

    class InputSerializer(serializers.Serializer):
        municipality = serializers.RegexField(
            OKTMO_8, error_messages={"invalid": _("Ожидается код ОКТМО из 8 цифр")}
        )
        date = serializers.DateField(error_messages={"invalid": _("Ожидается дата в формате ГГГГ-ММ-ДД")})
        title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

        class Meta:
            ref_name = "FairCreate"

        def validate_municipality(self, value: str) -> Municipality:
            municipality = municipality_get(oktmo=value)
            if municipality is None:
                raise serializers.ValidationError(
                    _("Муниципалитет с ОКТМО «{}» не найден").format(value), code="municipality_unknown"
                )
            return municipality

    def get_permissions(self) -> list[BasePermission]:
        return [IsAuthenticated()] if self.request.method == "POST" else []

    @extend_schema(
        operation_id="fairs_list",
        parameters=[FairFilterSerializer],
        responses={200: FairPageSerializer, 400: BAD_REQUEST},
        # public: signing in only adds mine=true (drf-spectacular takes requirement objects here too)
        auth=[{"cookieAuth": []}, {"tokenAuth": []}, {}],  # type: ignore[list-item]
    )
    def get(self, request: Request) -> Response:
        filters = FairFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        oktmo = filters.validated_data.get("municipality")
        fairs = fair_public_list(oktmo=oktmo)
        if filters.validated_data["mine"]:
            fairs = fairs.filter(pk__in=fair_list(user=request.user).values("pk"))
        paginator = FairPagination()
        page = paginator.paginate_queryset(fairs, request, view=self)
        return paginator.get_paginated_response(FairOutputSerializer(page, many=True).data)

    @extend_schema(
        request=InputSerializer, responses={201: FairOutputSerializer, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        municipality: Municipality = data.validated_data["municipality"]
        if not team_has_member(municipality=municipality, user=request.user):
            raise Http404  # another team's municipality: as if it did not exist
        fair = fair_create(
            user=cast(User, request.user),
            municipality=municipality,
            date=data.validated_data["date"],
            title=data.validated_data["title"],
        )
        return Response(FairOutputSerializer(fair).data, status=status.HTTP_201_CREATED)


class FairDetailApi(APIView):
    """One fair with its sign-up counters: total and per status."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="fairs_retrieve", responses={200: ANY_OBJECT, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        fair = _fair(request, pk)
        return Response({**FairOutputSerializer(fair).data, "signups": signup_counts(fair=fair)})


class FairImportApi(APIView):
    """GET: the fair's imports with their counts. POST: import one sheet (multipart field «file»)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        # Empty files reach the service, which names the problem (file_empty) like every other.
        file = serializers.FileField(allow_empty_file=True, use_url=False)
        # {header as written: field code | "skip" | "name+place"}; columns not named are mapped automatically
        mapping = serializers.JSONField(required=False)

        class Meta:
            ref_name = "SignupSheet"

    class OutputSerializer(serializers.ModelSerializer):
        counts = serializers.SerializerMethodField()

        class Meta:
            model = SignupImport
            fields = ("id", "file_name", "sha256", "uploaded_at", "counts")

        def get_counts(self, source: SignupImport) -> dict[str, int]:
            report = source.report or {}
            return {key: report.get(key, 0) for key in ("rows", *STATUS_KEYS.values())}

    @extend_schema(
        operation_id="fair_imports_list", responses={200: OutputSerializer(many=True), 404: NOT_FOUND}
    )
    def get(self, request: Request, pk: int) -> Response:
        fair = _fair(request, pk)
        return Response(self.OutputSerializer(fair.imports.all(), many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: ANY_OBJECT, 200: ANY_OBJECT, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        fair = _fair(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        # One byte over the limit is enough for the service to refuse it; a 60 MB upload stays on disk.
        report = signup_import(
            user=cast(User, request.user),
            fair=fair,
            data=upload.read(settings.FAIRS_IMPORT_MAX_BYTES + 1),
            file_name=upload.name or "",
            mapping=_mapping(data.validated_data.get("mapping")),
        )
        return Response(
            report.as_json(),
            status=status.HTTP_200_OK if report.already_imported else status.HTTP_201_CREATED,
        )


def _mapping(value: object) -> dict[str, str] | None:
    """The request's column mapping; a form field may carry it as a JSON string."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, dict):
        raise DomainError(
            ErrorItem("mapping", str(_("Сопоставление — объект JSON {заголовок: поле}")), "mapping_invalid")
        )
    return {str(key): str(field) for key, field in value.items()}
