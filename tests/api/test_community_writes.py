"""Writes on /api/v1/communities/: scope, mass assignment, lifecycle, and every bad geometry as a 400."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from registry.models import Community
from tests.registry.factories import community, municipality

pytestmark = pytest.mark.django_db
URL = "/api/v1/communities/"
IGLINO = {"type": "Point", "coordinates": [56.43, 54.83]}


@pytest.fixture
def iglino(api_client: APIClient, iglino_team_member: User) -> APIClient:
    api_client.force_login(iglino_team_member)
    return api_client


def _create(client: APIClient, **overrides: Any) -> Any:
    body = {"name": "Клуб «Ладья»", "sphere": "interest", "location": IGLINO, **overrides}
    return client.post(URL, body, format="json")


def _codes(response: Any) -> list[tuple[str | None, str]]:
    return [(item["field"], item["code"]) for item in response.json()["errors"]]


def test_team_member_creates_a_proposed_community_in_their_municipality(iglino: APIClient) -> None:
    response = _create(iglino, members_count=12)

    assert response.status_code == 201
    feature = json.loads(response.content)
    assert feature["properties"]["status"] == "proposed"
    assert feature["properties"]["municipality"] == "80628000"
    assert Community.objects.get(pk=feature["id"]).members_count == 12


def test_mass_assignment_is_ignored(iglino: APIClient, iglino_team_member: User) -> None:
    response = _create(
        iglino, status="verified", municipality=municipality("80701000").pk, is_demo=True, source="import",
        created_by=999, verified_until="2099-01-01",
    )  # fmt: skip

    created = Community.objects.get(pk=response.json()["id"])
    assert (created.status, created.municipality.oktmo, created.is_demo) == ("proposed", "80628000", False)
    assert (created.source, created.created_by, created.verified_until) == ("team", iglino_team_member, None)


def test_a_point_in_another_municipality_is_refused(iglino: APIClient) -> None:
    response = _create(iglino, location={"type": "Point", "coordinates": [55.958, 54.735]})  # Уфа

    assert response.status_code == 400
    assert ("location", "location_outside_team") in _codes(response)


def test_anonymous_writes_are_refused(api_client: APIClient) -> None:
    assert _create(api_client).status_code in (401, 403)
    assert not Community.objects.exists()


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ({"type": "Point", "coordinates": [56.43, 54.83], "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}, "crs_unsupported"),
        ('{"type": "Point", "coordinates": [1e400, 54.83]}', "coordinates_not_finite"),
        ({"type": "LineString", "coordinates": [[56.4, 54.8], [56.5, 54.9]]}, "geometry_wrong_type"),
        ({"type": "Point", "coordinates": [56.43, 95]}, "coordinates_out_of_range"),
        ({"type": "Point", "coordinates": [2.35, 48.85]}, "location_outside_programme"),
        ("not geojson", "geometry_unparsable"),
    ],
)  # fmt: skip
def test_bad_geometry_is_a_400_naming_location(iglino: APIClient, location: Any, code: str) -> None:
    response = _create(iglino, location=location)

    assert response.status_code == 400
    assert [field for field, _ in _codes(response)] == ["location"]
    assert code in [item for _, item in _codes(response)]


def test_a_bow_tie_area_is_invalid(iglino: APIClient) -> None:
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[56.4, 54.8], [56.5, 54.9], [56.5, 54.8], [56.4, 54.9], [56.4, 54.8]]],
    }

    response = _create(iglino, area=bow_tie)

    assert response.status_code == 400
    assert ("area", "geometry_invalid") in _codes(response)


def test_patch_edits_own_and_404s_others(iglino: APIClient, ufa_team_member: User) -> None:
    own = Community.objects.get(pk=_create(iglino).json()["id"])
    theirs = community(name="ТОС «Уфимский»", status=Community.Status.PROPOSED)

    edited = iglino.patch(f"{URL}{own.pk}/", {"members_count": 30, "status": "verified"}, format="json")
    foreign = iglino.patch(f"{URL}{theirs.pk}/", {"members_count": 30}, format="json")

    assert edited.status_code == 200
    own.refresh_from_db()
    assert (own.members_count, own.status) == (30, "proposed")
    assert foreign.status_code == 404


def test_lifecycle_through_the_api(iglino: APIClient, api_client: APIClient) -> None:
    pk = _create(iglino).json()["id"]

    assert iglino.post(f"{URL}{pk}/verify/", {"evidence": []}, format="json").status_code == 400
    verified = iglino.post(
        f"{URL}{pk}/verify/", {"evidence": [{"kind": "meetings", "text": "Встречи по средам"}]}, format="json"
    )
    assert verified.status_code == 201
    assert verified.json()["properties"]["status"] == "verified"
    assert APIClient().get(f"{URL}{pk}/").status_code == 200  # now public

    rejected = iglino.post(f"{URL}{pk}/reject/", {"reason": "Нет"}, format="json")
    assert rejected.status_code == 400
    assert ("status", "transition_forbidden") in _codes(rejected)
    assert iglino.post(f"{URL}{pk}/archive/", format="json").status_code == 400  # a reason is required
    archived = iglino.post(f"{URL}{pk}/archive/", {"reason": "Не собирается с весны"}, format="json")
    assert archived.json()["properties"]["status"] == "archived"
    assert APIClient().get(f"{URL}{pk}/").status_code == 404


def test_a_geojson_feature_as_the_api_answers_it_is_accepted_back(iglino: APIClient) -> None:
    created = json.loads(_create(iglino, members_count=12).content)
    created["properties"]["name"] = "Клуб «Ладья и ферзь»"
    created["geometry"] = {"type": "Point", "coordinates": [56.44, 54.84]}

    updated = iglino.patch(f"{URL}{created['id']}/", created, format="json")
    again = iglino.post(
        URL, {**created, "properties": {**created["properties"], "name": "Клуб «Копия»"}}, format="json"
    )

    assert updated.status_code == 200, updated.content
    row = Community.objects.get(pk=created["id"])
    assert (row.name, row.members_count, row.status) == ("Клуб «Ладья и ферзь»", 12, "proposed")
    assert (row.location.x, row.location.y) == (56.44, 54.84)
    assert again.status_code == 201, again.content
    assert json.loads(again.content)["properties"]["name"] == "Клуб «Копия»"


def _square(vertices: int) -> dict[str, Any]:
    ring = [[56.40 + 0.04 * index / vertices, 54.80] for index in range(vertices)]
    ring += [[56.44, 54.84], [56.40, 54.84], [56.40, 54.80]]
    return {"type": "MultiPolygon", "coordinates": [[ring]]}


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        (
            {"location": {"type": "Point", "coordinates": [56.43, 54.83, 100, 7]}},
            "location",
            "position_too_long",
        ),
        ({"location": "POINT ZM (56.43 54.83 1 2)"}, "location", "position_too_long"),
        ({"area": _square(20_000)}, "area", "geometry_too_many_vertices"),
        (
            {"location": {"type": "Point", "coordinates": [[[[[[[[[[56.43]]]]]]]]]]}},
            "location",
            "geometry_too_deep",
        ),
        (
            {
                "location": json.dumps({"type": "Point", "coordinates": [56.43] + [[[]]] * 3}).replace(
                    "[", "[" * 20
                )
            },
            "location",
            "geometry_too_deep",
        ),
    ],
)
def test_hostile_geometry_is_refused_before_it_is_parsed(
    iglino: APIClient, overrides: dict[str, Any], field: str, code: str
) -> None:
    response = _create(iglino, **overrides)

    assert response.status_code == 400
    assert (field, code) in _codes(response)
    assert not Community.objects.exists()


def test_json_nested_ten_thousand_deep_is_a_400_not_a_500(iglino: APIClient) -> None:
    body = '{"name": "x", "sphere": "interest", "location": ' + "[" * 10_000 + "]" * 10_000 + "}"

    response = iglino.post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "json_too_deep"


def test_an_area_within_the_vertex_limit_is_accepted(iglino: APIClient) -> None:
    response = _create(iglino, area=_square(2_000))

    assert response.status_code == 201, response.content
