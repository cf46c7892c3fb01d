"""Error pages: Russian for people, the API's error shape for machines, 503 while the database is away."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from tests.conftest import APPS_BUT_GEODATA


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail that must not reach the user")


urlpatterns = [path("boom/", _boom), path("api/v1/boom/", _boom), path("", include("config.urls"))]
handler404 = "config.views.not_found"
handler500 = "config.views.server_error"


@pytest.fixture
def quiet_client() -> Client:
    """Returns the error responses instead of re-raising the view's exception in the test."""
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_unknown_page_is_a_russian_404(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(client: Client) -> None:
    response = client.get("/api/v1/no-such-resource/")

    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": None, "message": "Не найдено", "code": "not_found"}]}


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_crash_is_a_plain_500_without_details(quiet_client: Client) -> None:
    response = quiet_client.get("/boom/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Что-то пошло не так" in html
    assert "secret detail" not in html
    assert "Traceback" not in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_api_crash_is_a_500_in_the_error_shape(quiet_client: Client) -> None:
    response = quiet_client.get("/api/v1/boom/")

    assert response.status_code == 500
    assert response.json()["errors"][0]["code"] == "server_error"
    assert "secret detail" not in response.content.decode()


@contextmanager
def _outage() -> Iterator[None]:
    """Points the connection at a port nobody listens on, as if PostgreSQL had stopped."""
    connection = connections["default"]
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved


@pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA)
def test_database_outage_is_a_friendly_503_and_the_site_recovers(quiet_client: Client) -> None:
    assert quiet_client.get("/m/ufa/").status_code == 200

    with _outage():
        page = quiet_client.get("/m/ufa/")
        api = quiet_client.get("/api/v1/municipalities/")

    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "Сервис временно недоступен" in page.content.decode()
    assert api.status_code == 503
    assert api.json()["errors"][0]["code"] == "database_unavailable"
    # No restart: the next request opens a new connection.
    assert quiet_client.get("/m/ufa/").status_code == 200
