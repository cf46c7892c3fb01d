"""registry.public_feature: the stored public feature text is what the live query builds, on every
write path and after every rename of what it names; readers use it, fall back to building when a
row has none, and a refresh finds nothing to do after any of those writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.db import connection
from rest_framework.test import APIClient

from geo.layers import public_feature_sql
from geo.models import Municipality, Settlement
from registry.models import Community, CommunityFeature, Sphere
from registry.public_feature import public_features_refresh
from registry.selectors.features import COMMUNITIES, JOINS
from registry.services.bulk import rows_copy
from registry.services.settlements import settlement_place
from tests.registry.factories import (
    community,
    community_unsaved_copy,
    municipality,
    settlement_without_point,
    sphere,
    team_member,
)

pytestmark = pytest.mark.django_db
IGLINO = "80628000"
IN_IGLINO = Point(56.80, 54.70, srid=4326)


def _built(pk: int) -> str:
    """The text the live query builds for the community now."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {public_feature_sql(COMMUNITIES)} FROM registry_community c {JOINS} WHERE c.id = %s",  # noqa: S608
            [pk],
        )
        return str(cursor.fetchone()[0])


def _stored(pk: int) -> str:
    return CommunityFeature.objects.get(community_id=pk).feature


def _listed(client: APIClient) -> dict[int, dict[str, Any]]:
    response = client.get("/api/v1/communities/", {"municipality": IGLINO, "limit": "1000"})
    assert response.status_code == 200
    return {feature["id"]: feature for feature in response.json()["features"]}


def _up_to_date(*items: Community) -> None:
    for item in items:
        assert _stored(item.pk) == _built(item.pk)
    assert public_features_refresh() == 0


def test_every_kind_of_community_stores_the_text_the_query_builds() -> None:
    village = Settlement.objects.filter(municipality__oktmo=IGLINO, point__isnull=False).first()
    kinds = [
        community(municipality=municipality(IGLINO), location=IN_IGLINO),
        community(
            municipality=municipality(IGLINO),
            location=IN_IGLINO,
            hide_exact_location=True,
            settlement=village,
        ),
        community(municipality=municipality(IGLINO), location=IN_IGLINO, sphere=None, status="proposed"),
        community(municipality=municipality(IGLINO), location=IN_IGLINO, name='Клуб "Ладья" \\ <b>&'),
    ]

    _up_to_date(*kinds)
    for item in kinds:
        feature = json.loads(_stored(item.pk))
        assert feature["id"] == item.pk
        assert feature["properties"]["slug"] == item.slug
        assert "status" not in feature["properties"]  # the public text carries no team columns
    assert json.loads(_stored(kinds[3].pk))["properties"]["name"] == 'Клуб "Ладья" \\ <b>&'


def test_the_public_list_sends_the_stored_text_and_builds_what_is_missing(api_client: APIClient) -> None:
    shown = community(municipality=municipality(IGLINO), location=IN_IGLINO)
    missing = community(municipality=municipality(IGLINO), location=IN_IGLINO)
    CommunityFeature.objects.filter(community_id=shown.pk).update(feature='{"type": "Feature", "id": -1}')
    CommunityFeature.objects.filter(community_id=missing.pk).delete()

    listed = _listed(api_client)

    assert -1 in listed  # the stored text is what was sent (here a planted one)
    assert json.loads(_built(missing.pk)) == listed[missing.pk]  # built for a row with none
    assert public_features_refresh() == 2  # the planted text and the missing one, repaired
    assert set(_listed(api_client)) == {shown.pk, missing.pk}
    _up_to_date(shown, missing)


def test_team_members_get_their_columns_built_not_the_public_text(api_client: APIClient) -> None:
    draft = community(municipality=municipality(IGLINO), location=IN_IGLINO, status="proposed")
    member: User = team_member(IGLINO)
    api_client.force_authenticate(member)

    listed = _listed(api_client)

    assert listed[draft.pk]["properties"]["status"] == "proposed"


def test_saves_queryset_updates_and_copies_keep_the_text() -> None:
    item = community(municipality=municipality(IGLINO), location=IN_IGLINO, members_count=5)
    item.name = "Новое имя"
    item.save()
    Community.objects.filter(pk=item.pk).update(members_count=12)
    copy = community_unsaved_copy(item, pk=item.pk + 1000, slug=item.slug + "-copy")
    rows_copy(Community, [copy])

    _up_to_date(item, copy)
    assert json.loads(_stored(item.pk))["properties"]["name"] == "Новое имя"
    assert json.loads(_stored(item.pk))["properties"]["members_count"] == 12


@pytest.mark.parametrize(
    ("rename", "field", "value"),
    [
        (lambda item: Sphere.objects.filter(pk=item.sphere_id).update(name="Спорт и здоровье"), "sphere_name", "Спорт и здоровье"),
        (lambda item: Sphere.objects.filter(pk=item.sphere_id).update(code="sport-2"), "sphere", "sport-2"),
        (lambda item: Municipality.objects.filter(pk=item.municipality_id).update(name="Иглинский (новое имя)"), "municipality_name", "Иглинский (новое имя)"),
        (lambda item: Settlement.objects.filter(pk=item.settlement_id).update(name="Новое Село"), "settlement", "Новое Село"),
    ],
    ids=["sphere name", "sphere code", "municipality", "settlement"],
)  # fmt: skip
def test_a_rename_of_what_the_text_names_writes_it_again(
    api_client: APIClient, rename: Callable[[Community], object], field: str, value: str
) -> None:
    village = settlement_without_point(IGLINO)
    item = community(
        municipality=municipality(IGLINO), location=IN_IGLINO, sphere=sphere("sport"), settlement=village
    )

    rename(item)

    assert _listed(api_client)[item.pk]["properties"][field] == value
    _up_to_date(item)


def test_a_public_place_moved_by_a_settlements_point_moves_the_text() -> None:
    village = settlement_without_point(IGLINO)
    hidden = community(
        municipality=municipality(IGLINO), location=IN_IGLINO, hide_exact_location=True, settlement=village
    )
    spot = Point(56.62, 54.93, srid=4326)

    settlement_place(user=team_member(IGLINO), settlement=village, point=spot)

    geometry = json.loads(_stored(hidden.pk))["geometry"]
    assert geometry["coordinates"] == [56.62, 54.93]
    assert json.loads(_stored(hidden.pk))["properties"]["location_precision"] == "settlement"
    _up_to_date(hidden)


def test_a_write_from_a_session_in_another_time_zone_stores_the_same_text() -> None:
    item = community(municipality=municipality(IGLINO), location=IN_IGLINO)
    with connection.cursor() as cursor:
        cursor.execute("SET TimeZone = 'Asia/Yekaterinburg'")
        try:
            cursor.execute("UPDATE registry_community SET members_count = 7 WHERE id = %s", [item.pk])
        finally:
            cursor.execute("SET TimeZone = 'UTC'")

    assert json.loads(_stored(item.pk))["properties"]["updated_at"].endswith("+00:00")
    _up_to_date(item)


def test_a_community_deleted_takes_its_text_along() -> None:
    item = community(municipality=municipality(IGLINO), location=IN_IGLINO)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_community WHERE id = %s", [item.pk])

    assert not CommunityFeature.objects.filter(community_id=item.pk).exists()
