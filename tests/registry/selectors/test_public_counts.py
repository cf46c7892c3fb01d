"""community_public_counts: published communities per municipality, countable from an index alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.models import Community
from registry.selectors.communities import community_public_counts
from tests.registry.factories import BIRSK, community, municipality

pytestmark = pytest.mark.django_db

BIRSK_OKTMO = "80615101"


def test_counts_are_of_published_communities_per_municipality() -> None:
    community()
    community()
    community(location=BIRSK, municipality=municipality(BIRSK_OKTMO))
    community(status=Community.Status.PROPOSED)
    community(status=Community.Status.ARCHIVED)
    community(verified_until=timezone.localdate() - timedelta(days=400))  # lapsed beyond the grace

    assert community_public_counts() == {municipality("80701000").pk: 2, municipality(BIRSK_OKTMO).pk: 1}


def test_the_count_can_be_answered_from_the_index_alone() -> None:
    # The region map counts 1,000,000 communities: the partial index community_public_count holds
    # every column the query reads, so PostgreSQL may answer it with an index-only scan (the test
    # forbids the other plans to see that this one exists; on a few rows it would not be chosen).
    community()
    with CaptureQueriesContext(connection) as queries:
        community_public_counts()
    [query] = queries.captured_queries
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using community_public_count" in plan, plan
