"""The team's district at a glance: the full, filterable list of its communities, and the counts the
team home's checklist links to. Always within the user's municipalities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from geo.text import fold
from registry.matching import name_core
from registry.models import Community
from registry.selectors.communities import community_editable_list, community_search
from registry.selectors.teams import AnyUser

SOON_DAYS = 60  # "verification due soon": what a team can still re-verify before it lapses
# pg_trgm word similarity at which a typed word still finds a name («рассвет» → «Рассвет»,
# «расвет» and «рссвет» too); lower lets unrelated names in.
SEARCH_SIMILARITY = 0.45
SORTS = {
    "name": ("name", "id"),
    "-updated_at": ("-updated_at", "id"),
    "verified_until": ("verified_until", "name", "id"),
    "-created_at": ("-created_at", "-id"),
}


@dataclass(frozen=True)
class DistrictFilters:
    q: str = ""
    status: str = ""
    sphere_id: int | None = None
    settlement_id: int | None = None
    source: str = ""
    due: str = ""  # "lapsed", "soon" or ""
    sort: str = "name"


def _today() -> date:
    return timezone.localdate()


def community_due_q(*, due: str, today: date | None = None) -> Q:
    """Verified communities whose verification has lapsed, or lapses within SOON_DAYS."""
    today = today or _today()
    verified = Q(status=Community.Status.VERIFIED)
    if due == "lapsed":
        return verified & Q(verified_until__lt=today)
    if due == "soon":
        return verified & Q(verified_until__gte=today, verified_until__lte=today + timedelta(days=SOON_DAYS))
    return Q()


def community_district_list(*, user: AnyUser, filters: DistrictFilters) -> QuerySet[Community]:
    communities = community_editable_list(user=user)
    if filters.status:
        communities = communities.filter(status=filters.status)
    if filters.sphere_id:
        communities = communities.filter(sphere_id=filters.sphere_id)
    if filters.settlement_id:
        communities = communities.filter(settlement_id=filters.settlement_id)
    if filters.source:
        communities = communities.filter(source=filters.source)
    if filters.due:
        communities = communities.filter(community_due_q(due=filters.due))
    ordering = SORTS.get(filters.sort, SORTS["name"])
    query = " ".join(filters.q.split())
    if query:
        # As typed or folded (community_search), or a word close enough by trigrams: typos forgiven.
        exact = community_search(communities=communities, query=query).values("pk")
        core = name_core(query) or fold(query)
        communities = communities.annotate(match=TrigramWordSimilarity(core, "name_normalized")).filter(
            Q(pk__in=exact) | Q(match__gte=SEARCH_SIMILARITY)
        )
        if filters.sort in ("", "name"):
            ordering = ("-match", "name", "id")
    return communities.order_by(*ordering)


def district_filters_parse(data: dict[str, Any]) -> DistrictFilters:
    """From a valid CommunityFilterForm's cleaned data."""
    return DistrictFilters(
        q=data.get("q") or "",
        status=data.get("status") or "",
        sphere_id=data["sphere"].pk if data.get("sphere") else None,
        settlement_id=data["settlement"].pk if data.get("settlement") else None,
        source=data.get("source") or "",
        due=data.get("due") or "",
        sort=data.get("sort") or "name",
    )


@dataclass(frozen=True)
class DistrictCounts:
    total: int
    proposed: int
    verified: int
    lapsed: int
    soon: int
    archived: int


def district_counts(*, user: AnyUser) -> DistrictCounts:
    """The counts of the team home, in one query."""

    today = _today()
    row = community_editable_list(user=user).aggregate(
        total=Count("id"),
        proposed=Count("id", filter=Q(status=Community.Status.PROPOSED)),
        verified=Count("id", filter=Q(status=Community.Status.VERIFIED)),
        lapsed=Count("id", filter=community_due_q(due="lapsed", today=today)),
        soon=Count("id", filter=community_due_q(due="soon", today=today)),
        archived=Count("id", filter=Q(status=Community.Status.ARCHIVED)),
    )
    return DistrictCounts(**row)
