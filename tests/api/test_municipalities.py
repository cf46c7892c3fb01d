from __future__ import annotations

import pytest
from django.contrib.gis.geos import GEOSGeometry
from rest_framework.test import APIClient

from geo.models import Municipality

URL = "/api/v1/municipalities/"


@pytest.mark.django_db
def test_list_is_a_geojson_feature_collection_with_documented_properties(api_client: APIClient) -> None:
    response = api_client.get(URL, {"region": "RU-BA", "level": "1", "page_size": "5"})

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 63
    assert len(body["features"]) == 5
    feature = body["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert set(feature["properties"]) >= {
        "name", "official_name", "oktmo", "kind", "level", "region", "admin_center", "area_km2",
    }  # fmt: skip
    assert feature["properties"]["region"] == "RU-BA"


@pytest.mark.django_db
def test_level_filter_returns_only_that_level(api_client: APIClient) -> None:
    response = api_client.get(URL, {"region": "RU-BA", "level": "2", "page_size": "1000"})

    body = response.json()
    assert body["count"] == 832
    assert {feature["properties"]["level"] for feature in body["features"]} == {2}
    assert all(feature["geometry"] is None for feature in body["features"])


@pytest.mark.django_db
def test_region_filter_is_case_insensitive_and_scopes_the_list(api_client: APIClient) -> None:
    response = api_client.get(URL, {"region": "ru-ta", "level": "1"})

    assert (
        response.json()["count"]
        == Municipality.objects.filter(region__iso_code="RU-TA", level=1).count()
        == 45
    )


@pytest.mark.django_db
def test_simplified_returns_the_lighter_boundary(api_client: APIClient) -> None:
    full = api_client.get(f"{URL}80601000/").json()
    simple = api_client.get(f"{URL}80601000/", {"simplified": "1"}).json()

    full_geometry = GEOSGeometry(str(full["geometry"]).replace("'", '"'))
    simple_geometry = GEOSGeometry(str(simple["geometry"]).replace("'", '"'))
    assert simple_geometry.num_coords < full_geometry.num_coords
    # Same place: the simplified shape covers nearly the same area.
    assert abs(simple_geometry.area - full_geometry.area) / full_geometry.area < 0.01


@pytest.mark.django_db
def test_detail_by_oktmo(api_client: APIClient) -> None:
    response = api_client.get(f"{URL}80701000/")

    assert response.status_code == 200
    properties = response.json()["properties"]
    assert properties["oktmo"] == "80701000"
    assert properties["official_name"] == "город Уфа"
    assert properties["kind"] == "urban_okrug"


@pytest.mark.django_db
@pytest.mark.parametrize("oktmo", ["99999999", "8060100", "abc", "80601000x"])
def test_detail_of_unknown_or_malformed_oktmo_is_404_with_error_body(
    api_client: APIClient, oktmo: str
) -> None:
    response = api_client.get(f"{URL}{oktmo}/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "3"}, "level"),
        ({"level": "one"}, "level"),
        ({"simplified": "maybe"}, "simplified"),
        ({"region": "Bashkortostan"}, "region"),
        ({"page_size": "abc", "level": "x"}, "level,page_size"),
        ({"limit": "all"}, "limit"),
        ({"bbox": "1,2,3,4"}, "bbox"),
        ({"page_size": "1001"}, "page_size"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(
    api_client: APIClient, params: dict[str, str], field: str
) -> None:
    response = api_client.get(URL, params)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == field.split(",")
    assert errors[0]["message"]
    assert errors[0]["code"]


@pytest.mark.django_db
def test_pages_are_stable_and_disjoint(api_client: APIClient) -> None:
    pages = [
        api_client.get(URL, {"region": "RU-BA", "level": "1", "page_size": "30", "page": str(number)}).json()
        for number in (1, 2, 3)
    ]

    ids = [f["id"] for page in pages for f in page["features"]]
    assert len(ids) == len(set(ids)) == 63


@pytest.mark.django_db
def test_simplified_answers_only_the_simplified_geometry(api_client: APIClient) -> None:
    full = api_client.get(URL, {"region": "RU-BA", "level": "1", "page_size": "3"})
    simple = api_client.get(URL, {"region": "RU-BA", "level": "1", "page_size": "3", "simplified": "1"})

    assert len(simple.content) < len(full.content) / 2
    for feature in simple.json()["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert not {"boundary", "boundary_simplified"} & set(feature["properties"])
        assert feature["geometry"]["type"] == "MultiPolygon"


@pytest.mark.django_db
def test_next_links_walk_every_municipality_and_limit_is_refused_by_name(api_client: APIClient) -> None:
    seen: list[int] = []
    url: str | None = URL + "?page_size=400&simplified=1"
    while url:
        body = api_client.get(url).json()
        seen += [feature["id"] for feature in body["features"]]
        url = body["next"]
    refused = api_client.get(URL, {"limit": "all"}).json()["errors"][0]

    assert sorted(seen) == sorted(Municipality.objects.values_list("id", flat=True))
    assert len(seen) == len(set(seen)) == body["count"]
    assert (refused["field"], refused["code"]) == ("limit", "parameter_unknown")
    assert "page_size" in refused["message"]


@pytest.mark.django_db
def test_the_openapi_documents_the_paging(api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/municipalities/"]["get"]
    assert {"page", "page_size", "region", "level", "simplified"} <= {
        p["name"] for p in operation["parameters"]
    }
    collection = operation["responses"]["200"]["content"]["application/geo+json"]["schema"]
    assert {"count", "next", "previous", "features"} <= set(collection["properties"])
