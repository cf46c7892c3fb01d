"""Programme reads: the current programme and its progress against targets, per municipality and in total.

What counts:
- a community counts when it is published now (`public_q`: verified, verification not lapsed beyond
  the grace period) and lies in a participating municipality;
- a leader counts when not erased and linked (Leadership) to at least one such community. Per
  municipality a leader counts once in each municipality of their counted communities; in the total
  once only, so a leader of communities in two municipalities adds 1 to each row and 1 to the total
  (the total is the number of people, and may be less than the sum of the rows);
- a municipality has its community map when at least one of its communities is published;
- a municipality's target is the one the coordinator set for it (MunicipalTarget), else the even
  share of the programme-wide target; the programme's totals keep the programme-wide targets.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from geo.models import Municipality
from registry.models import Community, Indicator, Leadership, MunicipalTarget, Programme
from registry.publication import public_q
from registry.selectors.history import community_public_ids_as_of, leader_counts_as_of
from registry.selectors.teams import AnyUser, team_municipalities, user_is_coordinator


@dataclass(frozen=True)
class Measure:
    """A value against its target."""

    value: int
    target: int

    @property
    def percent(self) -> int | None:
        """Share of the target reached, rounded down (99.6 % is not yet 100 %); None without a target."""
        if self.target <= 0:
            return None
        return self.value * 100 // self.target

    @property
    def is_reached(self) -> bool:
        return self.value >= self.target

    @property
    def bar_value(self) -> int:
        """What a progress bar shows: the value, capped at the target."""
        return min(self.value, self.target)


@dataclass(frozen=True)
class MunicipalityProgress:
    municipality: Municipality
    communities: Measure
    leaders: Measure
    fairs: Measure
    fair_participants: Measure
    has_map: bool


@dataclass(frozen=True)
class ProgrammeProgress:
    programme: Programme
    rows: tuple[MunicipalityProgress, ...]
    communities: Measure
    leaders: Measure
    fairs: Measure
    fair_participants: Measure
    municipalities_with_map: Measure
    indicators: tuple[Indicator, ...]


def programme_current() -> Programme | None:
    return Programme.objects.filter(is_current=True).select_related("region").first()


def programme_progress_visible(*, user: AnyUser) -> bool:
    """Who sees the full per-municipality table and downloads: coordinators and team members."""
    return user_is_coordinator(user=user) or team_municipalities(user=user).exists()


def _share(total: int, parts: int) -> int:
    """A municipality's share of a programme-wide target: divided evenly, rounded up."""
    return math.ceil(total / parts) if parts else total


@dataclass(frozen=True)
class Targets:
    communities: int
    leaders: int
    fairs: int
    fair_participants: int


def municipal_targets(*, programme: Programme, parts: int) -> Callable[[int], Targets]:
    """A municipality's targets (by id), in one query: what the coordinator set for it, else the even
    share of the programme-wide target (leaders: the programme's number per municipality)."""
    even = Targets(
        communities=_share(programme.target_communities, parts),
        leaders=programme.target_leaders_per_municipality,
        fairs=_share(programme.target_fairs, parts),
        fair_participants=_share(programme.target_fair_participants, parts),
    )
    own = {row.municipality_id: row for row in MunicipalTarget.objects.filter(programme=programme)}

    def target(municipality_id: int) -> Targets:
        row = own.get(municipality_id)
        if row is None:
            return even
        return Targets(
            **{
                field: getattr(even, field) if getattr(row, field) is None else getattr(row, field)
                for field in ("communities", "leaders", "fairs", "fair_participants")
            }
        )

    return target


def _counted_communities(municipality_ids: list[int]) -> QuerySet[Community]:
    return Community.objects.filter(public_q(), municipality_id__in=municipality_ids)


def _counted_leaderships(municipality_ids: list[int]) -> QuerySet[Leadership]:
    return Leadership.objects.filter(
        community__in=_counted_communities(municipality_ids).values("id"),
        leader__erased_at__isnull=True,
    )


