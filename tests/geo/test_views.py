from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from geo.models import Municipality


@pytest.mark.django_db
def test_home_lists_every_bashkortostan_municipality_first(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    for municipality in Municipality.objects.filter(region__iso_code="RU-BA", level=1):
        assert municipality.get_absolute_url() in html
    assert html.index("Республика Башкортостан") < html.index("Республика Татарстан")


@pytest.mark.django_db
def test_every_page_carries_the_data_attribution(client: Client) -> None:
    for url in ["/", "/about/", "/m/iglinskii-raion/"]:
        html = client.get(url).content.decode()
        assert "OpenStreetMap" in html, url
        assert "GeoNames" in html, url
        assert "HFLabs" in html, url


@pytest.mark.django_db
def test_municipality_page_shows_its_facts_and_settlement_units(client: Client) -> None:
    response = client.get("/m/iglinskii-raion/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "80628000" in html
    assert "Кальтовский сельсовет" in html


@pytest.mark.django_db
def test_unknown_municipality_page_is_404(client: Client) -> None:
    assert client.get("/m/no-such-place/").status_code == 404


@pytest.mark.django_db
def test_healthz_reports_database_and_postgis(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["postgis"].startswith("3.")


def test_healthz_is_503_when_the_database_is_unavailable(client: Client, django_db_blocker: Any) -> None:
    # A real failure, not a mock: PostgreSQL refuses a connection to a database that does not exist.
    with django_db_blocker.unblock():
        original = connection.settings_dict["NAME"]
        connection.close()
        connection.settings_dict["NAME"] = "karta_no_such_database"
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original

    assert response.status_code == 503
    assert response.json()["status"] == "error"
