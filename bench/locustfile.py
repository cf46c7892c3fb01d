"""The load mix of bench scenario 8, run by locust headless against 127.0.0.1 only.

BENCH_PATHS holds the URL paths to request, one per line, each "weight path"; {bbox} and {tile}
are filled per request from a seeded generator so the server cannot answer from one cached page."""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

RNG = random.Random(int(os.environ.get("BENCH_SEED", "1")))
PATHS = [line.split(" ", 1) for line in os.environ.get("BENCH_PATHS", "1 /healthz").splitlines() if line]
WEIGHTS = [int(weight) for weight, _ in PATHS]


def _fill(path: str) -> str:
    if "{bbox}" in path:
        lon, lat = RNG.uniform(54.0, 58.0), RNG.uniform(52.5, 55.8)
        path = path.replace("{bbox}", f"{lon:.4f},{lat:.4f},{lon + 0.2:.4f},{lat + 0.1:.4f}")
    if "{tile}" in path:
        zoom = RNG.choice((10, 12, 14))
        # Tiles over Bashkortostan: x, y of 56.0 E, 54.7 N at this zoom (Web Mercator), plus a little wander.
        x = int((56.0 + 180) / 360 * 2**zoom) + RNG.randint(-2, 2)
        y = int(0.3177 * 2**zoom) + RNG.randint(-2, 2)
        path = path.replace("{tile}", f"{zoom}/{x}/{y}")
    return path


class Visitor(HttpUser):
    wait_time = between(0.0, 0.2)

    @task
    def visit(self) -> None:
        _, path = RNG.choices(PATHS, WEIGHTS)[0]
        template = path.strip()
        self.client.get(_fill(template), name=template)
