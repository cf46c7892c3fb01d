"""POST /api/v1/auth/token/: a token for scripts, from a username and password.

Sign-in failures count towards django-axes' lockout like the site's sign-in form does; wrong
credentials answer 400 in the API's error shape."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenInputSerializer(serializers.Serializer):
    """What the schema documents (AuthTokenSerializer checks the credentials)."""

    username = serializers.CharField(min_length=1, max_length=150)
    password = serializers.CharField(min_length=1, max_length=128, trim_whitespace=False)

    class Meta:
        ref_name = "TokenRequest"


class TokenApi(APIView):
    authentication_classes: list[type] = []  # credentials in the body; no session, no CSRF

    @extend_schema(
        request=TokenInputSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        data = AuthTokenSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=data.validated_data["user"])
        return Response({"token": token.key})
