"""Throttles: anonymous reads per client address, GIS reads (OGC API, exports) in a scope of their
own, and every write per user (or address). Signed-in users' reads are not throttled.

Reads are counted as buckets (`300/min`: a burst of 300, then refilled evenly, 5 a second), one
row per client and scope in api_rate_bucket, taken in one statement: the read path is the
product's busiest, and DRF's cache-backed history cost six queries a request on the database cache
(a read, a COUNT(*) to cull, a transaction, a read and a write of every request's time)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports the throttles named in the settings
    from rest_framework.views import APIView

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Refill since the last request, capped at the capacity; grant when a whole token is there, and
# spend it. A row stamped more than a period ago is a full bucket, so a new client's arrival
# clears those out (rare next to the requests themselves).
_LEVEL = (
    "least(%(capacity)s, b.tokens + extract(epoch FROM statement_timestamp() - b.stamp)::float8 * %(refill)s)"
)
BUCKET_TAKE_SQL = f"""
INSERT INTO api_rate_bucket AS b (key, tokens, stamp, granted)
VALUES (%(key)s, %(capacity)s - 1, statement_timestamp(), %(capacity)s >= 1)
ON CONFLICT (key) DO UPDATE SET
    tokens = CASE WHEN {_LEVEL} >= 1 THEN {_LEVEL} - 1 ELSE {_LEVEL} END,
    stamp = statement_timestamp(),
    granted = {_LEVEL} >= 1
RETURNING granted, tokens, xmax = 0"""  # noqa: S608 -- constants only
BUCKETS_FULL_DROP_SQL = (
    "DELETE FROM api_rate_bucket WHERE stamp < statement_timestamp() - make_interval(secs => %s)"
)


def bucket_take(*, key: str, capacity: int, period: int) -> float | None:
    """Spends one token of `key`'s bucket: None when granted, else the seconds until a token is back."""
    refill = capacity / period
    with connection.cursor() as cursor:
        cursor.execute(BUCKET_TAKE_SQL, {"key": key, "capacity": float(capacity), "refill": refill})
        granted, tokens, created = cursor.fetchone()
        if created:
            cursor.execute(BUCKETS_FULL_DROP_SQL, [period])
    return None if granted else (1 - tokens) / refill


class BucketThrottle(AnonRateThrottle):
    """Anonymous safe requests, per client address and scope, from a bucket (see the module)."""

    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method not in SAFE_METHODS:
            return True  # writes have their own throttle
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:  # a signed-in user
            return True
        self.waiting = bucket_take(key=key, capacity=self.num_requests, period=self.duration)
        return self.waiting is None

    def wait(self) -> float | None:
        return getattr(self, "waiting", None)


class AnonymousReadThrottle(BucketThrottle):
    scope = "anonymous_read"


class GisReadThrottle(BucketThrottle):
    """Anonymous OGC API and export reads, a budget apart from the REST API's.

    GDAL before 3.8 pages OGC API – Features with limit=10 whatever the server advertises, so one
    sync is a burst of a hundred and more requests, and a second sync or a QGIS session follows at
    once: `1200/min` lets that burst through."""

    scope = "gis_read"


class WriteThrottle(UserRateThrottle):
    scope = "write"

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
