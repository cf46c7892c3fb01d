"""GET /api/v1/communities/ and /{id}/: privacy, filters, paging, the streamed download, bad input."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.utils import timezone
from rest_framework.test import APIClient

from geo.models import Settlement
from registry.models import Community
from tests.registry.factories import community, municipality, sphere

pytestmark = pytest.mark.django_db
URL = "/api/v1/communities/"
PUBLIC_PROPERTIES = {
    "id", "slug", "name", "sphere", "sphere_name", "form", "municipality", "municipality_name", "settlement",
    "members_count", "founded_year", "location_precision", "url", "updated_at",
}  # fmt: skip
IGLINO = Point(56.43, 54.83, srid=4326)


def _get(client: APIClient, **params: Any) -> Any:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return json.loads(content)


def _ids(body: dict[str, Any]) -> list[int]:
    return [feature["id"] for feature in body["features"]]


def _haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance on the mean Earth radius: within 0.5 % of the ellipsoid."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


@pytest.fixture
def registry_rows() -> dict[str, Community]:
    iglino = municipality("80628000")
    return {
        "ufa": community(name="ТОС «Рассвет»", sphere=sphere("territorial")),
        "iglino": community(
            name="Клуб «Ладья»", municipality=iglino, location=IGLINO, sphere=sphere("interest")
        ),
        "iglino_proposed": community(
            name="Клуб «Черновик»", municipality=iglino, location=IGLINO, status=Community.Status.PROPOSED
        ),
        "ufa_rejected": community(name="ТОС «Отказ»", status=Community.Status.REJECTED, rejection_reason="x"),
    }


def test_anonymous_list_is_published_only_with_public_properties(
    api_client: APIClient, registry_rows: dict[str, Community]
) -> None:
    body = _get(api_client)

    assert body["type"] == "FeatureCollection"
    assert body["count"] == 2
    assert set(_ids(body)) == {registry_rows["ufa"].pk, registry_rows["iglino"].pk}
    feature = next(item for item in body["features"] if item["id"] == registry_rows["iglino"].pk)
    assert set(feature["properties"]) == PUBLIC_PROPERTIES
    assert feature["properties"]["municipality"] == "80628000"
    assert feature["properties"]["url"] == registry_rows["iglino"].get_absolute_url()
    assert feature["geometry"] == {"type": "Point", "coordinates": [56.43, 54.83]}


def test_team_member_sees_own_unpublished_with_status_and_nothing_of_others(
    api_client: APIClient, iglino_team_member: User, registry_rows: dict[str, Community]
) -> None:
    api_client.force_login(iglino_team_member)

    body = _get(api_client)

    assert set(_ids(body)) == {
        registry_rows["ufa"].pk,
        registry_rows["iglino"].pk,
        registry_rows["iglino_proposed"].pk,
    }
    own = next(item for item in body["features"] if item["id"] == registry_rows["iglino_proposed"].pk)
    assert own["properties"]["status"] == "proposed"
    assert own["properties"]["source"] == "team"
    assert _ids(_get(api_client, status="proposed")) == [registry_rows["iglino_proposed"].pk]
    assert _ids(_get(api_client, status="rejected")) == []  # Ufa's: not in scope


def test_coordinator_sees_every_community(
    api_client: APIClient, programme_coordinator: User, registry_rows: dict[str, Community]
) -> None:
    api_client.force_login(programme_coordinator)

    assert _get(api_client)["count"] == 4


def test_anonymous_status_filter_cannot_reach_unpublished(
    api_client: APIClient, registry_rows: dict[str, Community]
) -> None:
    assert _ids(_get(api_client, status="proposed")) == []
    assert _get(api_client, status="verified")["count"] == 2


def test_municipality_sphere_and_name_filters(
    api_client: APIClient, registry_rows: dict[str, Community]
) -> None:
    assert _ids(_get(api_client, municipality="80628000")) == [registry_rows["iglino"].pk]
    assert _ids(_get(api_client, sphere="territorial")) == [registry_rows["ufa"].pk]
    assert _ids(_get(api_client, q="ладь")) == [registry_rows["iglino"].pk]
    assert _ids(_get(api_client, q="%")) == []  # a wildcard is a character here


def test_bbox_filter(api_client: APIClient, registry_rows: dict[str, Community]) -> None:
    assert _ids(_get(api_client, in_bbox="56.3,54.7,56.5,54.9")) == [registry_rows["iglino"].pk]


def test_near_is_geodesic_metres_not_degrees(api_client: APIClient) -> None:
    centre = (55.958, 54.735)
    east = community(name="ТОС «Восток»", location=Point(centre[0] + 0.05, centre[1], srid=4326))
    distance = _haversine_m(centre, (centre[0] + 0.05, centre[1]))
    assert 3100 < distance < 3300  # 0.05° of longitude at 54.7°N; in "degrees × 111 km" it would be 5.6 km

    inside = _get(api_client, near=f"{centre[0]},{centre[1]}", dist=str(round(distance * 1.02)))
    outside = _get(api_client, near=f"{centre[0]},{centre[1]}", dist=str(round(distance * 0.98)))

    assert _ids(inside) == [east.pk]
    assert _ids(outside) == []


def test_near_sorts_nearest_first_with_distances_from_the_public_point(api_client: APIClient) -> None:
    centre = (55.958, 54.735)
    far = community(name="ТОС «Дальний»", location=Point(centre[0] + 0.04, centre[1], srid=4326))
    near = community(name="ТОС «Ближний»", location=Point(centre[0] + 0.01, centre[1], srid=4326))
    middle = community(name="ТОС «Средний»", location=Point(centre[0] + 0.02, centre[1], srid=4326))
    # a private home right at the centre is measured from where the public sees it, not from home
    home = community(name="Клуб «Дом»", location=Point(*centre, srid=4326), hide_exact_location=True)
    home.refresh_from_db()
    assert home.public_point is not None
    home_m = _haversine_m(centre, (home.public_point.x, home.public_point.y))

    body = _get(api_client, near=f"{centre[0]},{centre[1]}", dist="50000", limit="2")
    features = body["features"]
    rest = _get(api_client, near=f"{centre[0]},{centre[1]}", dist="50000", offset="2")["features"]

    by_distance = sorted(
        [(near.pk, 0.01), (middle.pk, 0.02), (far.pk, 0.04), (home.pk, None)],
        key=lambda item: (
            home_m if item[1] is None else _haversine_m(centre, (centre[0] + item[1], centre[1]))
        ),
    )
    assert [feature["id"] for feature in features + rest] == [pk for pk, _ in by_distance]
    distances = [feature["properties"]["distance_m"] for feature in features + rest]
    assert distances == sorted(distances)
    measured = {feature["id"]: feature["properties"]["distance_m"] for feature in features + rest}
    assert abs(measured[near.pk] - _haversine_m(centre, (centre[0] + 0.01, centre[1]))) < 5
    assert abs(measured[home.pk] - home_m) < 5


def test_updated_since(api_client: APIClient, registry_rows: dict[str, Community]) -> None:
    Community.objects.filter(pk=registry_rows["ufa"].pk).update(
        updated_at=timezone.now() - timedelta(days=10)
    )

    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert _ids(_get(api_client, updated_since=since)) == [registry_rows["iglino"].pk]


def test_pages_walk_every_feature_once_in_a_stable_order(api_client: APIClient) -> None:
    made = [community(name=f"ТОС «Дом {number}»") for number in range(7)]
    seen: list[int] = []
    body = _get(api_client, limit=3)
    assert body["count"] == 7
    pages = 0
    added = None
    while True:
        seen += _ids(body)
        pages += 1
        if body["next"] is None:
            break
        if added is None:
            added = community(name="ТОС «Новый»")  # added meanwhile: it lands at the end, not in the middle
        body = json.loads(api_client.get(body["next"]).content)
    assert added is not None
    assert seen == sorted(item.pk for item in made) + [added.pk]
    assert pages == 3


def test_the_whole_download_streams_every_feature(api_client: APIClient) -> None:
    made = [community(name=f"ТОС «Дом {number}»") for number in range(5)]

    response = api_client.get(URL, {"limit": "all"})

    assert response.streaming
    body = json.loads(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert body["count"] == 5
    assert _ids(body) == [item.pk for item in made]


def test_the_stream_joins_chunks_split_anywhere_with_quotes_and_backslashes_intact() -> None:
    from django.contrib.auth.models import AnonymousUser

    from geo.layers import feature_stream
    from registry.selectors.features import CommunityFilters, feature_query

    made = [community(name=f'Клуб "Кавычки" \\ {number} ,\n') for number in range(30)]
    query = feature_query(user=AnonymousUser(), filters=CommunityFilters())

    chunks = list(feature_stream(query, chunk_bytes=700))  # a chunk every few features

    assert len(chunks) > 3
    assert sum(rows for _chunk, rows in chunks) == 30
    features = json.loads(b"[" + b"".join(chunk for chunk, _rows in chunks) + b"]")
    assert [feature["properties"]["name"] for feature in features] == [item.name for item in made]


def test_a_stream_left_half_way_frees_the_connection(api_client: APIClient) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from geo.layers import feature_stream
    from registry.selectors.features import CommunityFilters, feature_query

    for number in range(30):
        community(name=f"ТОС «Дом {number}»")
    stream = feature_stream(feature_query(user=AnonymousUser(), filters=CommunityFilters()), chunk_bytes=300)

    next(stream)
    stream.close()  # the client went away: the query is cancelled, the connection stays usable

    assert Community.objects.count() == 30
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY (SELECT json_build_object%%'"
        )
        assert cursor.fetchone()[0] == 0


def test_a_hidden_place_is_published_at_its_settlement(api_client: APIClient) -> None:
    settlement = Settlement.objects.filter(municipality__oktmo="80628000").exclude(point=None).first()
    assert settlement is not None
    assert settlement.point is not None
    home = community(
        municipality=municipality("80628000"),
        location=IGLINO,
        hide_exact_location=True,
        settlement=settlement,
    )

    [feature] = _get(api_client)["features"]

    assert feature["id"] == home.pk
    assert feature["properties"]["location_precision"] == "settlement"
    assert feature["geometry"]["coordinates"] == [round(settlement.point.x, 6), round(settlement.point.y, 6)]


def test_detail_follows_the_same_privacy(
    api_client: APIClient,
    iglino_team_member: User,
    ufa_team_member: User,
    registry_rows: dict[str, Community],
) -> None:
    public = api_client.get(f"{URL}{registry_rows['iglino'].pk}/")
    assert public.status_code == 200
    assert json.loads(public.content)["properties"]["name"] == "Клуб «Ладья»"
    assert api_client.get(f"{URL}{registry_rows['iglino_proposed'].pk}/").status_code == 404

    api_client.force_login(ufa_team_member)
    assert api_client.get(f"{URL}{registry_rows['iglino_proposed'].pk}/").status_code == 404
    api_client.force_login(iglino_team_member)
    assert api_client.get(f"{URL}{registry_rows['iglino_proposed'].pk}/").status_code == 200


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"in_bbox": "1,2,3"}, "in_bbox", "number_count"),
        ({"in_bbox": "55,54,1e400,55"}, "in_bbox", "coordinates_not_finite"),
        ({"in_bbox": "55,54,56,95"}, "in_bbox", "coordinates_out_of_range"),
        ({"in_bbox": "56,54,55,55"}, "in_bbox", "bbox_order"),
        ({"in_bbox": "a,b,c,d"}, "in_bbox", "number_invalid"),
        ({"near": "55.9,54.7"}, "dist", "required"),
        ({"near": "55.9,54.7", "dist": "-5"}, "dist", "dist_out_of_range"),
        ({"near": "55.9,54.7", "dist": "NaN"}, "dist", "coordinates_not_finite"),
        ({"near": "255,54.7", "dist": "10"}, "near", "coordinates_out_of_range"),
        ({"municipality": "80628"}, "municipality", "oktmo_invalid"),
        ({"status": "hacked"}, "status", "status_invalid"),
        ({"updated_since": "yesterday"}, "updated_since", "date_invalid"),
        ({"limit": "0"}, "limit", "limit_invalid"),
        ({"limit": "100000"}, "limit", "limit_invalid"),
        ({"offset": "-1"}, "offset", "offset_invalid"),
        ({"q": "x" * 101}, "q", "q_too_long"),
        ({"sphere": "'; DROP TABLE x;--"}, "sphere", "sphere_invalid"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(
    api_client: APIClient, params: dict[str, str], field: str, code: str
) -> None:
    response = api_client.get(URL, params)

    assert response.status_code == 400
    assert {"field": field, "code": code} in [
        {"field": item["field"], "code": item["code"]} for item in response.json()["errors"]
    ]


@pytest.mark.parametrize("params", [{"bbox": "1,2,3,4"}, {"limt": "5"}, {"municipalty": "80628000"}])
def test_an_unknown_parameter_is_a_400_naming_it(api_client: APIClient, params: dict[str, str]) -> None:
    response = api_client.get("/api/v1/communities/", params)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == (next(iter(params)), "parameter_unknown")
    assert "in_bbox" in error["message"]
