"""Scenario 4: vector tiles served against their SQL alone, per zoom."""

from __future__ import annotations

import random
import time

from django.test import Client

from bench.figures import Context, Figure
from bench.scenarios.client import get
from bench.timing import Stats, percentile


def _tiles_around(zoom: int, count: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """Tiles over Bashkortostan (54–59.5°E, 51.5–56.5°N) at one zoom."""
    import math

    def tile(lon: float, lat: float) -> tuple[int, int, int]:
        n = 2**zoom
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return zoom, x, y

    return [tile(rng.uniform(54.0, 59.5), rng.uniform(51.5, 56.5)) for _ in range(count)]


def tiles(ctx: Context) -> list[Figure]:
    from registry.selectors.tiles import community_tile

    size = ctx.scaled(1_000_000)
    ctx.use(size)
    rng = random.Random(ctx.seed)
    client = Client()
    figures = []
    samples = 10 if ctx.quick else 60
    for zoom in (6, 8, 10, 12, 14):
        wanted = _tiles_around(zoom, samples, rng)
        served: list[float] = []
        floor: list[float] = []
        for number, (z, x, y) in enumerate(wanted):

            def serve(z: int = z, x: int = x, y: int = y) -> None:
                get(client, f"/tiles/communities/{z}/{x}/{y}.mvt")

            def query(z: int = z, x: int = x, y: int = y) -> None:
                community_tile(z=z, x=x, y=y)

            # each tile is read twice: who reads it first finds its pages colder, so take turns
            pairs = [(serve, served), (query, floor)]
            for call, times in pairs if number % 2 == 0 else pairs[::-1]:
                started = time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
        p95 = percentile(served, 0.95)
        subject = Stats(percentile(served, 0.5), p95, max(served), len(served))
        baseline = Stats(percentile(floor, 0.5), percentile(floor, 0.95), max(floor), len(floor))
        figures.append(
            Figure("4 tiles", f"z{zoom}, {samples} tiles over {size:,}", size, "GET /tiles/communities/…",
                   "the tile's SQL alone (ST_AsMVT)", subject, baseline,
                   "p95 ≤ 50 ms" if zoom >= 10 else "", (p95 <= 0.05) if zoom >= 10 else None,
                   note="min/median/max columns read p50 / p95 / max here")
        )  # fmt: skip
    return figures
