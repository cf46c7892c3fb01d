from __future__ import annotations

import pytest
from rest_framework.test import APIClient

URL = "/api/v1/locate/"


@pytest.mark.django_db
def test_point_in_ufa_is_located_to_the_urban_okrug(api_client: APIClient) -> None:
    response = api_client.get(URL, {"lon": "55.958", "lat": "54.735"})

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "found"
    assert body["precision"] == "exact"
    assert body["municipality"]["oktmo"] == "80701000"
    assert body["point"] == {"type": "Point", "coordinates": [55.958, 54.735]}


@pytest.mark.django_db
def test_point_outside_every_region_is_a_clear_not_found(api_client: APIClient) -> None:
    response = api_client.get(URL, {"lon": "37.62", "lat": "55.75"})

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "not_found"
    assert body["municipality"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lon": "abc", "lat": "54"}, [("lon", "number_invalid")]),
        ({"lon": "1e400", "lat": "54"}, [("lon", "coordinates_not_finite")]),
        ({"lon": "nan", "lat": "54"}, [("lon", "coordinates_not_finite")]),
        ({"lon": "55", "lat": "95"}, [("lat", "coordinates_out_of_range")]),
        ({"lon": "-181", "lat": "54"}, [("lon", "coordinates_out_of_range")]),
        ({"lon": "55"}, [("lat", "required")]),
        ({"lat": "54"}, [("lon", "required")]),
        ({}, [(None, "required")]),
        ({"lon": "abc", "lat": "95"}, [("lon", "number_invalid"), ("lat", "coordinates_out_of_range")]),
        ({"q": ""}, [("q", "blank")]),
        ({"q": "x" * 301}, [("q", "max_length")]),
        ({"q": "Иглино", "municipality": "806"}, [("municipality", "invalid")]),
        ({"q": "Иглино", "municipality": "99999999"}, [("municipality", "municipality_unknown")]),
    ],
)
def test_bad_input_is_400_with_one_error_shape(
    api_client: APIClient, params: dict[str, str], expected: list[tuple[str | None, str]]
) -> None:
    response = api_client.get(URL, params)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(error["field"], error["code"]) for error in errors] == expected
    assert all(error["message"] for error in errors)


@pytest.mark.django_db
def test_place_string_is_located_to_settlement(api_client: APIClient) -> None:
    response = api_client.get(URL, {"q": "с.Иглино"})

    body = response.json()
    assert body["status"] == "found"
    assert body["settlement"]["name"] == "Иглино"
    assert body["municipality"]["oktmo"] == "80628000"
    assert body["precision"] in {"settlement", "municipality"}
    assert body["point"]["type"] == "Point"


@pytest.mark.django_db
def test_ambiguous_place_lists_candidates_without_choosing(api_client: APIClient) -> None:
    response = api_client.get(URL, {"q": "д. Булатово"})

    body = response.json()
    assert body["status"] == "ambiguous"
    assert body["settlement"] is None
    assert body["point"] is None
    assert {candidate["municipality"]["oktmo"] for candidate in body["candidates"]} == {
        "80601000",
        "80615000",
    }


@pytest.mark.django_db
def test_municipality_parameter_narrows_an_ambiguous_place(api_client: APIClient) -> None:
    response = api_client.get(URL, {"q": "д. Булатово", "municipality": "80601000"})

    body = response.json()
    assert body["status"] == "found"
    assert body["settlement"]["oktmo"].startswith("80601")


@pytest.mark.django_db
def test_unknown_place_suggests_close_names(api_client: APIClient) -> None:
    response = api_client.get(URL, {"q": "Иглена"})

    body = response.json()
    assert body["status"] == "not_found"
    assert any("Иглино" in suggestion for suggestion in body["suggestions"])
