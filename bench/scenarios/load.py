"""Scenario 8: a news-day crowd (locust) on gunicorn against the cheapest request under the same load."""

from __future__ import annotations

import csv
import os
import subprocess
import tempfile
from pathlib import Path

from django.db import connections

from bench.figures import Context, Figure
from bench.scenarios.client import route_exists
from bench.serving import VENV_BIN, server
from geo.models import Municipality

LOCUSTFILE = Path(__file__).resolve().parents[1] / "locustfile.py"


def _locust(url: str, paths: list[str], *, users: int, seconds: int, seed: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        prefix = Path(directory) / "run"
        env = {**os.environ, "BENCH_PATHS": "\n".join(paths), "BENCH_SEED": str(seed)}
        subprocess.run(  # noqa: S603 -- our own virtualenv's locust, fixed arguments
            [str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--headless",
             "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", url,
             "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            env=env, check=True, timeout=seconds + 60, capture_output=True,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv", newline="") as handle:
            total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
        with open(f"{prefix}_failures.csv", newline="") as handle:
            failures = sorted(csv.DictReader(handle), key=lambda row: -int(row["Occurrences"]))
    if failures:  # what went wrong, for the table: the commonest error and where
        print(
            f"bench: load errors, commonest: {failures[0]['Occurrences']}× {failures[0]['Name']}: {failures[0]['Error'][:200]}"
        )
    return {
        "requests": float(total["Request Count"]),
        "failures": float(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p95_ms": float(total["95%"]),
    }


def load(ctx: Context) -> list[Figure]:
    from bench.datasets import base_name

    size = ctx.scaled(100_000)
    ctx.use(size)
    slugs = list(
        Municipality.objects.filter(oktmo__in=["80628000", "80701000", "80745000"]).values_list(
            "slug", flat=True
        )
    )
    paths = ["3 /", *(f"2 /m/{slug}/" for slug in slugs)]
    if route_exists("/api/v1/communities/"):
        paths.append("4 /api/v1/communities/?in_bbox={bbox}")
    if route_exists("/tiles/communities/10/0/0.mvt"):  # exists since the tiles landed
        paths.append("4 /tiles/communities/{tile}.mvt")
    users, seconds = (5, 5) if ctx.quick else (50, 60)
    connections.close_all()
    with server(f"{base_name()}_{size}") as url:
        mix = _locust(url, paths, users=users, seconds=seconds, seed=ctx.seed)
        floor = _locust(url, ["1 /healthz"], users=users, seconds=max(3, seconds // 3), seed=ctx.seed)
    ratio = floor["rps"] / mix["rps"] if mix["rps"] else None
    # A news-day crowd (issue #19): at least half the rate of the cheapest request, p95 ≤ 300 ms, no error.
    passed = mix["failures"] == 0 and mix["p95_ms"] <= 300 and mix["rps"] >= 0.5 * floor["rps"]
    return [
        Figure("8 load", f"{users} users, {seconds} s, {size:,} communities", size,
               "locust mix: " + ", ".join(path.split(" ", 1)[1] for path in paths), "GET /healthz under the same load",
               target="≥ 0.5× healthz rps (ratio ≤ 2), p95 ≤ 300 ms, 0 errors", passed=passed, fixed_ratio=ratio,
               extra={"rps": round(mix["rps"], 1), "p95_ms": mix["p95_ms"], "errors": int(mix["failures"]),
                      "requests": int(mix["requests"]), "healthz_rps": round(floor["rps"], 1)},
               note="ratio: healthz requests/s over the mix's")
    ]  # fmt: skip
