"""Vector tiles: the right features in the right tile, clusters at low zoom, public data only,
HTTP caching, and 400 for a bad z/x/y."""

from __future__ import annotations

import io
import math
from datetime import timedelta
from typing import Any

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db.models import F, Sum
from django.test import Client
from django.utils import timezone

from registry.models import ClusterCell, ClusterState, Community
from tests.registry.factories import community, municipality

pytestmark = pytest.mark.django_db
IGLINO = (56.43, 54.83)


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def _decode(client: Client, layer: str, z: int, lon: float, lat: float) -> dict:
    x, y = _tile_of(lon, lat, z)
    response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


@pytest.fixture
def iglino_rows() -> dict[str, Community]:
    iglino = municipality("80628000")
    return {
        "a": community(name="Клуб «Ладья»", municipality=iglino, location=Point(*IGLINO, srid=4326)),
        "b": community(name="ТОС «Рассвет»", municipality=iglino, location=Point(IGLINO[0] + 0.001, IGLINO[1], srid=4326)),
        "hidden": community(
            name="Клуб «Черновик»", municipality=iglino, location=Point(IGLINO[0] + 0.002, IGLINO[1], srid=4326),
            status=Community.Status.PROPOSED,
        ),
    }  # fmt: skip


def test_a_detailed_tile_holds_the_published_communities_only(
    client: Client, iglino_rows: dict[str, Community]
) -> None:
    tile = _decode(client, "communities", 14, *IGLINO)

    names = sorted(feature["properties"]["name"] for feature in tile["communities"]["features"])
    assert names == ["Клуб «Ладья»", "ТОС «Рассвет»"]


def test_low_zooms_serve_clusters_with_counts(client: Client, iglino_rows: dict[str, Community]) -> None:
    tile = _decode(client, "communities", 6, *IGLINO)

    features = tile["communities"]["features"]
    assert sum(feature["properties"]["count"] for feature in features) == 2
    assert all(feature["properties"]["cluster"] for feature in features)
    assert all("name" not in feature["properties"] for feature in features)


def _cluster_total(client: Client, z: int, lon: float, lat: float) -> int:
    tile = _decode(client, "communities", z, lon, lat)
    return sum(feature["properties"]["count"] for feature in tile.get("communities", {}).get("features", []))


def test_clusters_add_up_to_the_published_count_at_every_low_zoom(
    client: Client, iglino_rows: dict[str, Community]
) -> None:
    community(name="Клуб «Уфимский»")  # in Ufa: in the same tile as Iglino at low zooms only

    totals = {z: _cluster_total(client, z, *IGLINO) for z in range(0, 10)}

    assert totals[0] == totals[3] == 3  # the whole world, and a tile holding both towns
    assert totals[9] == 2  # Ufa is in the next tile by now
    assert ClusterCell.objects.aggregate(total=Sum("count"))["total"] == 3


def test_a_cluster_sits_at_the_centre_of_its_members(client: Client) -> None:
    iglino = municipality("80628000")
    community(municipality=iglino, location=Point(56.4105, 54.80, srid=4326))
    community(municipality=iglino, location=Point(56.4115, 54.80, srid=4326))

    tile = _decode(client, "communities", 9, 56.41, 54.80)

    (cluster,) = tile["communities"]["features"]
    assert cluster["properties"]["count"] == 2
    x, y = _tile_of(56.41, 54.80, 9)
    tile_x = cluster["geometry"]["coordinates"][0] / 4096  # MVT coordinates within the tile
    assert (x + tile_x) / 2**9 * 360 - 180 == pytest.approx(56.411, abs=0.0005)


def test_cells_follow_saves_after_commit_and_a_new_day(
    client: Client, iglino_rows: dict[str, Community], django_capture_on_commit_callbacks: Any
) -> None:
    assert _cluster_total(client, 6, *IGLINO) == 2
    with django_capture_on_commit_callbacks(execute=True):
        community(
            name="Клуб «Новый»", municipality=municipality("80628000"), location=Point(*IGLINO, srid=4326)
        )
    assert ClusterState.objects.get().dirty
    assert _cluster_total(client, 6, *IGLINO) == 3

    # a change no signal sees (a lapse of verification, a bulk update) is picked up on a new day
    Community.objects.filter(pk=iglino_rows["hidden"].pk).update(status=Community.Status.VERIFIED)
    assert _cluster_total(client, 6, *IGLINO) == 3
    ClusterState.objects.update(refreshed_on=timezone.localdate() - timedelta(days=1))
    assert _cluster_total(client, 6, *IGLINO) == 4


def test_the_command_rebuilds_the_cells(iglino_rows: dict[str, Community]) -> None:
    output = io.StringIO()
    call_command("refresh_clusters", stdout=output)

    assert output.getvalue().strip() == f"{ClusterCell.objects.count()} cluster cells rebuilt"
    assert ClusterCell.objects.aggregate(total=Sum("count"))["total"] == 2
    assert not ClusterState.objects.get().dirty


def test_municipality_tiles_carry_the_boundaries(client: Client) -> None:
    tile = _decode(client, "municipalities", 8, *IGLINO)

    assert "80628000" in {
        feature["properties"].get("oktmo") for feature in tile["municipalities"]["features"]
    }


