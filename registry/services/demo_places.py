"""Where a demo community may stand: a random point that municipality_locate puts back in its own
municipality."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.geos.prepared import PreparedGeometry

from geo.models import Municipality

MAX_POINT_TRIES = 500


class DemoPlacer:
    """Points that municipality_locate puts back in their municipality: inside its boundary and
    inside no other district's (neighbouring boundaries may overlap by a sliver)."""

    def __init__(self, municipalities: Sequence[Municipality]) -> None:
        shapes = {m.pk: m.boundary for m in municipalities if m.boundary is not None}
        self.extents = {pk: shape.extent for pk, shape in shapes.items()}
        self.prepared = {pk: shape.prepared for pk, shape in shapes.items()}
        x0 = min(extent[0] for extent in self.extents.values())
        y0 = min(extent[1] for extent in self.extents.values())
        x1 = max(extent[2] for extent in self.extents.values())
        y1 = max(extent[3] for extent in self.extents.values())
        everyone = Municipality.objects.filter(
            level=Municipality.Level.TOP,
            boundary__bboverlaps=Polygon.from_bbox((x0, y0, x1, y1)),
        ).only("id", "boundary")
        self.neighbours: dict[int, list[PreparedGeometry]] = defaultdict(list)
        for other in everyone:
            if other.boundary is None:
                continue
            box = other.boundary.envelope
            for pk in self.prepared:
                if other.pk != pk and box.intersects(Polygon.from_bbox(self.extents[pk])):
                    self.neighbours[pk].append(other.boundary.prepared)

    def fits(self, point: Point, municipality_id: int) -> bool:
        return self.prepared[municipality_id].intersects(point) and not any(
            other.intersects(point) for other in self.neighbours[municipality_id]
        )

    def random_point(self, rng: random.Random, municipality_id: int) -> Point:
        x0, y0, x1, y1 = self.extents[municipality_id]
        for _ in range(MAX_POINT_TRIES):
            point = Point(round(rng.uniform(x0, x1), 6), round(rng.uniform(y0, y1), 6), srid=4326)
            if self.fits(point, municipality_id):
                return point
        raise RuntimeError(f"no point found inside municipality {municipality_id}")
