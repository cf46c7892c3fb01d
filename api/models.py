"""The API's own state: the rate limits' buckets."""

from __future__ import annotations

from django.db import models


class RateBucket(models.Model):
    """One client's budget in one throttle scope (api.throttling): tokens left at `stamp`.

    Kept in PostgreSQL because every worker process must count together, in an UNLOGGED table
    (migration 0001) because a crash that forgets the budgets only forgives some requests. A row
    older than its scope's period is the same as no row (the bucket has refilled), so such rows are
    deleted whenever a new client arrives."""

    key = models.CharField(max_length=200, primary_key=True)
    tokens = models.FloatField()
    stamp = models.DateTimeField()
    # whether the request that last wrote the row was let through (one statement decides and says)
    granted = models.BooleanField()

    class Meta:
        db_table = "api_rate_bucket"

    def __str__(self) -> str:
        return self.key
