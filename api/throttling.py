"""Throttles: anonymous reads per client address, and every write per user (or address)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports the throttles named in the settings
    from rest_framework.views import APIView

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class AnonymousReadThrottle(AnonRateThrottle):
    scope = "anonymous_read"

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method not in SAFE_METHODS:
            return True  # writes have their own throttle
        return super().allow_request(request, view)


class WriteThrottle(UserRateThrottle):
    scope = "write"

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
