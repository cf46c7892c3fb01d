"""OGC API – Features Part 1 Core (1.0.1) conformance, offline: the documents against the standard's
own response schemas (tests/data/ogcapi-features-1.0.1/), /ogc/api against OpenAPI 3.0, datetime,
bbox-crs, the exception shape, queryables (Part 3) with property filters, and links behind a proxy."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import override_settings
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from rest_framework.test import APIClient

from fairs.services.fairs import fair_create
from geo.models import Municipality
from registry.models import Community
from tests.registry.factories import community, municipality

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent.parent / "data" / "ogcapi-features-1.0.1"


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's schema dialect as JSON Schema: `nullable: true` is a null type beside the type."""
    if isinstance(node, dict):
        converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
        if node.get("nullable") and "type" in node:
            converted["type"] = [node["type"], "null"]
        return converted
    if isinstance(node, list):
        return [_json_schema(value) for value in node]
    return node


@cache
def _validator(name: str) -> Draft202012Validator:
    def retrieve(uri: str) -> Resource[Any]:
        contents = _json_schema(yaml.safe_load((SCHEMAS / uri).read_text(encoding="utf-8")))
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    registry: Registry[Any] = Registry(retrieve=retrieve)  # type: ignore[call-arg]
    return Draft202012Validator({"$ref": name}, registry=registry)


def _valid(document: Any, schema: str) -> None:
    errors = sorted(_validator(schema).iter_errors(document), key=lambda error: list(error.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def _get(client: APIClient, path: str, status: int = 200, /, **params: Any) -> Any:
    response = client.get(f"/ogc{path}", params, HTTP_ACCEPT="application/json")
    assert response.status_code == status, response.content
    return json.loads(response.content)


@pytest.fixture
def rows() -> dict[str, Community]:
    iglino = municipality("80628000")
    made = {
        "old": community(name="ТОС «Старый»"),
        "may": community(name="ТОС «Майский»"),
        "iglino": community(name="Клуб «Ладья»", municipality=iglino),
    }
    times = {
        "old": dt.datetime(2024, 1, 10, 8, 0, tzinfo=dt.UTC),
        "may": dt.datetime(2025, 5, 1, 10, 0, 0, tzinfo=dt.UTC),
        "iglino": dt.datetime(2025, 6, 30, 23, 0, tzinfo=dt.UTC),
    }
    for key, moment in times.items():
        Community.objects.filter(pk=made[key].pk).update(updated_at=moment)
    return made


def test_documents_validate_against_the_ogc_schemas(
    api_client: APIClient, rows: dict[str, Community]
) -> None:
    _valid(_get(api_client, "/"), "landingPage.yaml")
    _valid(_get(api_client, "/conformance"), "confClasses.yaml")
    collections = _get(api_client, "/collections")
    _valid(collections, "collections.yaml")
    for collection in collections["collections"]:
        _valid(_get(api_client, f"/collections/{collection['id']}"), "collection.yaml")
        items = _get(api_client, f"/collections/{collection['id']}/items", limit=5)
        _valid(items, "featureCollectionGeoJSON.yaml")
        if items["features"]:
            first = items["features"][0]["id"]
            _valid(_get(api_client, f"/collections/{collection['id']}/items/{first}"), "featureGeoJSON.yaml")
    error = _get(api_client, "/collections/communities/items", 400, limit="many")
    _valid(error, "exception.yaml")
    assert error["code"] == "limit_invalid"
    assert error["description"].startswith("limit: ")
    _valid(_get(api_client, "/collections/nothing", 404), "exception.yaml")


def test_the_api_description_is_valid_openapi_and_advertises_the_page_sizes(api_client: APIClient) -> None:
    document = _get(api_client, "/api")

    validate(document)
    limit = next(
        p
        for p in document["paths"]["/collections/communities/items"]["get"]["parameters"]
        if p["name"] == "limit"
    )
    assert (limit["schema"]["default"], limit["schema"]["maximum"]) == (1000, 10000)
    municipalities = {
        p["name"] for p in document["paths"]["/collections/municipalities/items"]["get"]["parameters"]
    }
    assert {"datetime", "level", "region", "kind", "municipality", "bbox"} <= municipalities


def _ids(client: APIClient, collection: str, **params: Any) -> list[int]:
    return [f["id"] for f in _get(client, f"/collections/{collection}/items", **params)["features"]]


def test_datetime_selects_communities_by_their_update_time(
    api_client: APIClient, rows: dict[str, Community]
) -> None:
    pk = {key: row.pk for key, row in rows.items()}

    assert _ids(api_client, "communities", datetime="2025-05-01") == [pk["may"]]
    assert _ids(api_client, "communities", datetime="2025-05-01T10:00:00Z") == [pk["may"]]
    assert _ids(api_client, "communities", datetime="2025-05-01T10:00:01Z") == []
    assert _ids(api_client, "communities", datetime="2025-01-01/2025-12-31") == [pk["may"], pk["iglino"]]
    assert _ids(api_client, "communities", datetime="../2024-12-31") == [pk["old"]]
    assert _ids(api_client, "communities", datetime="2025-06-01T00:00:00Z/..") == [pk["iglino"]]
    assert _ids(api_client, "communities", datetime="2025-06-01T00:00:00Z/") == [pk["iglino"]]
    assert len(_ids(api_client, "communities", datetime="../..")) == 3
    # 23:00 UTC on 30 June is 1 July in Ufa (UTC+5): a date is a local day
    assert _ids(api_client, "communities", datetime="2025-07-01") == [pk["iglino"]]
    assert "updated_at" in _get(api_client, f"/collections/communities/items/{pk['may']}")["properties"]


def test_datetime_selects_fairs_by_their_date_and_leaves_municipalities_alone(
    api_client: APIClient, iglino_team_member: Any
) -> None:
    iglino = municipality("80628000")
    may = fair_create(user=iglino_team_member, municipality=iglino, date=dt.date(2026, 5, 15))
    june = fair_create(user=iglino_team_member, municipality=iglino, date=dt.date(2026, 6, 20))

    assert _ids(api_client, "fairs", datetime="2026-05-15") == [may.pk]
    assert _ids(api_client, "fairs", datetime="2026-05-15T12:00:00Z") == [may.pk]
    assert _ids(api_client, "fairs", datetime="2026-06-01/..") == [june.pk]
    assert _ids(api_client, "fairs", datetime="../2026-05-14") == []
    every = _get(api_client, "/collections/municipalities/items", limit=1)["numberMatched"]
    dated = _get(api_client, "/collections/municipalities/items", limit=1, datetime="2026-05-15")
    assert dated["numberMatched"] == every
    [[first, last]] = _get(api_client, "/collections/fairs")["extent"]["temporal"]["interval"]
    assert (first, last) == ("2026-05-14T19:00:00Z", "2026-06-20T19:00:00Z")


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"datetime": "вчера"}, "datetime", "datetime_invalid"),
        ({"datetime": "2025-13-01"}, "datetime", "datetime_invalid"),
        ({"datetime": "2025-06-01/2025-05-01"}, "datetime", "datetime_order"),
        ({"datetime": "2025-01-01/2025-02-01/2025-03-01"}, "datetime", "datetime_invalid"),
        (
            {"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "bbox": "0,0,1,1"},
            "bbox-crs",
            "crs_unsupported",
        ),
        ({"crs": "http://www.opengis.net/def/crs/EPSG/0/4326"}, "crs", "crs_unsupported"),
        ({"level": "один"}, "level", "number_invalid"),
        ({"region": "x" * 101}, "region", "value_too_long"),
    ],
)
def test_bad_ogc_parameters_answer_the_ogc_exception(
    api_client: APIClient, params: dict[str, str], field: str, code: str
) -> None:
    error = _get(api_client, "/collections/municipalities/items", 400, **params)

    assert error["code"] == code
    assert error["errors"][0]["field"] == field
    assert error["description"].startswith(f"{field}: ")


