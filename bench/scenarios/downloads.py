"""Scenarios 2 and 3: every public community in one download and in each export format, against
COPY and ogr2ogr on the same query."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client

from bench.figures import Context, Figure
from bench.scenarios.client import get, route_exists
from bench.timing import measure, rss_growth_mb


class _Sink(io.RawIOBase):
    """A writable file that keeps only a byte count (COPY's output goes nowhere)."""

    def __init__(self) -> None:
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.count += len(data)
        return len(data)


def download(ctx: Context) -> list[Figure]:
    size = ctx.scaled(100_000)
    ctx.use(size)
    label = f"all public of {size:,}"

    from django.contrib.auth.models import AnonymousUser

    from geo.layers import feature_sql
    from registry.selectors.features import CommunityFilters, feature_query

    # The same query the endpoint streams, run by COPY: the physical floor of the download.
    sql, params = feature_sql(feature_query(user=AnonymousUser(), filters=CommunityFilters()))

    def copy() -> object:
        with connection.cursor() as cursor:
            sink = _Sink()
            statement = cursor.cursor.mogrify(sql, params).decode()
            cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT", sink)
            return sink.count

    floor = measure(copy, repeats=ctx.repeats)
    url = "/api/v1/communities/?limit=all"
    if not route_exists("/api/v1/communities/"):
        return [Figure("2 download", label, size, "GET /api/v1/communities/ (all)", "COPY … TO STDOUT", None, floor,
                       "≤ 1.5× COPY; memory < 50 MB", None, note="endpoint not built yet")]  # fmt: skip
    client = Client()
    endpoint = measure(lambda: get(client, url), repeats=ctx.repeats)
    growth = rss_growth_mb(lambda: get(client, url))
    passed = endpoint.median <= 1.5 * floor.median and growth < 50
    return [
        Figure("2 download", label, size, f"GET {url}", "COPY … TO STDOUT", endpoint, floor,
               "≤ 1.5× COPY; memory < 50 MB", passed, extra={"rss_growth_mb": round(growth, 1)})
    ]  # fmt: skip


def exports(ctx: Context) -> list[Figure]:
    """Each export format of every public community, through the endpoint, against ogr2ogr run
    directly on the same query (what a planner with database access would do)."""
    size = ctx.scaled(100_000)
    ctx.use(size)
    label = f"all public of {size:,}"
    if not route_exists("/api/v1/export/communities.gpkg"):
        return [Figure("3 exports", label, size, "GET /api/v1/export/…", "ogr2ogr", None, None, "≤ 1.2× ogr2ogr",
                       None, note="endpoint not built yet")]  # fmt: skip

    from django.contrib.auth.models import AnonymousUser

    from api.exports import FORMATS, _pg_source, export_command
    from registry.selectors.features import CommunityFilters, feature_query

    query = feature_query(user=AnonymousUser(), filters=CommunityFilters())
    figures = []
    client = Client()
    _source, environment = _pg_source()
    for name, fmt in FORMATS.items():
        work = Path(tempfile.mkdtemp(prefix="karta-bench-"))
        command = export_command(query, fmt, target=work / f"direct.{fmt.suffix}", sql_file=work / "q.sql")

        def direct(command: list[str] = command, work: Path = work) -> object:
            for old in work.glob("direct.*"):
                old.unlink()
            return subprocess.run(command, check=True, capture_output=True, env=environment)  # noqa: S603

        def served(url: str = f"/api/v1/export/communities.{name}") -> bytes:
            return get(client, url)

        baseline = measure(direct, repeats=ctx.repeats)
        url = f"/api/v1/export/communities.{name}"
        endpoint = measure(served, repeats=ctx.repeats)
        growth = rss_growth_mb(served)
        passed = endpoint.median <= 1.2 * baseline.median and growth < 50
        figures.append(
            Figure("3 exports", f"{name}, {label}", size, f"GET {url}", "ogr2ogr, same query", endpoint, baseline,
                   "≤ 1.2× ogr2ogr; memory flat", passed, extra={"rss_growth_mb": round(growth, 1)})
        )  # fmt: skip
        for leftover in work.iterdir():
            leftover.unlink()
        work.rmdir()
    return figures
