"""Who is asking: the client's address behind the site's own reverse proxies.

Behind nginx every request comes from 127.0.0.1, so per-address limits (the public forms'
django-ratelimit, DRF's throttles, django-axes' sign-in lockout) would become one limit for the
whole site; trusting any X-Forwarded-For instead lets a client pick its own address. The rule:
X-Forwarded-For is read only when the peer (REMOTE_ADDR) is one of TRUSTED_PROXIES, and then from
the right, skipping our own proxies; the first address that is not ours is the client. The
middleware writes it into REMOTE_ADDR first thing, so every library that reads REMOTE_ADDR (with
DRF's NUM_PROXIES = 0 and axes' AXES_CLIENT_IP_CALLABLE pointing here) sees the same address."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_address_resolve(*, remote_addr: str, forwarded_for: str) -> str:
    """The client's address from the peer's and the X-Forwarded-For header (see the module)."""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _is_trusted(remote_addr, networks):
        return remote_addr  # a header from an untrusted peer is the client's own word: ignored
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote_addr  # garbage in the chain: nothing to the left of it can be trusted
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else remote_addr


def request_client_address(request: HttpRequest) -> str:
    """For django-axes (AXES_CLIENT_IP_CALLABLE): the address the middleware settled on."""
    return str(getattr(request, "client_address", None) or request.META.get("REMOTE_ADDR", ""))


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = client_address_resolve(
            remote_addr=request.META.get("REMOTE_ADDR", ""),
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
        )
        request.client_address = address  # type: ignore[attr-defined]
        request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
