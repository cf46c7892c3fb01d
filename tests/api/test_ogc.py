"""OGC API – Features at /ogc/: the documents, paging, filters, privacy, HTML and bad input."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from api.ogc import CONFORMANCE
from geo.models import Municipality
from registry.models import Community
from tests.registry.factories import community, coordinator, municipality, team_member

pytestmark = pytest.mark.django_db
IGLINO = Point(56.43, 54.83, srid=4326)
SCRIPT = "<script>alert('ogc')</script>"


def _json(client: APIClient, path: str, **params: Any) -> Any:
    response = client.get(f"/ogc{path}", params, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def _link(document: dict[str, Any], rel: str, kind: str | None = None) -> str:
    """The link's href, or "" when there is none."""
    return next(
        (link["href"] for link in document["links"] if link["rel"] == rel and kind in (None, link["type"])),
        "",
    )


@pytest.fixture
def rows() -> dict[str, Community]:
    iglino = municipality("80628000")
    made = {f"ufa{index}": community(name=f"ТОС «Улица {index}»") for index in range(5)}
    made["iglino"] = community(name=f"Клуб «Ладья» {SCRIPT}", municipality=iglino, location=IGLINO)
    made["iglino_proposed"] = community(
        name="Клуб «Черновик»", municipality=iglino, location=IGLINO, status=Community.Status.PROPOSED
    )
    return made


def test_landing_links_to_the_api_description_conformance_and_collections(api_client: APIClient) -> None:
    landing = _json(api_client, "/")

    assert _link(landing, "service-desc", "application/vnd.oai.openapi+json;version=3.0").endswith(
        "/ogc/api?f=json"
    )
    assert _link(landing, "conformance").endswith("/ogc/conformance?f=json")
    assert _link(landing, "data").endswith("/ogc/collections?f=json")
    assert set(_json(api_client, "/conformance")["conformsTo"]) == set(CONFORMANCE)
    document = _json(api_client, "/api")
    assert document["openapi"].startswith("3.0")
    assert "/collections/communities/items" in document["paths"]
    assert {p["name"] for p in document["paths"]["/collections/fairs/items"]["get"]["parameters"]} >= {
        "bbox", "limit", "offset", "municipality", "status",
    }  # fmt: skip


def test_collections_describe_every_map_layer_with_its_own_extent_and_links(
    api_client: APIClient, rows: dict[str, Community]
) -> None:
    collections = {c["id"]: c for c in _json(api_client, "/collections")["collections"]}

    assert list(collections) == ["communities", "municipalities", "settlements", "fairs"]
    for collection in collections.values():
        assert _link(collection, "items", "application/geo+json")
        assert _link(collection, "http://www.opengis.net/def/rel/ogc/1.0/queryables").endswith(
            "/queryables?f=json"
        )
    published = [row for key, row in rows.items() if key != "iglino_proposed"]
    xs = [row.location.x for row in published]
    ys = [row.location.y for row in published]
    assert collections["communities"]["extent"]["spatial"]["bbox"] == [
        pytest.approx([min(xs), min(ys), max(xs), max(ys)], abs=1e-6)
    ]
    [[first, last]] = collections["communities"]["extent"]["temporal"]["interval"]
    assert first <= last
    assert first.endswith("Z")
    minlon, minlat, maxlon, maxlat = collections["municipalities"]["extent"]["spatial"]["bbox"][0]
    assert minlon < 56 < maxlon
    assert minlat < 54.7 < maxlat
    assert "temporal" not in collections["municipalities"]["extent"]
    assert "extent" not in collections["fairs"]  # no fair yet: no extent of nothing
    assert _json(api_client, "/collections/municipalities")["title"] == "Муниципалитеты"


def test_items_page_with_numbers_and_next_links_through_every_feature(
    api_client: APIClient, rows: dict[str, Community]
) -> None:
    first = _json(api_client, "/collections/communities/items", limit=2)

    assert first["type"] == "FeatureCollection"
    assert first["numberMatched"] == 6
    assert first["numberReturned"] == len(first["features"]) == 2
    assert _link(first, "prev") == ""
    seen = [feature["id"] for feature in first["features"]]
    page = first
    while next_url := _link(page, "next"):
        query = {key: values[0] for key, values in parse_qs(urlparse(next_url).query).items()}
        page = _json(api_client, "/collections/communities/items", **query)
        seen += [feature["id"] for feature in page["features"]]
    published = [row.pk for key, row in rows.items() if key != "iglino_proposed"]
    assert seen == sorted(published)
    assert page["numberReturned"] == 2
    assert _link(page, "prev")


def test_bbox_and_property_filters(api_client: APIClient, rows: dict[str, Community]) -> None:
    around_iglino = _json(api_client, "/collections/communities/items", bbox="56.3,54.7,56.6,54.9")
    by_municipality = _json(api_client, "/collections/communities/items", municipality="80628000")
    three_d = _json(api_client, "/collections/communities/items", bbox="56.3,54.7,0,56.6,54.9,100")

    assert [f["id"] for f in around_iglino["features"]] == [rows["iglino"].pk]
    assert [f["id"] for f in by_municipality["features"]] == [rows["iglino"].pk]
    assert [f["id"] for f in three_d["features"]] == [rows["iglino"].pk]
    district = _json(api_client, "/collections/municipalities/items", municipality="80628000", limit=1000)
    assert [f["properties"]["oktmo"] for f in district["features"]] == ["80628000"]
    okrugs = _json(api_client, "/collections/municipalities/items", kind="urban_okrug", region="RU-BA")
    assert (
        okrugs["numberMatched"]
        == Municipality.objects.filter(
            kind="urban_okrug", region__iso_code="RU-BA", boundary__isnull=False
        ).count()
    )
    assert {f["properties"]["kind"] for f in okrugs["features"]} == {"urban_okrug"}


