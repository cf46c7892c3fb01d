"""Read replicas: anonymous public page views read from DATABASE_REPLICA_URL when it is set.

The bulk of the traffic (the public maps, lists and community pages) then leaves the primary alone;
team members, the admin, every write and every request that carries a session read the primary, so
nobody misses their own change to replication lag. Without a replica this router does nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_public_read: ContextVar[bool] = ContextVar("karta_public_read", default=False)
# Paths that always read the primary, whatever the method (team work, the admin, sign-in).
PRIMARY_PREFIXES = ("/team/", "/login/", "/logout/", "/i18n/")


def _has_replica() -> bool:
    return REPLICA in connections.settings


class PublicReadRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return REPLICA if _public_read.get() and _has_replica() else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return None

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica follows the primary's schema by replication


class ReplicaReadsMiddleware:
    """Marks the request as a public read: GET or HEAD, no session cookie, not a team or admin path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.primary_prefixes = (*PRIMARY_PREFIXES, "/" + settings.ADMIN_URL.lstrip("/"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        public = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.primary_prefixes)
        )
        token = _public_read.set(public)
        try:
            response = self.get_response(request)
            if getattr(response, "streaming", False) and public:
                # A streamed body reads while it is sent, after this call returns.
                response.streaming_content = _while_public(response.streaming_content)  # type: ignore[attr-defined]
            return response
        finally:
            _public_read.reset(token)


def _while_public(chunks: Any) -> Any:
    token = _public_read.set(True)
    try:
        yield from chunks
    finally:
        _public_read.reset(token)
