from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse


def _external_assets(html: str) -> list[str]:
    return [url for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html) if "//" in url]


@pytest.mark.django_db
def test_proposal_form_has_a_self_hosted_point_picker(client: Client, settings: object) -> None:
    settings.MAP_TILE_URL = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"  # type: ignore[attr-defined]

    html = client.get(reverse("propose")).content.decode()

    assert "data-point-picker" in html
    assert 'data-lon-input="id_lon"' in html
    assert 'src="/static/vendor/leaflet/1.9.4/leaflet.js"' in html
    assert 'src="/static/js/point-picker.js"' in html
    assert 'data-tile-url="http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"' in html
    assert _external_assets(html) == []


@pytest.mark.django_db
def test_team_form_has_the_point_picker(ufa_team_member: User) -> None:
    client = Client()
    client.force_login(ufa_team_member)

    html = client.get(reverse("team-community-create")).content.decode()

    assert "data-point-picker" in html
    assert _external_assets(html) == []


def test_vendored_leaflet_files_are_served_from_static() -> None:
    from django.contrib.staticfiles import finders

    for path in ("vendor/leaflet/1.9.4/leaflet.js", "vendor/leaflet/1.9.4/leaflet.css", "js/point-picker.js"):
        assert finders.find(path), path
