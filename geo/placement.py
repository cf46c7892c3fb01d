"""Settlement points placed by municipal teams: the write (inside the district, who and when), and
what a gazetteer reload does with them (keeps them; reports a new source point that disagrees).

Setting a point is all this does: the public points of communities that hide their exact place in
the settlement follow from the database's own recompute (registry's public point), never from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import POINT_SOURCE_TEAM, Settlement

# A new gazetteer point farther than this from the team's is reported as a conflict.
CONFLICT_DISTANCE_M = 2000


@transaction.atomic
def settlement_point_set(*, settlement: Settlement, point: Point, user: User) -> Settlement:
    """Place (or correct) a settlement's point; it must fall inside the settlement's district."""
    settlement = Settlement.objects.select_for_update().select_related("municipality").get(pk=settlement.pk)
    boundary = settlement.municipality.boundary
    if boundary is None or not boundary.covers(point):
        raise DomainError(
            ErrorItem(
                "point",
                _("Точка вне района «{}»: поставьте её внутри его границы").format(
                    settlement.municipality.name
                ),
                "point_outside_municipality",
            )
        )
    settlement.point = point
    settlement.source = POINT_SOURCE_TEAM
    settlement.point_set_by = user
    settlement.point_set_at = timezone.now()
    settlement.save(update_fields=["point", "source", "point_set_by", "point_set_at"])
    return settlement


@dataclass(frozen=True)
class PointConflict:
    oktmo: str
    name: str
    source: str  # the gazetteer's
    distance_m: float


def team_points_keep(rows: list[dict[str, Any]]) -> list[PointConflict]:
    """Settlement rows of a reload, changed in place so that team-set points stay; the conflicts are
    the team points a source now places more than CONFLICT_DISTANCE_M away."""
    placed = {
        oktmo: point
        for oktmo, point in Settlement.objects.filter(point_set_at__isnull=False).values_list(
            "oktmo", "point"
        )
    }
    conflicts = []
    for row in rows:
        team_point = placed.get(row["oktmo"])
        if team_point is None:
            continue
        source_point = row["point"]
        if source_point is not None:
            distance_m = _distance_m(team_point, source_point)
            if distance_m > CONFLICT_DISTANCE_M:
                conflicts.append(PointConflict(row["oktmo"], row["name"], row["source"], round(distance_m)))
        row["point"] = team_point
        row["source"] = POINT_SOURCE_TEAM
    return conflicts


def _distance_m(first: Point, second: Point) -> float:
    """Geodesic, by PostGIS (a degree of longitude is ~65 km at 54°N)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_GeomFromEWKB(%s)::geography, ST_GeomFromEWKB(%s)::geography)",
            [bytes(first.ewkb), bytes(second.ewkb)],
        )
        return float(cursor.fetchone()[0])