def _current_counts(ids: list[int]) -> tuple[dict[int, int], dict[int, int], int]:
    communities = dict(
        _counted_communities(ids)
        .order_by()
        .values("municipality_id")
        .annotate(count=Count("id"))
        .values_list("municipality_id", "count")
    )
    leaderships = _counted_leaderships(ids).order_by()
    leaders = dict(
        leaderships.values("community__municipality_id")
        .annotate(count=Count("leader_id", distinct=True))
        .values_list("community__municipality_id", "count")
    )
    leaders_total = leaderships.aggregate(count=Count("leader_id", distinct=True))["count"]
    return communities, leaders, leaders_total


def _counts_as_of(ids: list[int], day: date) -> tuple[dict[int, int], dict[int, int], int]:
    """The same counts at the end of a past day, read from the change history."""
    published = community_public_ids_as_of(day=day, municipality_ids=ids)
    leaders, leaders_total = leader_counts_as_of(day=day, communities=published)
    return dict(Counter(published.values())), leaders, leaders_total


def programme_municipalities(*, programme: Programme) -> list[Municipality]:
    """The programme's municipalities: its own region's first, then by region and name."""
    return sorted(
        programme.municipalities.select_related("region"),
        key=lambda item: (item.region_id != programme.region_id, item.region.name, item.name),
    )


def leader_counted_ids(
    *, programme: Programme, municipality_ids: list[int] | None = None
) -> QuerySet[Leadership, dict[str, Any]]:
    """The leader ids /programme/ counts (of the given programme municipalities, else of all)."""
    ids = list(programme.municipalities.values_list("pk", flat=True))
    if municipality_ids is not None:
        ids = [pk for pk in ids if pk in municipality_ids]
    return _counted_leaderships(ids).filter(community__municipality_id__in=ids).values("leader_id")  # type: ignore[return-value]


def programme_progress(
    *,
    programme: Programme,
    fair_counts: Mapping[int, tuple[int, int]] | None = None,
    as_of: date | None = None,
) -> ProgrammeProgress:
    """Progress in four queries (municipalities, communities, leaders by municipality, leaders in
    total) plus one for the indicators, whatever the number of municipalities. With `as_of` before
    today, communities and leaders are counted as they stood at the end of that day (from history);
    the caller passes the fair counts of that day."""
    municipalities = programme_municipalities(programme=programme)
    ids = [municipality.pk for municipality in municipalities]
    if as_of is not None and as_of < timezone.localdate():
        communities, leaders, leaders_total = _counts_as_of(ids, as_of)
    else:
        communities, leaders, leaders_total = _current_counts(ids)
    # Fairs held and their participants by municipality id: the fairs app counts them (it sits above
    # the registry), see fairs.selectors.fairs.fair_counts.
    fairs = fair_counts or {}

    parts = len(municipalities)
    targets = municipal_targets(programme=programme, parts=parts)
    rows = []
    for municipality in municipalities:
        held, participants = fairs.get(municipality.pk, (0, 0))
        community_count = communities.get(municipality.pk, 0)
        target = targets(municipality.pk)
        rows.append(
            MunicipalityProgress(
                municipality=municipality,
                communities=Measure(community_count, target.communities),
                leaders=Measure(leaders.get(municipality.pk, 0), target.leaders),
                fairs=Measure(held, target.fairs),
                fair_participants=Measure(participants, target.fair_participants),
                has_map=community_count > 0,
            )
        )
    return ProgrammeProgress(
        programme=programme,
        rows=tuple(rows),
        communities=Measure(sum(communities.values()), programme.target_communities),
        leaders=Measure(leaders_total, sum(row.leaders.target for row in rows)),
        fairs=Measure(sum(row.fairs.value for row in rows), programme.target_fairs),
        fair_participants=Measure(
            sum(row.fair_participants.value for row in rows), programme.target_fair_participants
        ),
        municipalities_with_map=Measure(sum(row.has_map for row in rows), parts),
        indicators=tuple(programme.indicators.all()),
    )
