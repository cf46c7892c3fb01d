"""Fair reads: fairs scoped by the acting user, and registry candidates for a sign-up row."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from fairs.models import Fair, Signup, SignupDismissal
from geo.models import Municipality, Settlement
from registry.matching import name_similarity
from registry.models import Community, Programme
from registry.selectors.teams import AnyUser, team_municipalities


def fair_list(*, user: AnyUser) -> QuerySet[Fair]:
    """Fairs of the user's municipalities (all for coordinators)."""
    return Fair.objects.filter(municipality__in=team_municipalities(user=user)).select_related("municipality")


def fair_get(*, user: AnyUser, pk: int) -> Fair | None:
    return fair_list(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class RegistryCandidate:
    community: Community
    score: float
    distance_m: float | None
    contact_match: bool


def fair_public_get(*, pk: int) -> Fair | None:
    """A fair that takes public sign-ups (planned or held), with its municipality; else None."""
    return (
        Fair.objects.select_related("municipality__region")
        .filter(status__in=[Fair.Status.PLANNED, Fair.Status.HELD], pk=pk)
        .first()
    )


def signup_counts(*, fair: Fair) -> dict[str, object]:
    """The fair's sign-ups: the total and the number in each status, in one query."""
    counts = Signup.objects.filter(fair=fair).aggregate(
        total=Count("id"),
        **{value: Count("id", filter=Q(status=value)) for value in Signup.Status.values},
    )
    total = counts.pop("total")
    return {"total": total, "by_status": counts}


# Each branch can use an index (trigram GIN on the name, btree on phone and e-mail): an OR across
# them made PostgreSQL scan the whole registry for every sign-up row (0.75 s a row at 100,000).
CANDIDATES_SQL = """
WITH contacted AS (
    SELECT ls.community_id AS id
    FROM registry_leadership ls JOIN registry_leader l ON l.id = ls.leader_id
    WHERE (%(phone)s <> '' AND l.phone = %(phone)s) OR (%(email)s <> '' AND l.email = %(email)s)
), named AS (
    SELECT c.id FROM registry_community c
    WHERE c.name_normalized %% %(core)s AND similarity(c.name_normalized, %(core)s) >= 0.3
      AND (c.municipality_id = %(municipality)s OR (%(point)s::bytea IS NOT NULL
           AND ST_DWithin(c.location::geography, ST_GeomFromEWKB(%(point)s::bytea)::geography, %(radius)s)))
)
SELECT c.id,
       CASE WHEN %(point)s::bytea IS NULL THEN NULL
            ELSE ST_Distance(c.location::geography, ST_GeomFromEWKB(%(point)s::bytea)::geography) END,
       c.id IN (SELECT id FROM contacted)
FROM registry_community c
WHERE c.status <> 'rejected' AND c.id IN (SELECT id FROM named UNION SELECT id FROM contacted)
ORDER BY similarity(c.name_normalized, %(core)s) DESC, c.id
LIMIT 20
"""


def signup_candidates(
    *,
    name: str,
    name_core: str,
    municipality: Municipality,
    settlement: Settlement | None,
    location: Point | None,
    phone: str,
    email: str,
) -> list[RegistryCandidate]:
    """Non-rejected communities with a similar name in the municipality or within the radius, or led by
    someone with the same phone or e-mail; pg_trgm finds them, rapidfuzz scores them."""
    point = bytes(location.ewkb) if location is not None else None
    with connection.cursor() as cursor:
        cursor.execute(
            CANDIDATES_SQL,
            {
                "point": point,
                "phone": phone,
                "email": email,
                "core": name_core,
                "municipality": municipality.pk,
                "radius": settings.REGISTRY_DUPLICATE_RADIUS_M,
            },
        )
        rows = {community_id: (distance, contact) for community_id, distance, contact in cursor.fetchall()}
    if not rows:
        return []
    dismissed = set(
        SignupDismissal.objects.filter(
            name_core=name_core, municipality=municipality, settlement=settlement, community_id__in=rows
        ).values_list("community_id", flat=True)
    )
    candidates = [
        RegistryCandidate(
            community,
            round(name_similarity(name, community.name), 3),
            rows[community.pk][0],
            rows[community.pk][1],
        )
        for community in Community.objects.filter(pk__in=rows).select_related("settlement")
        if community.pk not in dismissed
    ]
    candidates.sort(
        key=lambda item: (-item.contact_match, -item.score, item.distance_m or 0, item.community.pk)
    )
    return candidates


def community_distances_m(*, point: Point | None, community_ids: list[int]) -> dict[int, float]:
    """Geodesic distances in metres from a point to communities (for the review table)."""
    if point is None or not community_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_Distance(location::geography, ST_GeomFromEWKB(%s)::geography) FROM registry_community WHERE id = ANY(%s)",
            [bytes(point.ewkb), community_ids],
        )
        return {community_id: round(distance) for community_id, distance in cursor.fetchall()}


def fair_counts(*, programme: Programme) -> dict[int, tuple[int, int]]:
    """Fairs held within the programme's period and their visitors, by municipality id (one query)."""
    rows = (
        Fair.objects.filter(
            status=Fair.Status.HELD,
            municipality__in=programme.municipalities.all(),
            date__gte=programme.starts_on,
            date__lte=programme.ends_on,
        )
        .order_by()
        .values("municipality")
        .annotate(held=Count("id"), participants=Sum("visitor_count"))
    )
    return {row["municipality"]: (row["held"], row["participants"] or 0) for row in rows}


def fair_public_in(*, municipality: Municipality) -> QuerySet[Fair]:
    """The fairs of a municipality, newest first: planned and held fairs are public events."""
    return Fair.objects.filter(
        municipality=municipality, status__in=[Fair.Status.PLANNED, Fair.Status.HELD]
    ).order_by("-date", "-pk")


def fair_public_of(*, community: Community) -> QuerySet[Fair]:
    """The fairs where a community presented itself, newest first."""
    return Fair.objects.filter(
        presented_communities=community, status__in=[Fair.Status.PLANNED, Fair.Status.HELD]
    ).order_by("-date", "-pk")
