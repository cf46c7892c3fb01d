"""The admin map widget: OpenLayers comes from our static files, never from a CDN."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.gis.forms.widgets import OpenLayersWidget
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from geo.models import Municipality, Settlement
from geo.widgets import OPENLAYERS_STATIC_DIR, OPENLAYERS_VERSION, LocalOSMWidget

_ASSET = re.compile(r"<(?:script[^>]*\ssrc|link[^>]*\shref)=\"([^\"]+)\"")


def _assets(html: str) -> list[str]:
    return _ASSET.findall(html)


def test_vendored_openlayers_is_the_version_django_widgets_expect() -> None:
    cdn_urls = [*OpenLayersWidget.Media.js, *OpenLayersWidget.Media.css["all"]]
    versions = {match.group(1) for url in cdn_urls if (match := re.search(r"ol@v?([\d.]+)", url))}
    assert versions == {OPENLAYERS_VERSION}


@pytest.mark.parametrize("name", ["ol.js", "ol.css", "LICENSE.md"])
def test_vendored_files_are_in_static(name: str) -> None:
    assert finders.find(f"{OPENLAYERS_STATIC_DIR}/{name}")


def test_widget_media_is_local_and_present() -> None:
    media = LocalOSMWidget().media
    paths = [*media._js, *media._css["all"]]  # type: ignore[attr-defined]  # Media lists are private
    assert all(not re.match(r"(https?:)?//", path) for path in paths)
    assert all(finders.find(path) for path in paths)
    assert all(url.startswith("/static/") for url in _assets(str(media)))


def test_widget_has_no_inline_script_and_names_no_external_code() -> None:
    html = LocalOSMWidget().render("location", None, {"id": "id_location"})

    assert not re.search(r"https?://", html)
    # Only a JSON data block: the CSP lets no inline script run; static/js/map-widget.js starts it.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts == [' id="id_location_map_options" type="application/json"']
    options = json.loads(re.search(r"<script[^>]*>(.*?)</script>", html, re.S).group(1))  # type: ignore[union-attr]
    assert options["map_id"] == "id_location_map"
    assert options["module"] == "geodjango_location"
    assert (options["default_lon"], options["default_lat"]) == (55.958, 54.735)
    assert "js/map-widget.js" in str(LocalOSMWidget().media)


def test_geo_admin_maps_use_the_local_widget() -> None:
    assert admin.site._registry[Municipality].gis_widget is LocalOSMWidget  # type: ignore[attr-defined]
    assert admin.site._registry[Settlement].gis_widget is LocalOSMWidget  # type: ignore[attr-defined]


def test_settlement_change_page_loads_nothing_from_outside(client: Client, admin_user_obj: User) -> None:
    settlement = Settlement.objects.exclude(point=None).first()
    assert settlement is not None
    client.force_login(admin_user_obj, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("admin:geo_settlement_change", args=[settlement.pk]))

    assert response.status_code == 200
    assets = _assets(response.content.decode())
    assert f"/static/{OPENLAYERS_STATIC_DIR}/ol.js" in assets
    assert all(url.startswith("/") and not url.startswith("//") for url in assets)


@pytest.mark.parametrize("model", ["region", "municipality", "settlement", "geodataload"])
def test_geo_admin_lists_render(client: Client, admin_user_obj: User, model: str) -> None:
    client.force_login(admin_user_obj, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse(f"admin:geo_{model}_changelist"))

    assert response.status_code == 200


def test_municipality_change_page_maps_the_boundary(client: Client, admin_user_obj: User) -> None:
    ufa = Municipality.objects.get(oktmo="80701000")
    client.force_login(admin_user_obj, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("admin:geo_municipality_change", args=[ufa.pk]))

    assert response.status_code == 200
    assert 'id="id_boundary_map"' in response.content.decode()
