"""The read throttles' buckets (api.throttling): one statement a request decides and spends, a
refused request spends nothing, time refills the bucket, and full buckets are cleared away."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from api.models import RateBucket
from api.throttling import bucket_take

pytestmark = pytest.mark.django_db
KEY = "throttle_anonymous_read_203.0.113.7"


def _age(key: str, seconds: float) -> None:
    """As if the bucket's last request had come `seconds` earlier."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE api_rate_bucket SET stamp = stamp - make_interval(secs => %s) WHERE key = %s",
            [seconds, key],
        )


def test_a_burst_of_the_capacity_passes_then_the_wait_is_one_tokens_share() -> None:
    answers = [bucket_take(key=KEY, capacity=3, period=60) for _ in range(4)]

    assert answers[:3] == [None, None, None]
    assert answers[3] is not None
    assert 19 <= answers[3] <= 20  # 3 a minute: a token every 20 s


def test_a_refused_request_spends_nothing_and_time_refills_the_bucket() -> None:
    for _ in range(2):
        bucket_take(key=KEY, capacity=2, period=60)
    refused = [bucket_take(key=KEY, capacity=2, period=60) for _ in range(5)]
    tokens_after_refusals = RateBucket.objects.get(key=KEY).tokens

    _age(KEY, 31)  # half a period: one token back (2 a minute)
    granted = bucket_take(key=KEY, capacity=2, period=60)
    again = bucket_take(key=KEY, capacity=2, period=60)

    assert all(wait is not None for wait in refused)
    assert 0 <= tokens_after_refusals < 0.01  # five refusals took nothing
    assert granted is None
    assert again is not None


def test_a_bucket_never_holds_more_than_its_capacity() -> None:
    bucket_take(key=KEY, capacity=2, period=60)
    _age(KEY, 3600)  # an hour idle refills to 2, not 120

    answers = [bucket_take(key=KEY, capacity=2, period=60) for _ in range(3)]

    assert answers[:2] == [None, None]
    assert answers[2] is not None


def test_scopes_and_addresses_keep_buckets_of_their_own() -> None:
    bucket_take(key=KEY, capacity=1, period=60)

    assert bucket_take(key=KEY.replace("anonymous_read", "gis_read"), capacity=1, period=60) is None
    assert bucket_take(key=KEY.replace("203.0.113.7", "198.51.100.1"), capacity=1, period=60) is None
    assert bucket_take(key=KEY, capacity=1, period=60) is not None


def test_a_new_client_clears_the_buckets_that_have_refilled() -> None:
    bucket_take(key="throttle_anonymous_read_old", capacity=5, period=60)
    bucket_take(key="throttle_anonymous_read_recent", capacity=5, period=60)
    _age("throttle_anonymous_read_old", 61)

    bucket_take(key=KEY, capacity=5, period=60)

    assert set(RateBucket.objects.values_list("key", flat=True)) == {"throttle_anonymous_read_recent", KEY}


def test_a_returning_client_costs_one_statement(
    api_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anonymous_read": "100/min", "gis_read": "100/min", "write": "9/min"},
    )
    api_client.get("/api/v1/communities/")  # the first request creates the bucket

    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/api/v1/communities/").status_code == 200

    throttle = [query["sql"] for query in queries if "api_rate_bucket" in query["sql"]]
    assert len(throttle) == 1
    assert not [query["sql"] for query in queries if "karta_cache" in query["sql"]]
