"""The client's address behind our own proxies: X-Forwarded-For only from TRUSTED_PROXIES."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from config.client_address import ClientAddressMiddleware, client_address_resolve


@pytest.fixture(autouse=True)
def _nginx_on_this_machine(settings: object) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]  # type: ignore[attr-defined]


def test_forwarded_address_from_a_trusted_proxy_is_the_client() -> None:
    assert client_address_resolve(remote_addr="127.0.0.1", forwarded_for="203.0.113.7") == "203.0.113.7"


def test_a_client_cannot_forge_its_address_through_the_proxy() -> None:
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the real peer: the rightmost untrusted wins.
    resolved = client_address_resolve(remote_addr="127.0.0.1", forwarded_for="1.2.3.4, 203.0.113.7")

    assert resolved == "203.0.113.7"


def test_a_header_from_an_untrusted_peer_is_ignored() -> None:
    assert client_address_resolve(remote_addr="198.51.100.9", forwarded_for="1.2.3.4") == "198.51.100.9"


def test_a_chain_of_our_own_proxies_is_skipped() -> None:
    resolved = client_address_resolve(remote_addr="127.0.0.1", forwarded_for="203.0.113.7, 10.1.2.3")

    assert resolved == "203.0.113.7"


def test_without_trusted_proxies_remote_addr_stands(settings: object) -> None:
    settings.TRUSTED_PROXIES = []  # type: ignore[attr-defined]

    assert client_address_resolve(remote_addr="127.0.0.1", forwarded_for="1.2.3.4") == "127.0.0.1"


def test_drf_throttles_and_forms_see_the_address_the_middleware_settled() -> None:
    request = RequestFactory().get(
        "/api/v1/communities/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    seen = {}

    def view(inner: object) -> object:
        seen["remote"] = inner.META["REMOTE_ADDR"]  # type: ignore[attr-defined]
        seen["drf"] = SimpleRateThrottle.get_ident(SimpleRateThrottle.__new__(SimpleRateThrottle), inner)  # type: ignore[arg-type]
        return object()

    ClientAddressMiddleware(view)(request)  # type: ignore[arg-type]

    assert seen == {"remote": "203.0.113.7", "drf": "203.0.113.7"}


@pytest.mark.django_db
def test_forged_header_does_not_dodge_the_form_limit(client: Client, settings: object) -> None:
    """Behind the proxy two visitors are two limits; one visitor forging headers is still one."""
    from django.core.cache import cache

    cache.clear()
    settings.PUBLIC_FORM_RATE = "1/h"  # type: ignore[attr-defined]
    data = {"kind": "access", "name": "Анна", "contact": "anna@example.ru"}
    first = client.post("/privacy/", data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    forged = client.post(
        "/privacy/", data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7"
    )
    other = client.post("/privacy/", data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert (first.status_code, forged.status_code, other.status_code) == (302, 429, 302)
