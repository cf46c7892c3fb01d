"""Geo writes of a municipality's centre, where a place known only by its municipality is shown.

It is read, with settlements' points (geo.placement), by the public-place rule
(registry.publication), which PostgreSQL applies to the communities concerned as soon as either
point changes."""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection, transaction

from geo.models import Municipality, Settlement
from geo.text import fold


def _surface_points() -> dict[int, Point]:
    """A point on each district's or okrug's boundary, by id, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_AsEWKB(ST_PointOnSurface(boundary)) FROM geo_municipality"
            " WHERE level = %s AND boundary IS NOT NULL",
            [Municipality.Level.TOP],
        )
        points = {pk: GEOSGeometry(memoryview(bytes(ewkb))) for pk, ewkb in cursor.fetchall()}
    return {pk: point for pk, point in points.items() if isinstance(point, Point)}


@transaction.atomic
def municipality_centers_update() -> int:
    """Stores every municipality's centre — the admin centre's point if the gazetteer has one
    (looked for among the district's settlements), else a point on the district's surface — and
    returns how many changed. Two reads for all of them, a write per changed one."""
    placed: dict[tuple[int, str, str], Point] = {}
    for municipality_id, kind, name, point in (
        Settlement.objects.filter(point__isnull=False)
        .order_by("-oktmo")  # the lowest OKTMO of namesakes is written last and wins
        .values_list("municipality_id", "type", "name_normalized", "point")
    ):
        if point is not None:
            placed[(municipality_id, kind, name)] = point
    surface = _surface_points()
    changed = 0
    for municipality in Municipality.objects.only("id", "parent_id", "admin_center", "center"):
        top_id = municipality.parent_id or municipality.pk
        kind, _, name = municipality.admin_center.partition(" ")
        center = placed.get((top_id, kind, fold(name))) if name else None
        if center is None:
            center = surface.get(top_id)
        current = municipality.center
        if (center is None) != (current is None) or (
            center is not None and current is not None and not center.equals_exact(current, 0)
        ):
            Municipality.objects.filter(pk=municipality.pk).update(center=center)
            changed += 1
    return changed