def test_tiles_are_cached_with_an_etag(client: Client, iglino_rows: dict[str, Community]) -> None:
    x, y = _tile_of(*IGLINO, 12)
    first = client.get(f"/tiles/communities/12/{x}/{y}.mvt")

    again = client.get(f"/tiles/communities/12/{x}/{y}.mvt", HTTP_IF_NONE_MATCH=first["ETag"])

    assert "max-age=" in first["Cache-Control"]
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("23/0/0", "z"),
        ("5/32/0", "x"),
        ("5/0/-1", "y"),
        ("a/0/0", "z"),
        ("3/1.5/0", "x"),
        ("3/0/99999999999999999999", "y"),
    ],
)
def test_bad_tile_coordinates_are_400(client: Client, path: str, field: str) -> None:
    response = client.get(f"/tiles/communities/{path}.mvt")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_an_unknown_layer_is_404(client: Client) -> None:
    assert client.get("/tiles/leaders/1/0/0.mvt").status_code == 404


@pytest.mark.parametrize("layer", ["communities", "municipalities"])
def test_tilejson_describes_each_tile_layer_with_an_absolute_url(api_client: Any, layer: str) -> None:
    response = api_client.get(f"/tiles/{layer}.json")

    assert response.status_code == 200
    document = response.json()
    assert document["tilejson"] == "3.0.0"
    assert document["tiles"] == [f"http://testserver/tiles/{layer}/{{z}}/{{x}}/{{y}}.mvt"]
    assert [item["id"] for item in document["vector_layers"]] == [layer]
    west, south, east, north = document["bounds"]
    assert west < 56 < east
    assert south < 54.7 < north
    assert api_client.get("/tiles/people.json").status_code == 404


def _world_m(tile: tuple[int, int], z: int, point: list[int]) -> tuple[float, float]:
    """A decoded MVT point (y up, as mapbox_vector_tile gives it) in Web Mercator metres."""
    size = 40_075_016.685578488 / 2**z
    return (
        -20_037_508.342789244 + (tile[0] + point[0] / 4096) * size,
        20_037_508.342789244 - (tile[1] + 1 - point[1] / 4096) * size,
    )


def test_adjacent_tiles_agree_on_a_cluster_near_their_shared_edge(client: Client) -> None:
    z = 7
    x, y = _tile_of(*IGLINO, z)
    edge_lon = x / 2**z * 360 - 180  # the west edge of Iglino's tile
    iglino = municipality("80628000")
    for offset in (0.005, 0.01, 0.015):  # just east of the edge, within the west tile's buffer
        community(municipality=iglino, location=Point(edge_lon + offset, IGLINO[1], srid=4326))

    clusters = {}
    for tile in ((x - 1, y), (x, y)):
        response = client.get(f"/tiles/communities/{z}/{tile[0]}/{tile[1]}.mvt")
        (feature,) = mapbox_vector_tile.decode(response.content)["communities"]["features"]
        clusters[tile] = (feature["properties"], _world_m(tile, z, feature["geometry"]["coordinates"]))

    (west_properties, west_m), (east_properties, east_m) = clusters[(x - 1, y)], clusters[(x, y)]
    assert west_properties == east_properties == {"count": 3, "cluster": True, "label": "3 сообщества"}
    unit_m = 40_075_016.685578488 / 2**z / 4096  # one MVT unit: the rounding of each tile
    assert west_m == pytest.approx(east_m, abs=unit_m)
    assert west_m[0] > x * 2**-z * 40_075_016.685578488 - 20_037_508.342789244  # east of the edge


@pytest.mark.parametrize(("count", "label"), [(1, "1 сообщество"), (5, "5 сообществ"), (22, "22 сообщества")])
def test_cluster_labels_take_the_russian_plural(client: Client, count: int, label: str) -> None:
    iglino = municipality("80628000")
    for index in range(count):
        community(municipality=iglino, location=Point(IGLINO[0] + index * 0.0001, IGLINO[1], srid=4326))

    tile = _decode(client, "communities", 9, *IGLINO)

    assert [feature["properties"]["label"] for feature in tile["communities"]["features"]] == [label]


@pytest.mark.parametrize(("count", "label"), [(1021, "1021 сообщество"), (1012, "1012 сообществ")])
def test_large_cluster_labels_take_the_plural_of_the_last_two_digits(
    client: Client, count: int, label: str
) -> None:
    community(municipality=municipality("80628000"), location=Point(*IGLINO, srid=4326))
    _decode(client, "communities", 9, *IGLINO)  # builds the cells; they stay fresh until a change
    ClusterCell.objects.update(count=count, sum_x=F("sum_x") * count, sum_y=F("sum_y") * count)

    tile = _decode(client, "communities", 9, *IGLINO)

    assert [feature["properties"]["label"] for feature in tile["communities"]["features"]] == [label]


@pytest.mark.parametrize(("layer", "zooms"), [("communities", (9, 14)), ("municipalities", (8,))])
def test_tilejson_follows_the_spec_and_lists_every_attribute_its_tiles_carry(
    client: Client, iglino_rows: dict[str, Community], layer: str, zooms: tuple[int, ...]
) -> None:
    document = client.get(f"/tiles/{layer}.json").json()

    # TileJSON 3.0.0: the required members and their types, zooms within 0..30
    assert document["tilejson"] == "3.0.0"
    assert all(isinstance(url, str) and "{z}/{x}/{y}" in url for url in document["tiles"])
    assert 0 <= document["minzoom"] <= document["maxzoom"] <= 30
    west, south, east, north = document["bounds"]
    assert -180 <= west < east <= 180
    assert -85.0511 <= south < north <= 85.0511
    (vector_layer,) = document["vector_layers"]
    assert vector_layer["id"] == layer
    assert all(isinstance(text, str) for text in vector_layer["fields"].values())
    carried = {
        name
        for z in zooms
        for feature in _decode(client, layer, z, *IGLINO)[layer]["features"]
        for name in feature["properties"]
    }
    assert carried
    assert carried <= set(vector_layer["fields"])
