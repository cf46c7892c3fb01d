"""Scenario 1c: refusing a hostile 100,000-vertex area on create."""

from __future__ import annotations

import json

from django.test import Client

from bench.figures import Context, Figure
from bench.scenarios.client import team_member
from bench.timing import measure
from geo.models import Municipality


def hostile_area(ctx: Context) -> list[Figure]:
    """Refusing a 100,000-vertex `area` on create (it was accepted after 6.9 s before the vertex
    limit), against the floor of reading the same body once (json.loads). Never scaled down: the
    size is the point. The tests check the refusal; its time is measured here, not asserted."""
    ctx.use(ctx.scaled(100_000))
    vertices = 100_000
    ring = [[round(56.40 + 0.04 * index / vertices, 7), 54.80] for index in range(vertices)]
    ring += [[56.44, 54.84], [56.40, 54.84], [56.40, 54.80]]
    body = json.dumps({
        "name": "Клуб «Стотысячник»", "sphere": "interest",
        "location": {"type": "Point", "coordinates": [56.43, 54.83]},
        "area": {"type": "MultiPolygon", "coordinates": [[ring]]},
    })  # fmt: skip
    client = Client()
    client.force_login(team_member(Municipality.objects.get(oktmo="80628000")))  # Иглинский район

    def refuse() -> object:
        response = client.post("/api/v1/communities/", body, content_type="application/json")
        codes = [item["code"] for item in response.json().get("errors", [])]
        if response.status_code not in (400, 413) or "geometry_too_many_vertices" not in codes:
            raise RuntimeError(f"a 100,000-vertex area answered {response.status_code} {codes}")
        return response

    endpoint = measure(refuse, repeats=ctx.repeats)
    floor = measure(lambda: json.loads(body), repeats=ctx.repeats)
    return [
        Figure("1c hostile area", f"{vertices:,} vertices, {len(body) / 2**20:.1f} MB", vertices,
               "POST /api/v1/communities/ refused (400)", "json.loads of the same body", endpoint, floor,
               extra={"body_mb": round(len(body) / 2**20, 2)}, note="accepted after 6.9 s before the limit")
    ]  # fmt: skip
