"""Scenario 7: placing points in their municipalities against one ST_Contains join."""

from __future__ import annotations

import random

from django.contrib.gis.geos import Point
from django.db import connection

from bench.figures import Context, Figure
from bench.timing import measure
from geo.selectors import municipality_locate, municipality_locate_many


def locate(ctx: Context) -> list[Figure]:
    ctx.use(ctx.scaled(1000))
    rng = random.Random(ctx.seed)
    count = ctx.scaled(10_000)
    points = [Point(rng.uniform(53.2, 59.9), rng.uniform(51.6, 56.5), srid=4326) for _ in range(count)]
    lons = [point.x for point in points]
    lats = [point.y for point in points]

    def floor() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT u.ord, m.id FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS u(lon, lat, ord)"
                " JOIN geo_municipality m ON m.level = 1"
                " AND ST_Contains(m.boundary, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326))",
                [lons, lats],
            )
            return cursor.fetchall()

    subject = measure(lambda: municipality_locate_many(points=points), repeats=ctx.repeats)
    baseline = measure(floor, repeats=ctx.repeats)
    sample = points[: max(1, count // 10)]
    one_by_one = measure(lambda: [municipality_locate(point=point) for point in sample], repeats=1, warmup=0)
    return [
        Figure("7 locate", f"{count:,} points", count, "municipality_locate_many", "one ST_Contains join",
               subject, baseline, "≤ 2×", subject.median <= 2 * baseline.median,
               extra={"one_by_one_s_est": round(one_by_one.median * count / len(sample), 3)})
    ]  # fmt: skip
