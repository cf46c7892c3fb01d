"""Throttles: anonymous reads per client address, GIS reads (OGC API, exports) in a scope of their
own, and every write per user (or address). Signed-in users' reads are not throttled."""

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


class GisReadThrottle(AnonymousReadThrottle):
    """Anonymous OGC API and export reads: a bucket of the rate's count, refilled evenly over its
    period (`1200/min`: a burst of 1,200, then 20 a second).

    GDAL before 3.8 pages OGC API – Features with limit=10 whatever the server advertises, so one
    sync is a burst of a hundred and more requests, and a second sync or a QGIS session follows at
    once: a burst budget fits that, and the state is two numbers, not DRF's list of every
    request's time (1,200 timestamps read and written back on each request)."""

    scope = "gis_read"
    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method not in SAFE_METHODS:
            return True
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:  # a signed-in user
            return True
        self.now = self.timer()
        tokens, stamp = self.cache.get(self.key, (float(self.num_requests), self.now))
        refill = self.num_requests / self.duration
        tokens = min(float(self.num_requests), tokens + max(0.0, self.now - stamp) * refill)
        if tokens < 1:
            self.tokens = tokens
            return False
        self.cache.set(self.key, (tokens - 1, self.now), self.duration)
        return True

    def wait(self) -> float | None:
        refill = self.num_requests / self.duration
        return (1 - getattr(self, "tokens", 0.0)) / refill


class WriteThrottle(UserRateThrottle):
    scope = "write"

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
