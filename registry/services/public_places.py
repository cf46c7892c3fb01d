"""Registry writes that keep the public place true after the places themselves change: communities
whose point a boundary reload put into another municipality are moved there, and every stored
public point is checked against the rule (registry.publication) and recomputed where it differs."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction

from geo.models import Municipality
from geo.points import municipality_centers_update
from registry.models import Community
from registry.public_feature import public_features_refresh
from registry.publication import PUBLIC_PLACE_STALE_SQL
from registry.services.clusters import cluster_cells_mark_stale
from registry.signals import communities_changed


@dataclass(frozen=True)
class Rehomed:
    community_id: int
    name: str
    municipality_from: str
    municipality_to: str


@dataclass
class PublicPlacesReport:
    centers_changed: int = 0
    communities_changed: int = 0
    features_changed: int = 0
    rehomed: list[Rehomed] = field(default_factory=list)


# A community whose point lies outside its municipality but inside exactly one other district or
# okrug: a boundary reload moved the line between them.
MOVED_SQL = """
SELECT c.id, (SELECT array_agg(o.id ORDER BY o.id) FROM geo_municipality o
              WHERE o.level = 1 AND o.boundary IS NOT NULL AND ST_Intersects(o.boundary, c.location))
FROM registry_community c JOIN geo_municipality m ON m.id = c.municipality_id
WHERE m.boundary IS NOT NULL AND NOT ST_Intersects(m.boundary, c.location)"""


def communities_rehome() -> list[Rehomed]:
    """Moves communities into the municipality their point now lies in; history records why."""
    with connection.cursor() as cursor:
        cursor.execute(MOVED_SQL)
        moves = {pk: others[0] for pk, others in cursor.fetchall() if others and len(others) == 1}
    names = dict(Municipality.objects.filter(pk__in=set(moves.values())).values_list("pk", "name"))
    rehomed = []
    for community in Community.objects.filter(pk__in=moves).select_related("municipality").order_by("pk"):
        before = community.municipality.name
        community.municipality_id = moves[community.pk]
        community._change_reason = "boundary reload"  # type: ignore[attr-defined]  # simple-history
        community.save(update_fields=["municipality", "updated_at"])
        rehomed.append(Rehomed(community.pk, community.name, before, names[community.municipality_id]))
    return rehomed


def community_public_places_refresh() -> int:
    """Recomputes the stored public places that differ from the rule; returns how many did."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH stale AS ({PUBLIC_PLACE_STALE_SQL}) UPDATE registry_community"  # noqa: S608 -- module constant
            " SET hide_exact_location = hide_exact_location WHERE id IN (SELECT id FROM stale)"
            " RETURNING municipality_id"
        )
        changed = cursor.rowcount
        municipality_ids = {row[0] for row in cursor.fetchall()}
    communities_changed(municipality_ids)  # a raw update sends no post_save
    return changed


@transaction.atomic
def public_places_refresh() -> PublicPlacesReport:
    """Municipality centres, communities' municipalities, then every community's public place and
    public feature text."""
    report = PublicPlacesReport()
    report.centers_changed = municipality_centers_update()
    report.rehomed = communities_rehome()
    report.communities_changed = community_public_places_refresh()
    report.features_changed = public_features_refresh()
    if report.centers_changed or report.rehomed or report.communities_changed:
        cluster_cells_mark_stale()
    return report
