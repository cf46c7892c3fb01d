"""Scenario 1b: the municipalities' boundaries through REST against OGC's items."""

from __future__ import annotations

import json

from django.test import Client

from bench.figures import Context, Figure
from bench.scenarios.client import get
from bench.timing import measure


def municipalities(ctx: Context) -> list[Figure]:
    """REST /api/v1/municipalities/ against OGC's items for the same features (the districts and
    okrugs with their full boundaries): both SQL-built now, REST was 5-13 s for 1,000 before."""
    ctx.use(ctx.scaled(100_000))  # the boundaries are the same in every bench database
    client = Client()
    rest = "/api/v1/municipalities/?level=1&page_size=1000"
    ogc = "/ogc/collections/municipalities/items?f=json&limit=1000"
    count = json.loads(get(client, ogc))["numberReturned"]
    endpoint = measure(lambda: get(client, rest), repeats=ctx.repeats)
    baseline = measure(lambda: get(client, ogc), repeats=ctx.repeats)
    return [
        Figure("1b municipalities", f"{count} boundaries", count, "GET /api/v1/municipalities/?level=1",
               "GET /ogc/collections/municipalities/items", endpoint, baseline, "≤ 1.5× OGC",
               endpoint.median <= 1.5 * baseline.median)
    ]  # fmt: skip
