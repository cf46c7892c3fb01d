"""HTTP caching of the public pages for anonymous visitors: Cache-Control, an ETag keyed by the data
version that invalidates the maps (registry/maps/cache.py: public_data_version), 304 on
revalidation without rendering, and the rendered page kept in the cache for the next visitor.

Only where it is safe: GET or HEAD, nobody signed in, no session or messages cookie, a 200 whose
page used no CSRF token and set no cookie. The page's CSP nonce must differ per response, so the
stored copy holds a placeholder where the nonce was and each hit puts a fresh one in."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from config.compression import request_has_session
from registry.maps.cache import public_data_version

MAX_AGE_S = 60  # a browser or proxy may reuse a page this long, then revalidates (a 304)
TIMEOUT_S = 600  # bounds a stored page's life when a change sent no signal
NONCE_PLACEHOLDER = b"karta-csp-nonce-placeholder-5b1e"
View = Callable[..., HttpResponseBase]


def _anonymous(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request_has_session(request)


def _etag(request: HttpRequest) -> str:
    path = request.get_full_path()
    digest = hashlib.sha256(f"{public_data_version()}|{get_language()}|{path}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def _matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    # Weak comparison: the compressed copy carries W/"…" (config/compression.py).
    return any(tag.removeprefix("W/") == etag for tag in parse_etags(header)) or header.strip() == "*"


def _headers(response: HttpResponseBase, etag: str) -> None:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE_S)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


def _nonce(request: HttpRequest) -> str | None:
    nonce = getattr(request, "_csp_nonce", None)  # set only when the page used it (django-csp)
    return nonce if isinstance(nonce, str) else None


def _store(request: HttpRequest, response: HttpResponseBase, key: str) -> None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token
        or not isinstance(response, HttpResponse)
    ):
        return
    body = response.content
    nonce = _nonce(request)
    if nonce:
        body = body.replace(nonce.encode(), NONCE_PLACEHOLDER)
    caches["pages"].set(key, (body, response["Content-Type"]), timeout=TIMEOUT_S)


def _replay(request: HttpRequest, stored: tuple[bytes, str]) -> HttpResponse:
    body, content_type = stored
    if NONCE_PLACEHOLDER in body:
        body = body.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())  # type: ignore[attr-defined]
    return HttpResponse(body, content_type=content_type)


def public_page(view: View) -> View:
    """Cache a public page for anonymous visitors (see the module's docstring)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _anonymous(request):
            return view(request, *args, **kwargs)
        etag = _etag(request)
        if _matches(request, etag):
            response: HttpResponseBase = HttpResponseNotModified()
        else:
            key = f"page:{etag.strip(chr(34))}"
            stored = caches["pages"].get(key)
            if stored is not None:
                response = _replay(request, stored)
            else:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                _store(request, response, key)
                if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
                    return response
        _headers(response, etag)
        return response

    return wrapped
