"""Community reads, always scoped by the acting user: the public sees verified communities only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from geo.models import Municipality
from geo.text import fold
from registry.matching import name_core, name_similarity
from registry.models import Community, DuplicateDismissal, Sphere
from registry.publication import public_q
from registry.selectors.teams import AnyUser, team_municipalities


def _today() -> date:
    return timezone.localdate()


def sphere_list() -> QuerySet[Sphere]:
    """Every sphere in legend order, the retired ones too: older records keep theirs."""
    return Sphere.objects.order_by("position", "name")


def community_public_list() -> QuerySet[Community]:
    return Community.objects.filter(public_q()).select_related("municipality", "sphere", "settlement")


def community_list(*, user: AnyUser) -> QuerySet[Community]:
    """What this user may see: the published ones, plus every record of their team's municipalities."""
    visible = public_q()
    if user.is_authenticated:
        visible |= Q(municipality__in=team_municipalities(user=user))
    return Community.objects.filter(visible).select_related("municipality", "sphere", "settlement")


def community_editable_list(*, user: AnyUser) -> QuerySet[Community]:
    return Community.objects.filter(municipality__in=team_municipalities(user=user)).select_related(
        "municipality", "sphere", "settlement"
    )


def community_get(*, user: AnyUser, slug: str | None = None, pk: int | None = None) -> Community | None:
    communities = community_list(user=user)
    if slug is not None:
        return communities.filter(slug=slug).first()
    return communities.filter(pk=pk).first() if pk is not None else None


def community_pending_list(*, user: AnyUser) -> QuerySet[Community]:
    return (
        community_editable_list(user=user)
        .filter(status=Community.Status.PROPOSED)
        .order_by("created_at", "id")
    )


def community_reverify_list(*, user: AnyUser, today: date | None = None) -> QuerySet[Community]:
    """Verified communities whose verification has lapsed (still public during the grace period)."""
    return (
        community_editable_list(user=user)
        .filter(status=Community.Status.VERIFIED, verified_until__lt=today or _today())
        .order_by("verified_until", "id")
    )


@dataclass(frozen=True)
class DuplicateCandidate:
    community: Community
    score: float
    distance_m: float | None


def community_duplicate_candidates(
    *,
    name: str,
    location: Point | None,
    municipality: Municipality | None,
    exclude: Community | None = None,
    limit: int = 5,
) -> list[DuplicateCandidate]:
    """Possible duplicates among non-rejected communities: a similar name in the same municipality
    or within REGISTRY_DUPLICATE_RADIUS_M. pg_trgm finds candidates, rapidfuzz scores them."""
    core = name_core(name)
    params: list[Any] = [core]
    place = []
    if municipality is not None:
        place.append("c.municipality_id = %s")
        params.append(municipality.pk)
    if location is not None:
        place.append("ST_DWithin(c.location::geography, ST_GeomFromEWKB(%s)::geography, %s)")
        params += [bytes(location.ewkb), settings.REGISTRY_DUPLICATE_RADIUS_M]
    if not place:
        return []
    distance_sql = (
        "ST_Distance(c.location::geography, ST_GeomFromEWKB(%s)::geography)"
        if location is not None
        else "NULL"
    )
    sql = (
        f"SELECT c.id, {distance_sql} FROM registry_community c"  # noqa: S608 -- fixed fragments; values in params
        " WHERE c.status <> 'rejected' AND similarity(c.name_normalized, %s) >= 0.3"
        f" AND ({' OR '.join(place)})"
        " AND (%s::bigint IS NULL OR c.id <> %s::bigint) ORDER BY similarity(c.name_normalized, %s) DESC, c.id LIMIT 50"
    )
    exclude_id = exclude.pk if exclude is not None else None
    all_params = (
        ([bytes(location.ewkb)] if location is not None else []) + params + [exclude_id, exclude_id, core]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        rows = cursor.fetchall()
    if not rows:
        return []
    distances = dict(rows)
    dismissed: set[int] = set()
    if exclude is not None:
        for first, second in DuplicateDismissal.objects.filter(
            Q(first=exclude) | Q(second=exclude)
        ).values_list("first", "second"):
            dismissed.add(second if first == exclude.pk else first)
    candidates = []
    for community in Community.objects.filter(pk__in=distances).select_related(
        "municipality", "sphere", "settlement"
    ):
        if community.pk in dismissed:
            continue
        score = name_similarity(name, community.name)
        if score >= settings.REGISTRY_DUPLICATE_NAME_SIMILARITY:
            candidates.append(DuplicateCandidate(community, round(score, 3), distances[community.pk]))
    candidates.sort(
        key=lambda candidate: (-candidate.score, candidate.distance_m or 0, candidate.community.pk)
    )
    return candidates[:limit]


def community_public_in(*, municipality: Municipality) -> QuerySet[Community]:
    """Published communities of a district or okrug, or of one сельсовет inside a district."""
    communities = community_public_list()
    if municipality.level == Municipality.Level.TOP:
        return communities.filter(municipality=municipality)
    return communities.filter(settlement__rural_municipality=municipality)


def community_search(*, communities: QuerySet[Community], query: str) -> QuerySet[Community]:
    """By name, as typed or folded («ТОС Рассвет», «тос рассвет», «рассвёт» all find «ТОС «Рассвет»»)."""
    words = Q(name__icontains=query)
    for folded in {fold(query), name_core(query)} - {""}:
        words |= Q(name_normalized__icontains=folded)
    return communities.filter(words)


def community_public_counts(*, municipality_ids: list[int] | None = None) -> dict[int, int]:
    """Published communities per district or okrug id (of those given, else of all), in one query."""
    communities = community_public_list()
    if municipality_ids is not None:
        communities = communities.filter(municipality_id__in=municipality_ids)
    rows = communities.order_by().values("municipality").annotate(count=Count("id"))
    return {row["municipality"]: row["count"] for row in rows}
