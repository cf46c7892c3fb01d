"""The API's platform: tokens for scripts (with the sign-in lockout), throttling with Retry-After,
413 for oversized bodies, and the OpenAPI schema with its self-hosted Swagger UI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from api.throttling import AnonymousReadThrottle, WriteThrottle
from registry.models import Community
from tests.registry.factories import community, municipality

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"  # noqa: S105 -- a path, not a secret


def _token(client: APIClient, username: str, password: str) -> Any:
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


@pytest.fixture
def iglino_user(iglino_team_member: User) -> User:
    iglino_team_member.set_password("correct horse battery")
    iglino_team_member.save()
    return iglino_team_member


def test_a_token_lets_a_script_see_its_teams_unpublished_communities(
    api_client: APIClient, iglino_user: User
) -> None:
    hidden = community(
        name="Клуб «Черновик»", municipality=municipality("80628000"), status=Community.Status.PROPOSED
    )
    response = _token(api_client, iglino_user.username, "correct horse battery")
    assert response.status_code == 200
    token = response.json()["token"]

    script = APIClient()
    anonymous = script.get(f"/api/v1/communities/{hidden.pk}/")
    script.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    signed = script.get(f"/api/v1/communities/{hidden.pk}/")

    assert anonymous.status_code == 404
    assert signed.status_code == 200


def test_wrong_credentials_are_400_in_the_error_shape(api_client: APIClient, iglino_user: User) -> None:
    response = _token(api_client, iglino_user.username, "wrong")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "authorization"


def test_repeated_failures_lock_the_token_endpoint_too(api_client: APIClient, iglino_user: User) -> None:
    for _ in range(5):
        assert _token(api_client, iglino_user.username, "wrong").status_code == 400

    locked = _token(api_client, iglino_user.username, "correct horse battery")

    # django-axes refuses the right password now; Django's authenticate() turns that into "no user".
    assert locked.status_code == 400
    assert "token" not in locked.json()
    assert AccessAttempt.objects.get(username=iglino_user.username).failures_since_start >= 5


def test_anonymous_reads_are_throttled_with_retry_after(
    api_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AnonymousReadThrottle, "rate", "2/min", raising=False)

    statuses = [api_client.get("/api/v1/communities/").status_code for _ in range(3)]
    response = api_client.get("/api/v1/communities/")

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    [error] = response.json()["errors"]
    assert error["code"] == "throttled"
    assert error["message"].startswith("Слишком много запросов")


def test_gis_reads_spend_a_burst_budget_of_their_own(
    api_client: APIClient, monkeypatch: pytest.MonkeyPatch, iglino_team_member: User
) -> None:
    """The rates are looked up by each throttle's scope, as in production (DRF reads them into the
    class when it is imported, so override_settings would not reach them): were OGC or the exports
    on the REST scope, or under its throttle too, the third GIS read below would be a 429."""
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anonymous_read": "2/min", "gis_read": "6/min", "write": "100/min"},
    )
    ogc = ("/ogc/collections", {"f": "json"})
    export = ("/api/v1/export/municipalities.geojson", {"municipality": "80628000"})

    # three times the REST budget, OGC and exports in turn: all within the GIS budget
    gis = [api_client.get(*request).status_code for request in (ogc, export) * 3]
    # the REST budget is whole: two reads, then refused
    rest = [api_client.get("/api/v1/communities/").status_code for _ in range(3)]
    # the GIS budget is spent: both kinds refused, with the time one request's share takes to come back
    spent = [api_client.get(*request) for request in (ogc, export)]

    assert gis == [200] * 6
    assert rest == [200, 200, 429]
    assert [response.status_code for response in spent] == [429, 429]
    assert all(1 <= int(response["Retry-After"]) <= 10 for response in spent)  # 6/min: one per 10 s
    assert spent[1].json()["errors"][0]["code"] == "throttled"
    api_client.force_authenticate(iglino_team_member)
    assert api_client.get(*ogc).status_code == 200  # signed in: no limit


def test_writes_are_throttled(api_client: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WriteThrottle, "rate", "2/min", raising=False)

    statuses = [_token(api_client, "nobody", "x").status_code for _ in range(3)]

    assert statuses == [400, 400, 429]


def test_an_oversized_body_is_413(api_client: APIClient) -> None:
    response = api_client.post(TOKEN_URL, {"username": "x" * 3_000_000, "password": "y"}, format="json")

    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"


def test_the_openapi_schema_validates_and_documents_the_geojson(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    assert "/api/v1/communities/:" in text
    assert "FeatureCollection" in text
    assert "in_bbox" in text


def test_swagger_ui_is_served_from_this_site_without_inline_script(client: Client) -> None:
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    assert not [attrs for attrs in re.findall(r"<script([^>]*)>", html) if "src=" not in attrs]
    assert client.get("/api/schema/").status_code == 200
