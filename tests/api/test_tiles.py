"""Vector tiles: the right features in the right tile, clusters at low zoom, public data only,
HTTP caching, and 400 for a bad z/x/y."""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from registry.models import Community
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
