"""The coordinator's weekly view: where each programme municipality stands against the pace expected
by today, what waits for its team, what lapses soon, and how progress grew month by month.

The pace rule (stated on the page, `PACE_RULE`): the share of a target expected by today is the share
of the programme's period already past; a value at or above that is green, at or above
`AMBER_SHARE` of it amber, below that red."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.contrib.auth.models import User
from django.contrib.gis.db.models.functions import Transform
from django.db.models import Count, F, FloatField, Func, Max, Min, Q, QuerySet, TextField, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.models import Municipality
from registry.models import Community, Programme, TeamMembership
from registry.selectors.communities import community_editable_list, community_pending_list
from registry.selectors.programme import Measure
from registry.selectors.teams import AnyUser

AMBER_SHARE = 0.75
LAPSING_DAYS = (30, 60, 90)
PACE_RULE = _(
    "Ожидаемое к сегодняшнему дню значение — цель, умноженная на долю прошедшего срока программы. "
    "Зелёный: значение не меньше ожидаемого; жёлтый: не меньше 75 % ожидаемого; красный: меньше."
)


class PaceState(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


PACE_LABELS = {
    PaceState.GREEN: _("в графике"),
    PaceState.AMBER: _("немного отстаёт"),
    PaceState.RED: _("отстаёт"),
}


@dataclass(frozen=True)
class Pace:
    """How far through its period the programme is on a given day."""

    starts_on: date
    ends_on: date
    today: date

    @property
    def elapsed_share(self) -> float:
        total = (self.ends_on - self.starts_on).days + 1
        past = (self.today - self.starts_on).days + 1
        return min(max(past / total, 0.0), 1.0)

    def expected(self, measure: Measure) -> float:
        return measure.target * self.elapsed_share

    def state(self, measure: Measure) -> PaceState | None:
        """None without a target: nothing is expected."""
        if measure.target <= 0:
            return None
        expected = self.expected(measure)
        if measure.value >= expected:
            return PaceState.GREEN
        if measure.value >= expected * AMBER_SHARE:
            return PaceState.AMBER
        return PaceState.RED


def programme_pace(*, programme: Programme, today: date | None = None) -> Pace:
    return Pace(programme.starts_on, programme.ends_on, today or timezone.localdate())


@dataclass(frozen=True)
class WorkStats:
    """One municipality's queue and team."""

    pending: int = 0
    pending_oldest: datetime | None = None
    lapsing: tuple[int, ...] = (0, 0, 0)  # within each of LAPSING_DAYS, cumulative
    lapsed: int = 0
    team_size: int = 0
    last_activity: datetime | None = None


def work_stats(
    *, user: AnyUser, municipality_ids: list[int], today: date | None = None
) -> dict[int, WorkStats]:
    """Per municipality id, in five queries: pending items as the team's list counts them, lapsing
    and lapsed verifications, team size and the team's last change in the registry."""
    today = today or timezone.localdate()
    pending = {
        row["municipality_id"]: row
        for row in community_pending_list(user=user)
        .filter(municipality_id__in=municipality_ids)
        .order_by()
        .values("municipality_id")
        .annotate(count=Count("id"), oldest=Min("created_at"))
    }
    windows = {
        f"within_{days}": Count("id", filter=Q(verified_until__lte=today + timedelta(days=days)))
        for days in LAPSING_DAYS
    }
    lapsing = {
        row["municipality_id"]: row
        for row in Community.objects.filter(
            municipality_id__in=municipality_ids,
            status=Community.Status.VERIFIED,
            verified_until__isnull=False,
        )
        .order_by()
        .values("municipality_id")
        .annotate(lapsed=Count("id", filter=Q(verified_until__lt=today)), **windows)
    }
    teams = dict(
        TeamMembership.objects.filter(municipality_id__in=municipality_ids)
        .order_by()
        .values("municipality_id")
        .annotate(count=Count("user_id", distinct=True))
        .values_list("municipality_id", "count")
    )
    activity = dict(
        Community.history.filter(
            municipality_id__in=municipality_ids,
            history_user__team_memberships__municipality_id=F("municipality_id"),
        )
        .order_by()
        .values("municipality_id")
        .annotate(last=Max("history_date"))
        .values_list("municipality_id", "last")
    )
    stats = {}
    for pk in municipality_ids:
        queue = pending.get(pk, {})
        lapse = lapsing.get(pk, {})
        stats[pk] = WorkStats(
            pending=queue.get("count", 0),
            pending_oldest=queue.get("oldest"),
            # within N days counts from today on: the already lapsed ones are shown apart
            lapsing=tuple(lapse.get(f"within_{days}", 0) - lapse.get("lapsed", 0) for days in LAPSING_DAYS),
            lapsed=lapse.get("lapsed", 0),
            team_size=teams.get(pk, 0),
            last_activity=activity.get(pk),
        )
    return stats


def team_list(*, municipality_ids: list[int]) -> list[TeamMembership]:
    return list(
        TeamMembership.objects.filter(municipality_id__in=municipality_ids)
        .select_related("user", "municipality")
        .order_by("municipality__name", "user__last_name", "user__username")
    )


def lapsing_list(
    *, user: AnyUser, municipality_ids: list[int], days: int, today: date | None = None
) -> QuerySet[Community]:
    """Verified communities whose verification ends within `days` from today (not yet lapsed)."""
    today = today or timezone.localdate()
    return (
        community_editable_list(user=user)
        .filter(
            municipality_id__in=municipality_ids,
            status=Community.Status.VERIFIED,
            verified_until__gte=today,
            verified_until__lte=today + timedelta(days=days),
        )
        .order_by("verified_until", "id")
    )


def month_ends(*, starts_on: date, today: date) -> list[date]:
    """The last day of each month from the programme's start up to today, today last."""
    ends: list[date] = []
    cursor = starts_on.replace(day=1)
    while cursor <= today:
        following = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
        ends.append(min(following - timedelta(days=1), today))
        cursor = following
    return ends


def user_display(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class Outlines:
    """Municipal boundaries as SVG path data in Web Mercator metres (y down, as SVG wants it)."""

    view_box: str
    paths: dict[int, str]


def municipality_outlines(*, municipality_ids: list[int]) -> Outlines:
    """PostGIS draws the simplified boundaries as SVG paths (ST_AsSVG), one query."""
    mercator = Transform("boundary_simplified", 3857)
    rows = list(
        Municipality.objects.filter(pk__in=municipality_ids, boundary_simplified__isnull=False)
        .annotate(
            svg=Func(mercator, Value(0), Value(0), function="ST_AsSVG", output_field=TextField()),
            x0=Func(mercator, function="ST_XMin", output_field=FloatField()),
            y0=Func(mercator, function="ST_YMin", output_field=FloatField()),
            x1=Func(mercator, function="ST_XMax", output_field=FloatField()),
            y1=Func(mercator, function="ST_YMax", output_field=FloatField()),
        )
        .values_list("pk", "svg", "x0", "y0", "x1", "y1")
    )
    if not rows:
        return Outlines("0 0 1 1", {})
    x0 = min(row[2] for row in rows)
    y0 = min(row[3] for row in rows)
    x1 = max(row[4] for row in rows)
    y1 = max(row[5] for row in rows)
    # ST_AsSVG writes y as −y: the top edge is −y1
    view_box = f"{x0:.0f} {-y1:.0f} {x1 - x0:.0f} {y1 - y0:.0f}"
    return Outlines(view_box, {pk: svg for pk, svg, *_extent in rows})