def test_bbox_crs84_is_accepted(api_client: APIClient) -> None:
    params = {"bbox": "56.3,54.7,56.6,54.9", "bbox-crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}
    page = _get(api_client, "/collections/municipalities/items", **params)
    assert "80628000" in {f["properties"]["oktmo"] for f in page["features"]}


def test_queryables_list_the_filters_and_each_one_filters(api_client: APIClient) -> None:
    queryables = _get(api_client, "/collections/municipalities/queryables")

    assert queryables["type"] == "object"
    assert queryables["$schema"].startswith("https://json-schema.org/")
    assert set(queryables["properties"]) == {"level", "region", "kind"}
    assert queryables["properties"]["level"]["type"] == "integer"
    okrugs = _get(api_client, "/collections/municipalities/items", kind="urban_okrug", limit=1000)
    assert okrugs["numberMatched"] == Municipality.objects.filter(kind="urban_okrug", level=1).count()
    assert _get(api_client, "/collections/municipalities/items", level=2)["numberMatched"] == 0
    bashkortostan = _get(api_client, "/collections/municipalities/items", region="RU-BA", limit=1)
    assert (
        0
        < bashkortostan["numberMatched"]
        < _get(api_client, "/collections/municipalities/items")["numberMatched"]
    )
    communities = _get(api_client, "/collections/communities/queryables")["properties"]
    assert {"municipality", "sphere"} <= set(communities)
    assert "status" not in communities  # a team-only column is not offered to everyone
    assert api_client.get("/ogc/collections/communities/queryables", {"f": "html"}).status_code == 200


def test_ogc_without_the_slash_redirects_to_an_absolute_url(api_client: APIClient) -> None:
    response = api_client.get("/ogc", {"f": "json"})

    assert response.status_code == 301
    assert response["Location"] == "http://testserver/ogc/?f=json"


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    USE_X_FORWARDED_HOST=True,
    ALLOWED_HOSTS=["karta.example.org", "testserver"],
)
def test_links_behind_a_proxy_use_its_scheme_and_host(api_client: APIClient) -> None:
    proxied: dict[str, Any] = {
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_HOST": "karta.example.org",
    }
    landing = json.loads(api_client.get("/ogc/", {"f": "json"}, **proxied).content)
    redirect = api_client.get("/ogc", **proxied)

    assert {link["href"].split("/ogc")[0] for link in landing["links"]} == {"https://karta.example.org"}
    assert redirect["Location"] == "https://karta.example.org/ogc/"
