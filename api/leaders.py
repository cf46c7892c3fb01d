"""GET /api/v1/leaders/: the leaders of the user's municipalities, as their consents allow (152-FZ).

Signed-in users only; the selector decides what is shown (the name with a consent to publish it,
contacts with a consent to publish them); the serializer only renders it."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import OKTMO_8
from api.schema import BAD_REQUEST, page_serializer
from registry.selectors.leaders import leader_consented, leader_consented_list


class LeaderPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


class LeaderOutputSerializer(serializers.Serializer):
    class CommunityRoleSerializer(serializers.Serializer):
        community = serializers.IntegerField()
        role = serializers.CharField()

    id = serializers.IntegerField()
    municipality = serializers.CharField(allow_null=True, help_text="ОКТМО")
    name = serializers.CharField(allow_null=True, help_text=_("только с согласием на публикацию имени"))
    phone = serializers.CharField(allow_null=True, help_text=_("только с согласием на публикацию контактов"))
    email = serializers.CharField(allow_null=True, help_text=_("только с согласием на публикацию контактов"))
    roles = serializers.ListField(child=serializers.CharField())
    communities = CommunityRoleSerializer(many=True)
    consents = serializers.ListField(child=serializers.CharField(), help_text=_("действующие согласия"))


LeaderPageSerializer = page_serializer("LeaderPage", LeaderOutputSerializer)


class LeaderFilterSerializer(serializers.Serializer):
    municipality = serializers.RegexField(
        OKTMO_8, required=False, error_messages={"invalid": _("Ожидается код ОКТМО из 8 цифр")}
    )


class LeaderListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="leaders_list",
        parameters=[LeaderFilterSerializer],
        responses={200: LeaderPageSerializer, 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        filters = LeaderFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        leaders = leader_consented_list(user=request.user, oktmo=filters.validated_data.get("municipality"))
        paginator = LeaderPagination()
        page = paginator.paginate_queryset(leaders, request, view=self) or []
        shown = []
        for leader in page:
            item = asdict(leader_consented(leader))
            item["communities"] = [{"community": pk, "role": role} for pk, role in item["communities"]]
            shown.append(item)
        return paginator.get_paginated_response(LeaderOutputSerializer(shown, many=True).data)
