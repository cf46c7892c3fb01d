"""SQL-ish, path-ish and oversized input in every filter and every layer name of the read routes:
always a 200 (taken as text), a 400 naming the parameter, or a 404 — never a 500, never a leak of
unpublished rows, never a change to the data."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from registry.models import Community
from tests.registry.factories import community, municipality

pytestmark = pytest.mark.django_db

SQLISH = [
    "' OR '1'='1",
    "1; DROP TABLE registry_community; --",
    '" OR ""="',
    "%' --",
    "1 UNION SELECT password FROM auth_user",
    "1)) OR pg_sleep(5) IS NULL --",
    "\\",
    "%",
    "_",
    "\x00",
    "𝕏𝕏",
    "a" * 5000,
]
PATHISH = [
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "....//....//x",
]
INPUTS = SQLISH + PATHISH
FILTERS: dict[str, list[str]] = {
    "/api/v1/communities/": ["municipality", "sphere", "status", "q", "in_bbox", "near", "dist",
                             "updated_since", "after", "limit", "offset"],
    "/api/v1/municipalities/": ["region", "level", "simplified", "page", "page_size"],
    "/api/v1/fairs/": ["municipality", "mine", "page", "page_size"],
    "/api/v1/leaders/": ["municipality", "limit", "offset"],
    "/ogc/collections/communities/items": ["bbox", "limit", "offset", "f", "municipality", "sphere", "q"],
    "/ogc/collections/municipalities/items": ["bbox", "municipality", "q"],
    "/ogc/collections/fairs/items": ["bbox", "municipality", "status", "q"],
    "/api/v1/export/communities.csv": ["municipality", "sphere", "in_bbox", "near", "updated_since"],
    "/": ["q", "page"],
}  # fmt: skip
CASES = [(path, name) for path, names in FILTERS.items() for name in names]


@pytest.fixture
def registry_rows() -> list[Community]:
    iglino = municipality("80628000")
    return [
        community(name="ТОС «Открытый»"),
        community(name="Клуб «Черновик»", municipality=iglino, status=Community.Status.PROPOSED),
    ]


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.mark.parametrize(("path", "name"), CASES, ids=[f"{path}?{name}" for path, name in CASES])
def test_hostile_values_in_every_filter(
    api_client: APIClient, ufa_team_member: User, registry_rows: list[Community], path: str, name: str
) -> None:
    api_client.force_authenticate(ufa_team_member)  # a signed-in user reaches /leaders/ too
    before = Community.objects.count()
    for value in INPUTS:
        response = api_client.get(path, {name: value})
        body = _body(response)

        assert response.status_code in (200, 400, 404), (name, value, response.status_code)
        assert "Черновик".encode() not in body, (name, value)  # another team's draft never leaks
        if response.status_code == 400 and not path.startswith("/?") and path != "/":
            errors = response.json()["errors"]
            assert errors
            assert errors[0]["field"] in {name, "bbox"}, (name, value, errors)
    assert Community.objects.count() == before


@pytest.mark.parametrize(
    "layer",
    ["people", "registry_community", "auth_user", "../../etc/passwd", "..%2F..%2Fsecret", "communities%00",
     "' OR 1=1 --", "COMMUNITIES", "communities.csv"],
)  # fmt: skip
def test_hostile_layer_names_are_404(api_client: APIClient, layer: str) -> None:
    for path in (
        f"/ogc/collections/{layer}",
        f"/ogc/collections/{layer}/items",
        f"/api/v1/export/{layer}.csv",
        f"/tiles/{layer}/1/1/1.mvt",
    ):
        assert api_client.get(path).status_code == 404, path


def test_a_quoted_search_is_text_not_sql(api_client: APIClient, registry_rows: list[Community]) -> None:
    response = api_client.get("/api/v1/communities/", {"q": "' OR '1'='1"})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert api_client.get("/api/v1/communities/", {"q": "%"}).json()["count"] == 0
    assert api_client.get("/api/v1/communities/", {"q": "Открыт"}).json()["count"] == 1
