"""A private home cannot be found by narrowing a spatial filter around it.

A community that hides its exact place is shown at its settlement's point or its district's centre,
some 20-30 km from the real spot here. Anonymous clients try every spatial selection around the real
spot: the REST API's in_bbox (a 60 x 20 m box) and near/dist (10 m), the OGC bbox, a GeoJSON export
with in_bbox, and the vector tiles at every zoom from 0 to 16. None may return it there; each must
return it at its public point (so the test cannot pass by returning nothing)."""

from __future__ import annotations

import io
import json
import math
import zipfile

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from geo.models import Settlement
from registry.models import Community
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, municipality, settlement_without_point

pytestmark = pytest.mark.django_db

REAL = (56.80, 54.70)  # inside Иглинский район, ~29 km from its centre (с. Иглино)
# a 60 x 20 m box around the real spot: ~0.00094° of longitude and ~0.00018° of latitude at 54.7°N
BOX = (REAL[0] - 0.00047, REAL[1] - 0.00009, REAL[0] + 0.00047, REAL[1] + 0.00009)
WORLD_M = 40_075_016.685578488


@pytest.fixture
def hidden() -> list[Community]:
    iglino = municipality("80628000")
    without_point = settlement_without_point("80628000")
    with_point = Settlement.objects.get(municipality=iglino, name="Урман")
    assert without_point.point is None
    assert with_point.point is not None
    return [
        community(
            name="Клуб «Дом у реки»", municipality=iglino, settlement=without_point,
            location=Point(*REAL, srid=4326), hide_exact_location=True,
        ),
        community(
            name="Кружок «Дом у леса»", municipality=iglino, settlement=with_point,
            location=Point(REAL[0] + 0.0001, REAL[1], srid=4326), hide_exact_location=True,
        ),
    ]  # fmt: skip


def _ids(features: list[dict]) -> set[int]:
    return {int(feature["id"]) for feature in features}


def _public(community_: Community) -> Point:
    community_.refresh_from_db()
    assert community_.public_point is not None
    return community_.public_point


def test_the_hidden_places_are_shown_far_from_the_real_spot(hidden: list[Community]) -> None:
    real = Point(*REAL, srid=4326)
    for item in hidden:
        assert _public(item).distance(real) > 0.1  # degrees: more than ~6 km
    assert [item.public_precision for item in hidden] == ["municipality", "settlement"]


def test_rest_in_bbox_and_near_do_not_find_the_real_spot(client: Client, hidden: list[Community]) -> None:
    ids = {item.pk for item in hidden}
    box = ",".join(map(str, BOX))
    around = client.get("/api/v1/communities/", {"in_bbox": box}).json()["features"]
    near = client.get("/api/v1/communities/", {"near": f"{REAL[0]},{REAL[1]}", "dist": "10"}).json()[
        "features"
    ]

    assert _ids(around) & ids == set()
    assert _ids(near) & ids == set()
    for item in hidden:
        point = _public(item)
        tiny = f"{point.x - 0.0001},{point.y - 0.0001},{point.x + 0.0001},{point.y + 0.0001}"
        assert item.pk in _ids(client.get("/api/v1/communities/", {"in_bbox": tiny}).json()["features"])
        at = client.get("/api/v1/communities/", {"near": f"{point.x},{point.y}", "dist": "10"})
        assert item.pk in _ids(at.json()["features"])


def test_ogc_bbox_does_not_find_the_real_spot(client: Client, hidden: list[Community]) -> None:
    ids = {item.pk for item in hidden}
    url = "/ogc/collections/communities/items"
    around = client.get(
        url, {"bbox": ",".join(map(str, BOX)), "f": "json"}, HTTP_ACCEPT="application/geo+json"
    )

    assert _ids(around.json()["features"]) & ids == set()
    for item in hidden:
        point = _public(item)
        tiny = f"{point.x - 0.0001},{point.y - 0.0001},{point.x + 0.0001},{point.y + 0.0001}"
        found = client.get(url, {"bbox": tiny, "f": "json"}, HTTP_ACCEPT="application/geo+json")
        assert item.pk in _ids(found.json()["features"])


def _export_ids(client: Client, box: str) -> set[int]:
    response = client.get("/api/v1/export/communities.geojson", {"in_bbox": box})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = archive.read(archive.namelist()[0])
    return {int(feature["properties"]["id"]) for feature in json.loads(content)["features"]}


# ogr2ogr reads through its own connection: the rows must be committed
@pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA)
@pytest.mark.usefixtures("reference_data")
def test_an_export_with_in_bbox_does_not_find_the_real_spot(client: Client, hidden: list[Community]) -> None:
    assert _export_ids(client, ",".join(map(str, BOX))) & {item.pk for item in hidden} == set()
    point = _public(hidden[1])
    tiny = f"{point.x - 0.0001},{point.y - 0.0001},{point.x + 0.0001},{point.y + 0.0001}"
    assert hidden[1].pk in _export_ids(client, tiny)


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    x = lon / 360 * WORLD_M
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi) * WORLD_M
    return x, y


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x, y = _mercator(lon, lat)
    return int((x / WORLD_M + 0.5) * n), int((0.5 - y / WORLD_M) * n)


def _inside(point: Point, z: int, tile: tuple[int, int], margin: float) -> bool:
    """Is the point inside the tile widened by `margin` of its width?"""
    size = WORLD_M / 2**z
    x, y = _mercator(point.x, point.y)
    x0 = -WORLD_M / 2 + tile[0] * size
    y1 = WORLD_M / 2 - tile[1] * size
    return (
        x0 - margin * size <= x <= x0 + size + margin * size
        and y1 - size - margin * size <= y <= y1 + margin * size
    )


@pytest.mark.parametrize("z", range(0, 17))
def test_no_tile_selects_by_the_real_spot(client: Client, hidden: list[Community], z: int) -> None:
    """z >= 10: a community is in a tile exactly when its public point is in the tile's buffered
    area. z <= 9: the clusters inside a tile count exactly the public points inside it."""
    from registry.selectors.tiles import BUFFER, EXTENT

    publics = {item.pk: _public(item) for item in hidden}
    tiles = {_tile_of(*REAL, z)} | {_tile_of(point.x, point.y, z) for point in publics.values()}
    for tile in tiles:
        response = client.get(f"/tiles/communities/{z}/{tile[0]}/{tile[1]}.mvt")
        assert response.status_code == 200
        features = mapbox_vector_tile.decode(response.content).get("communities", {}).get("features", [])
        if z >= 10:
            expected = {pk for pk, point in publics.items() if _inside(point, z, tile, BUFFER / EXTENT)}
            assert {feature["properties"]["id"] for feature in features} == expected, (z, tile)
        else:
            inside = [
                feature for feature in features
                if all(0 <= coordinate <= EXTENT for coordinate in feature["geometry"]["coordinates"])
            ]  # fmt: skip
            expected_count = sum(_inside(point, z, tile, 0) for point in publics.values())
            assert sum(feature["properties"]["count"] for feature in inside) == expected_count, (z, tile)
