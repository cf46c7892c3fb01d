"""One public truth: every surface shows each community at the same public point with the same
visibility, within its own precision.

Communities cover every precision (exact, a settlement-level point, a hidden place at its
settlement, at its district's centre because the settlement has no point, or because it has no
settlement) and every status (published; proposed, archived and lapsed beyond the grace are not).
Each is fetched anonymously through the community page, the municipality map's data, the popup,
the standalone map file, the embed, the REST list and detail, OGC API – Features, vector tiles (one
zoom per band: clusters at z 6 and 9, points at z 12 and 16) and every export format. Were any one
surface to work out a point of its own (the exact spot, a point on the district's surface…), the
hidden communities would stand elsewhere there and this test fails."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import mapbox_vector_tile
import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import timezone

from api.exports import FORMATS
from geo.models import Settlement
from registry.models import Community
from registry.selectors.tiles import CLUSTER_CELLS, EXTENT
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, municipality, settlement_without_point

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]

SLUG = "iglinskii-raion"
WORLD_M = 40_075_016.685578488
METRE_DEG = 1e-5  # coordinates written with 5 decimals: about a metre

Place = tuple[float, float, str]  # lon, lat, precision


@pytest.fixture
def cases() -> dict[str, Community]:
    iglino = municipality("80628000")
    village = Settlement.objects.get(municipality=iglino, name="Урман")
    pointless = settlement_without_point("80628000")
    lapsed = timezone.localdate() - timedelta(days=400)

    def make(key: str, lon: float, **fields: Any) -> Community:
        values: dict[str, Any] = {
            "name": f"Сообщество {key}", "slug": f"truth-{key}", "municipality": iglino,
            "location": Point(lon, 54.70, srid=4326),
        }  # fmt: skip
        values.update(fields)
        return community(**values)

    return {
        "exact": make("exact", 56.70),
        "settlement_level": make("settlement-level", 56.71, location_precision="settlement"),
        "hidden_at_village": make("hidden-village", 56.72, settlement=village, hide_exact_location=True),
        "hidden_pointless": make("hidden-pointless", 56.73, settlement=pointless, hide_exact_location=True),
        "hidden_nowhere": make("hidden-nowhere", 56.74, hide_exact_location=True),
        "proposed": make("proposed", 56.75, hide_exact_location=True, status=Community.Status.PROPOSED),
        "archived": make("archived", 56.76, status=Community.Status.ARCHIVED),
        "lapsed": make("lapsed", 56.77, hide_exact_location=True, verified_until=lapsed),
    }


def _truth(cases: dict[str, Community]) -> dict[int, Place]:
    """What the registry stores: the published communities at their public places."""
    public = {}
    for item in cases.values():
        item.refresh_from_db()
        if item.status == Community.Status.VERIFIED and item.verified_until is None:
            assert item.public_point is not None
            public[item.pk] = (item.public_point.x, item.public_point.y, item.public_precision)
    hidden = [item for item in cases.values() if item.hide_exact_location and item.pk in public]
    assert len(public) == 5
    assert all(not item.public_point.equals(item.location) for item in hidden)  # type: ignore[union-attr]
    return public


def _assert_same(surface: str, seen: dict[int, Place], truth: dict[int, Place], tolerance: float) -> None:
    assert set(seen) == set(truth), f"{surface}: shows {sorted(seen)}, the registry publishes {sorted(truth)}"
    for pk, (lon, lat, precision) in truth.items():
        got = seen[pk]
        assert abs(got[0] - lon) <= tolerance, (surface, pk, got, truth[pk])
        assert abs(got[1] - lat) <= tolerance, (surface, pk, got, truth[pk])
        if got[2]:
            assert got[2] == precision, (surface, pk, got[2], precision)


# --- HTML pages and the map data ---------------------------------------------------------------


def _community_pages(client: Client, cases: dict[str, Community]) -> dict[int, Place]:
    seen = {}
    for item in cases.values():
        response = client.get(f"/c/{item.slug}/")
        if response.status_code == 404:
            continue
        html = response.content.decode()
        summary = re.search(r'id="community-map-summary"[^>]*>', html)
        assert summary, item.slug
        attributes = dict(re.findall(r'data-(\w+)="([^"]*)"', summary.group(0)))
        seen[item.pk] = (float(attributes["lon"]), float(attributes["lat"]), attributes["precision"])
        if attributes["precision"] != "exact":
            assert "место" in html.split('id="community-map-summary"')[1][:400].lower()  # the caption says so
    return seen


PRECISIONS = {0: "exact", 1: "settlement", 2: "municipality"}


def _map_data(html: str) -> dict[str, Any]:
    block = re.search(r'<script id="community-map-data" type="application/json">(.*?)</script>', html, re.S)
    assert block
    return json.loads(block.group(1))


def _map_points(html: str) -> dict[int, Place]:
    return {point[3]: (point[0], point[1], PRECISIONS[point[4]]) for point in _map_data(html)["points"]}


def _popups(client: Client, cases: dict[str, Community], truth: dict[int, Place]) -> dict[int, Place]:
    seen = {}
    for item in cases.values():
        response = client.get(f"/c/{item.pk}/popup.json")
        if response.status_code == 404:
            continue
        place = response.json()["place"]
        assert bool(place) == (truth[item.pk][2] != "exact"), (item.slug, place)
        seen[item.pk] = truth[item.pk]  # a popup has no point: it opens on the marker's
    return seen


def test_pages_maps_popups_standalone_and_embed_agree(client: Client, cases: dict[str, Community]) -> None:
    truth = _truth(cases)
    _assert_same("community page", _community_pages(client, cases), truth, METRE_DEG)
    municipality_page = client.get(f"/m/{SLUG}/").content.decode()
    _assert_same("municipality map", _map_points(municipality_page), truth, METRE_DEG)
    _assert_same("popups", _popups(client, cases, truth), truth, 0)
    standalone = client.get(f"/m/{SLUG}/map.html").content.decode()
    _assert_same("standalone map", _map_points(standalone), truth, METRE_DEG)
    offline = _map_data(standalone)["popups"]
    assert {int(pk) for pk in offline} == set(truth)
    _assert_same("embed", _map_points(client.get(f"/embed/m/{SLUG}/").content.decode()), truth, METRE_DEG)


# --- REST API and OGC API – Features --------------------------------------------------------------


def _features(features: list[dict[str, Any]]) -> dict[int, Place]:
    return {
        int(feature["id"]): (
            *feature["geometry"]["coordinates"][:2],
            feature["properties"]["location_precision"],
        )
        for feature in features
    }


def test_rest_and_ogc_agree(client: Client, cases: dict[str, Community]) -> None:
    truth = _truth(cases)
    listed = client.get("/api/v1/communities/", {"municipality": "80628000"}).json()["features"]
    _assert_same("REST list", _features(listed), truth, METRE_DEG)
    details = [client.get(f"/api/v1/communities/{item.pk}/") for item in cases.values()]
    _assert_same(
        "REST detail", _features([r.json() for r in details if r.status_code == 200]), truth, METRE_DEG
    )
    ogc = client.get(
        "/ogc/collections/communities/items",
        {"f": "json", "limit": "100"},
        HTTP_ACCEPT="application/geo+json",
    ).json()["features"]
    _assert_same("OGC items", _features(ogc), truth, METRE_DEG)


# --- vector tiles ---------------------------------------------------------------------------------


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return lon / 360 * WORLD_M, math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (
        2 * math.pi
    ) * WORLD_M


def _tile_of(x: float, y: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((x / WORLD_M + 0.5) * n), int((0.5 - y / WORLD_M) * n)


def _world(z: int, tile: tuple[int, int], tx: float, ty: float) -> tuple[float, float]:
    """A tile coordinate (y up, as mapbox_vector_tile decodes) back to Web Mercator metres."""
    size = WORLD_M / 2**z
    return -WORLD_M / 2 + (tile[0] + tx / EXTENT) * size, WORLD_M / 2 - (tile[1] + 1 - ty / EXTENT) * size


def _decode(client: Client, z: int, tile: tuple[int, int]) -> list[dict[str, Any]]:
    response = client.get(f"/tiles/communities/{z}/{tile[0]}/{tile[1]}.mvt")
    assert response.status_code == 200
    return mapbox_vector_tile.decode(response.content).get("communities", {}).get("features", [])


@pytest.mark.parametrize("z", [12, 16])
def test_point_tiles_agree(client: Client, cases: dict[str, Community], z: int) -> None:
    truth = _truth(cases)
    unit = WORLD_M / 2**z / EXTENT  # one tile unit in metres
    seen: dict[int, Place] = {}
    for lon, lat, _precision in truth.values():
        x, y = _mercator(lon, lat)
        tile = _tile_of(x, y, z)
        for feature in _decode(client, z, tile):
            wx, wy = _world(z, tile, *feature["geometry"]["coordinates"])
            seen[feature["properties"]["id"]] = (wx, wy, "")
    in_metres = {pk: (*_mercator(lon, lat), "") for pk, (lon, lat, _p) in truth.items()}
    _assert_same(f"tiles z{z}", seen, in_metres, unit)


@pytest.mark.parametrize("z", [6, 9])
def test_cluster_tiles_count_every_public_point_in_its_cell(
    client: Client, cases: dict[str, Community], z: int
) -> None:
    """A cluster is a block of 1/32 of a tile: its count is the public points inside, its position
    their mean (within one tile unit)."""
    truth = _truth(cases)
    block = WORLD_M / 2**z / CLUSTER_CELLS
    expected: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for lon, lat, _precision in truth.values():
        x, y = _mercator(lon, lat)
        expected[(math.floor(x / block), math.floor(y / block))].append((x, y))
    unit = WORLD_M / 2**z / EXTENT
    for members in expected.values():
        mean = (sum(x for x, _ in members) / len(members), sum(y for _, y in members) / len(members))
        tile = _tile_of(*mean, z)
        clusters = [
            (_world(z, tile, *feature["geometry"]["coordinates"]), feature["properties"]["count"])
            for feature in _decode(client, z, tile)
        ]
        matching = [
            count for (wx, wy), count in clusters if abs(wx - mean[0]) <= unit and abs(wy - mean[1]) <= unit
        ]
        assert matching == [len(members)], (z, mean, clusters)


# --- every export format ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_export_format_agrees(
    client: Client, cases: dict[str, Community], tmp_path: Path, fmt: str
) -> None:
    truth = _truth(cases)
    response = client.get(f"/api/v1/export/communities.{fmt}", {"municipality": "80628000"})
    assert response.status_code == 200
    target = tmp_path / f"communities.{fmt}"
    target.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    source = DataSource(f"/vsizip/{target}" if fmt.endswith(".zip") else str(target))
    slugs = {item.slug: item.pk for item in cases.values()}
    seen = {}
    for feature in source[0]:
        fields = source[0].fields
        if "id" in fields:
            pk = int(feature.get("id"))
        else:  # KML keeps the name and the page address only
            address = re.search(r"/c/([^/]+)/", str(feature.get("Description") or feature.get("url")))
            assert address is not None
            pk = slugs[address[1]]
        precision_field = next((name for name in ("location_precision", "precision") if name in fields), None)
        if fmt in ("csv", "xlsx"):  # lon and lat columns, no geometry
            lon, lat = float(feature.get("lon")), float(feature.get("lat"))
        else:
            point = feature.geom.geos
            assert isinstance(point, Point)
            lon, lat = point.x, point.y
        seen[pk] = (lon, lat, feature.get(precision_field) if precision_field else "")
    _assert_same(f"export {fmt}", seen, truth, METRE_DEG)
