"""Compression of text responses (HTML, JSON, GeoJSON, vector tiles) that carry no secret.

BREACH: a compressed response that holds a secret (a CSRF token, a signed-in person's data) and
reflects something an attacker can put in the request leaks the secret byte by byte through the
compressed length. So a response is compressed only when the request has no session (nobody
signed in, no session or messages cookie) and the response sets no cookie: Django sets the CSRF
cookie on every response whose page used the token, and the session cookie whenever the session
was written. Anonymous pages no longer carry a CSRF token (the language switch is a link)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/geo+json",
    "application/schema+json",
    "application/vnd.oai.openapi+json",
    "application/problem+json",
    "application/javascript",
    "application/xml",
    "application/vnd.mapbox-vector-tile",
    "application/x-protobuf",
)


def request_has_session(request: HttpRequest) -> bool:
    """Someone signed in, or a session or pending messages that a page may show."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def carries_secrets(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the response may hold a CSRF token or a session's data (then it is sent as is)."""
    return bool(response.cookies) or request_has_session(request)


class SecretFreeGZipMiddleware(GZipMiddleware):
    """Django's gzip (with its random-length header padding) for text responses without secrets."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if not content_type.startswith(COMPRESSIBLE) or carries_secrets(request, response):
            return response
        return super().process_response(request, response)
