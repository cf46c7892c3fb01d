"""The settlements of the team's districts, for placing them on the map, with a suggested point."""

from __future__ import annotations

from django.contrib.gis.db.models.aggregates import Collect
from django.contrib.gis.geos import Point
from django.db.models import Count, Q, QuerySet

from geo.models import LocationPrecision, Settlement
from registry.models import Community
from registry.selectors.teams import AnyUser, team_municipalities


def settlement_team_list(*, user: AnyUser, which: str = "missing", query: str = "") -> QuerySet[Settlement]:
    """which: "missing" (no point), "team" (placed by a team), or "all"."""
    settlements = Settlement.objects.filter(municipality__in=team_municipalities(user=user)).select_related(
        "municipality", "rural_municipality", "point_set_by"
    )
    if which == "missing":
        settlements = settlements.filter(point__isnull=True)
    elif which == "team":
        settlements = settlements.filter(point_set_at__isnull=False)
    if query.strip():
        settlements = settlements.filter(
            Q(name__icontains=query.strip()) | Q(oktmo__startswith=query.strip())
        )
    return settlements.annotate(community_count=Count("communities", distinct=True)).order_by(
        "-community_count", "name", "oktmo"
    )


def settlement_team_get(*, user: AnyUser, pk: int) -> Settlement | None:
    return settlement_team_list(user=user, which="all").filter(pk=pk).first()


def settlement_suggested_point(*, settlement: Settlement) -> tuple[Point | None, int]:
    """The middle of the exact, public points of the communities recorded in this settlement, and how many."""
    # Not the hidden ones: a village placed at one hidden community's point would publish that point.
    row = Community.objects.filter(
        settlement=settlement, location_precision=LocationPrecision.EXACT, hide_exact_location=False
    ).aggregate(points=Collect("location"), count=Count("id"))
    if not row["count"]:
        return None, 0
    centre = row["points"].centroid
    centre.srid = 4326
    return centre, row["count"]
