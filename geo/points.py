"""Geo writes of a municipality's centre, where a place known only by its municipality is shown.

It is read, with settlements' points (geo.placement), by the public-place rule (registry.publication), which PostgreSQL applies to the
communities concerned as soon as either point changes."""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection, transaction
from django.db.models import Q

from geo.models import Municipality, Settlement
from geo.text import fold


def municipality_center_compute(*, municipality: Municipality) -> Point | None:
    """The admin centre's point if the gazetteer has one, else a point on the district's surface."""
    top = municipality.parent if municipality.parent_id else municipality
    center = municipality.admin_center.split(maxsplit=1)
    if len(center) == 2:
        settlement = (
            Settlement.objects.filter(
                Q(municipality=top), name_normalized=fold(center[1]), type=center[0], point__isnull=False
            )
            .order_by("oktmo")
            .first()
        )
        if settlement is not None and settlement.point is not None:
            return settlement.point
    if top is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ST_AsEWKB(ST_PointOnSurface(boundary)) FROM geo_municipality"
                " WHERE id = %s AND boundary IS NOT NULL",
                [top.pk],
            )
            row = cursor.fetchone()
        if row is not None:
            point = GEOSGeometry(memoryview(bytes(row[0])))
            return point if isinstance(point, Point) else None
    return None


@transaction.atomic
def municipality_centers_update() -> int:
    """Stores every municipality's centre; returns how many changed."""
    changed = 0
    for municipality in Municipality.objects.select_related("parent").defer(
        "boundary", "boundary_simplified", "parent__boundary", "parent__boundary_simplified"
    ):
        center = municipality_center_compute(municipality=municipality)
        current = municipality.center
        same = (center is None and current is None) or (
            center is not None and current is not None and center.equals_exact(current, 0)
        )
        if not same:
            Municipality.objects.filter(pk=municipality.pk).update(center=center)
            changed += 1
    return changed
