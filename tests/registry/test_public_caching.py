"""Speed for a crowd without leaking secrets: compressed anonymous pages and JSON, never a response
with a CSRF token or a session (BREACH); ETag, Cache-Control and 304 keyed by the data version;
the rendered page kept for the next anonymous visitor with a fresh CSP nonce each time."""

from __future__ import annotations

import gzip
import re
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import timezone

from registry.models import Community, Consent, Leader, Leadership
from registry.services.leaders import consent_withdraw
from tests.registry.factories import community, municipality, team_member

pytestmark = pytest.mark.django_db
GZIP: dict[str, Any] = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _without_nonces(body: bytes) -> bytes:
    return re.sub(rb'nonce="[^"]+"', b"", body)  # each response has its own


def _iglino_community(**fields: object) -> Community:
    return community(municipality=municipality("80628000"), location=Point(56.43, 54.83, srid=4326), **fields)


@pytest.mark.parametrize(
    "url",
    ["/", "/m/iglinskii-raion/", "/maps/region.json", "/api/v1/communities/", "/ogc/collections?f=json"],
)
def test_anonymous_pages_and_json_are_compressed(client: Client, url: str) -> None:
    _iglino_community(name="ТОС «Рассвет»")
    plain = client.get(url)

    packed = client.get(url, **GZIP)

    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert _without_nonces(gzip.decompress(packed.content)) == _without_nonces(plain.content)
    assert len(packed.content) < len(plain.content)


def test_a_page_with_a_csrf_token_is_never_compressed(client: Client) -> None:
    response = client.get("/propose/", **GZIP)

    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_a_signed_in_persons_pages_are_never_compressed_nor_shared(client: Client) -> None:
    client.force_login(team_member("80628000"))

    response = client.get("/m/iglinskii-raion/", **GZIP)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_anonymous_pages_need_no_csrf_token_anywhere_in_the_footer(client: Client) -> None:
    for url in ("/", "/m/iglinskii-raion/", "/cases/", _iglino_community().get_absolute_url()):
        response = client.get(url)
        assert b"csrfmiddlewaretoken" not in response.content, url
        assert not response.cookies, url


def test_revalidation_is_a_304_until_a_community_changes(client: Client) -> None:
    published = _iglino_community(name="Клуб «Первый»")
    first = client.get("/m/iglinskii-raion/")
    etag = first["ETag"]
    assert "max-age=" in first["Cache-Control"]
    assert "public" in first["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= {item.strip() for item in first["Vary"].split(",")}

    again = client.get("/m/iglinskii-raion/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag

    published.name = "Клуб «Переименованный»"
    published.save()
    changed = client.get("/m/iglinskii-raion/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Клуб «Переименованный»" in changed.content.decode()


def test_a_withdrawn_consent_reaches_the_cached_community_page_at_once(client: Client) -> None:
    published = _iglino_community()
    leader = Leader.objects.create(full_name="Гарипова Алсу Рашитовна", municipality=published.municipality)
    Leadership.objects.create(leader=leader, community=published)
    Consent.objects.create(
        leader=leader,
        scope="publish_name",
        purpose="Публикация",
        method="team_member",
        collected_at=timezone.now(),
    )
    before = client.get(published.get_absolute_url())
    assert "Гарипова Алсу Рашитовна" in before.content.decode()

    consent_withdraw(user=None, leader=leader, scope="publish_name")  # a raw update: no post_save

    after = client.get(published.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Гарипова Алсу Рашитовна" not in after.content.decode()


def test_a_stored_page_gets_a_fresh_nonce_that_matches_its_policy(client: Client) -> None:
    _iglino_community()
    nonces = []
    for _attempt in range(2):
        response = client.get("/m/iglinskii-raion/")
        policy_nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        assert policy_nonce
        page_nonces = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        assert page_nonces == {policy_nonce.group(1)}
        nonces.append(policy_nonce.group(1))
    assert nonces[0] != nonces[1]


def test_the_page_follows_the_language(client: Client) -> None:
    russian = client.get("/cases/")
    english = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en")

    assert russian["ETag"] != english["ETag"]
    assert b'lang="en"' in english.content