def test_limit_over_the_maximum_is_clamped(api_client: APIClient, rows: dict[str, Community]) -> None:
    page = _json(api_client, "/collections/communities/items", limit=99_999)

    assert page["numberReturned"] == 6
    assert "limit=10000" in _link(page, "self")


def test_privacy_anonymous_team_and_coordinator(api_client: APIClient, rows: dict[str, Community]) -> None:
    proposed = rows["iglino_proposed"].pk
    anonymous = _json(api_client, "/collections/communities/items", limit=100)
    assert proposed not in [f["id"] for f in anonymous["features"]]
    assert "status" not in anonymous["features"][0]["properties"]
    assert api_client.get(f"/ogc/collections/communities/items/{proposed}").status_code == 404

    api_client.force_authenticate(team_member("80701000"))  # Ufa's team: Iglino's draft is not theirs
    assert api_client.get(f"/ogc/collections/communities/items/{proposed}").status_code == 404

    api_client.force_authenticate(team_member("80628000"))
    own = _json(api_client, f"/collections/communities/items/{proposed}")
    assert own["properties"]["status"] == "proposed"

    api_client.force_authenticate(coordinator())
    assert _json(api_client, "/collections/communities/items", limit=100)["numberMatched"] == 7


def test_one_item_has_links_and_geometry(api_client: APIClient, rows: dict[str, Community]) -> None:
    feature = _json(api_client, f"/collections/communities/items/{rows['iglino'].pk}")

    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [56.43, 54.83]}
    assert _link(feature, "collection").endswith("/ogc/collections/communities?f=json")
    municipality_id = municipality("80628000").pk
    district = _json(api_client, f"/collections/municipalities/items/{municipality_id}")
    assert district["properties"]["oktmo"] == "80628000"
    assert district["geometry"]["type"] == "MultiPolygon"


def test_html_by_f_or_accept_escapes_user_text(api_client: APIClient, rows: dict[str, Community]) -> None:
    by_f = api_client.get("/ogc/collections/communities/items", {"f": "html"})
    by_accept = api_client.get(
        f"/ogc/collections/communities/items/{rows['iglino'].pk}", HTTP_ACCEPT="text/html,*/*;q=0.8"
    )

    for response in (by_f, by_accept):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert SCRIPT not in response.content.decode()
        assert "&lt;script&gt;alert(" in response.content.decode()
    for path in ("/ogc/", "/ogc/conformance", "/ogc/collections", "/ogc/collections/fairs", "/ogc/api"):
        response = api_client.get(path, {"f": "html"})
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/ogc/collections/people", {}, 404, None),
        ("/ogc/collections/registry_community/items", {}, 404, None),
        ("/ogc/collections/..%2F..%2Fetc/items", {}, 404, None),
        ("/ogc/collections/communities/items/abc", {}, 404, None),
        ("/ogc/collections/communities/items/99999999", {}, 404, None),
        ("/ogc/collections/communities/items", {"limit": "0"}, 400, "limit"),
        ("/ogc/collections/communities/items", {"limit": "ten"}, 400, "limit"),
        ("/ogc/collections/communities/items", {"offset": "-1"}, 400, "offset"),
        ("/ogc/collections/communities/items", {"bbox": "1,2,3"}, 400, "bbox"),
        ("/ogc/collections/communities/items", {"bbox": "1,2,nan,4"}, 400, "bbox"),
        ("/ogc/collections/communities/items", {"bbox": "10,10,0,0"}, 400, "bbox"),
        ("/ogc/collections/communities/items", {"f": "xml"}, 400, "f"),
        ("/ogc/collections/communities/items", {"nmae": "x"}, 400, "nmae"),
        ("/ogc/collections/communities/items", {"sphere": "' OR 1=1 --"}, 400, "sphere"),
        ("/ogc/collections/municipalities/items", {"sphere": "territorial"}, 400, "sphere"),
    ],
)
def test_bad_requests_name_the_parameter(
    api_client: APIClient, path: str, params: dict[str, str], status: int, field: str | None
) -> None:
    response = api_client.get(path, params)

    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field


def test_open_data_page_links_every_layer_in_every_format_with_its_attributes(api_client: APIClient) -> None:
    from django.urls import resolve

    from api.exports import layer_formats
    from api.layers import SOURCES

    page = api_client.get("/data/").content.decode()
    home = api_client.get("/").content.decode()

    assert 'href="/data/"' in home
    for name, source in SOURCES.items():
        for fmt in layer_formats(source.layer):
            url = f"/api/v1/export/{name}.{fmt}"
            assert f'href="{url}"' in page
            assert resolve(url).url_name == "export"
        for column in source.layer.columns:
            assert f"<code>{column.shapefile_name}</code>" in page
    assert "/ogc/" in page
