"""The registry as it stood at the end of a past day, read from the change history it keeps
(django-simple-history): what a donor report «as of» a date counts.

The rule: a record's state at a moment is its latest history row written before that moment (a
deletion row means it no longer existed). A record with no history row at all (written in bulk, as
the demo data set is) is taken in its current state from its creation on. Publication on that day is
decided by the same rule the public pages use, `public_q(today=day)`, applied to that state."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from registry.models import Community, Leader, Leadership
from registry.publication import public_q


def day_end(day: date) -> datetime:
    """The first moment after a local calendar day: what happened on the day counts."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _latest(history: QuerySet, *, moment: datetime) -> QuerySet:
    """Each record's last history row before the moment, deletions left out."""
    latest = (
        history.filter(history_date__lt=moment)
        .order_by("id", "-history_date", "-history_id")
        .distinct("id")
        .values("history_id")
    )
    return history.filter(history_id__in=latest).exclude(history_type="-")


def community_public_ids_as_of(*, day: date, municipality_ids: list[int]) -> dict[int, int]:
    """Community id → municipality id of every community published at the end of the day."""
    moment = day_end(day)
    rule = public_q(today=day)
    versions = _latest(Community.history.all(), moment=moment).filter(
        rule, municipality_id__in=municipality_ids
    )
    without_history = (
        Community.objects.filter(rule, municipality_id__in=municipality_ids, created_at__lt=moment)
        .exclude(id__in=Community.history.values("id"))
        .order_by()
    )
    found = dict(versions.values_list("id", "municipality_id"))
    found.update(without_history.values_list("id", "municipality_id"))
    return found


def community_public_counts_as_of(*, day: date, municipality_ids: list[int]) -> dict[int, int]:
    """Published communities per municipality id at the end of the day."""
    return dict(Counter(community_public_ids_as_of(day=day, municipality_ids=municipality_ids).values()))


def leader_counts_as_of(*, day: date, communities: dict[int, int]) -> tuple[dict[int, int], int]:
    """Leaders linked to the given published communities (id → municipality id) at the end of the
    day, not erased by then: per municipality (a person once in each), and people in total."""
    moment = day_end(day)
    ids = list(communities)
    links = set(
        _latest(Leadership.history.all(), moment=moment)
        .filter(community_id__in=ids)
        .values_list("leader_id", "community_id")
    )
    links.update(
        Leadership.objects.filter(community_id__in=ids)
        .exclude(id__in=Leadership.history.values("id"))
        .values_list("leader_id", "community_id")
    )
    erased = set(
        Leader.objects.filter(
            id__in={leader for leader, _community in links}, erased_at__lt=moment
        ).values_list("id", flat=True)
    )
    people: dict[int, set[int]] = {}
    for leader, community in links:
        if leader not in erased:
            people.setdefault(communities[community], set()).add(leader)
    total = len(set().union(*people.values())) if people else 0
    return {municipality: len(leaders) for municipality, leaders in people.items()}, total
