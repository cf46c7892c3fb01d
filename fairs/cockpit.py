"""The coordinator's dashboard, put together: programme progress (registry.selectors.programme, the
same counts as /programme/), each figure against the pace expected today, the team's queue, the
fair's state, and progress month by month. It sits in fairs because fairs are among its figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairs.models import Fair
from fairs.selectors.fairs import fair_counts
from geo.models import Municipality
from registry.models import Programme
from registry.selectors.cockpit import (
    Pace,
    PaceState,
    WorkStats,
    month_ends,
    programme_pace,
    work_stats,
)
from registry.selectors.programme import (
    Measure,
    MunicipalityProgress,
    ProgrammeProgress,
    programme_progress,
)
from registry.selectors.teams import AnyUser

MEASURES = ("communities", "leaders", "fairs", "fair_participants")


class FairState(StrEnum):
    HELD = "held"
    PLANNED = "planned"
    MISSING = "missing"


FAIR_STATE_LABELS = {
    FairState.HELD: _("проведена"),
    FairState.PLANNED: _("запланирована"),
    FairState.MISSING: _("нет"),
}


@dataclass(frozen=True)
class FairInfo:
    state: FairState
    date: date | None = None  # the latest held one, else the next planned one


@dataclass(frozen=True)
class DashboardRow:
    progress: MunicipalityProgress
    states: dict[str, PaceState | None]
    work: WorkStats
    fair: FairInfo

    @property
    def municipality(self) -> Municipality:
        return self.progress.municipality

    @property
    def worst(self) -> PaceState | None:
        """The row's colour: its worst measure."""
        order = [PaceState.RED, PaceState.AMBER, PaceState.GREEN]
        present = [state for state in self.states.values() if state is not None]
        return min(present, key=order.index) if present else None


@dataclass(frozen=True)
class MonthPoint:
    day: date
    communities: int
    leaders: int
    fairs: int
    fair_participants: int


@dataclass(frozen=True)
class Dashboard:
    progress: ProgrammeProgress
    pace: Pace
    rows: list[DashboardRow]
    totals: dict[str, PaceState | None]

    def expected(self, measure: Measure) -> float:
        return self.pace.expected(measure)


def fair_info(*, programme: Programme, today: date) -> dict[int, FairInfo]:
    """Per municipality id: held within the period (the latest), else planned (the next one, or the
    latest overdue one), else missing."""
    held: dict[int, date] = {}
    planned: dict[int, list[date]] = {}
    fairs = Fair.objects.filter(
        municipality__in=programme.municipalities.all(),
        date__gte=programme.starts_on,
        date__lte=programme.ends_on,
    ).values_list("municipality_id", "status", "date")
    for municipality_id, status, day in fairs:
        if status == Fair.Status.HELD:
            held[municipality_id] = max(day, held.get(municipality_id, day))
        elif status == Fair.Status.PLANNED:
            planned.setdefault(municipality_id, []).append(day)
    info = {pk: FairInfo(FairState.HELD, day) for pk, day in held.items()}
    for pk, days in planned.items():
        if pk not in info:
            upcoming = [day for day in days if day >= today]
            info[pk] = FairInfo(FairState.PLANNED, min(upcoming) if upcoming else max(days))
    return info


def dashboard_build(*, user: AnyUser, programme: Programme, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    progress = programme_progress(programme=programme, fair_counts=fair_counts(programme=programme))
    pace = programme_pace(programme=programme, today=today)
    ids = [row.municipality.pk for row in progress.rows]
    work = work_stats(user=user, municipality_ids=ids, today=today)
    fairs = fair_info(programme=programme, today=today)
    rows = [
        DashboardRow(
            progress=row,
            states={key: pace.state(getattr(row, key)) for key in MEASURES},
            work=work[row.municipality.pk],
            fair=fairs.get(row.municipality.pk, FairInfo(FairState.MISSING)),
        )
        for row in progress.rows
    ]
    return Dashboard(
        progress=progress,
        pace=pace,
        rows=rows,
        totals={key: pace.state(getattr(progress, key)) for key in MEASURES},
    )


SORT_KEYS = {
    "name": lambda row: (row.municipality.name,),
    "communities": lambda row: (row.progress.communities.percent or 0, row.progress.communities.value),
    "leaders": lambda row: (row.progress.leaders.percent or 0, row.progress.leaders.value),
    "fairs": lambda row: (row.progress.fairs.value, row.fair.state != FairState.MISSING),
    "fair_participants": lambda row: (row.progress.fair_participants.value,),
    "pending": lambda row: (
        row.work.pending,
        -(row.work.pending_oldest.timestamp()) if row.work.pending_oldest else 0,
    ),
    "lapsing": lambda row: (row.work.lapsing[0], row.work.lapsing[1], row.work.lapsing[2]),
    "team": lambda row: (row.work.team_size,),
    "activity": lambda row: (row.work.last_activity.timestamp() if row.work.last_activity else 0,),
}


def dashboard_sorted(rows: list[DashboardRow], *, key: str, descending: bool) -> list[DashboardRow]:
    """Rows sorted by a column; ties by name, so a sort is stable and predictable."""
    by = SORT_KEYS.get(key, SORT_KEYS["name"])
    ordered = sorted(rows, key=lambda row: row.municipality.name)
    return sorted(ordered, key=by, reverse=descending)


def progress_by_month(*, programme: Programme, today: date | None = None) -> list[MonthPoint]:
    """Programme totals at the end of each month since the start (today last), communities and
    leaders from the registry's history, fairs by their date: cumulative, as a report «as of» that
    day would count them."""
    today = today or timezone.localdate()
    held = list(
        Fair.objects.filter(
            status=Fair.Status.HELD,
            municipality__in=programme.municipalities.all(),
            date__gte=programme.starts_on,
            date__lte=programme.ends_on,
        ).values_list("date", "visitor_count")
    )
    points = []
    for day in month_ends(starts_on=programme.starts_on, today=min(today, programme.ends_on)):
        progress = programme_progress(programme=programme, fair_counts={}, as_of=day)
        points.append(
            MonthPoint(
                day=day,
                communities=progress.communities.value,
                leaders=progress.leaders.value,
                fairs=sum(1 for when, _visitors in held if when <= day),
                fair_participants=sum(visitors or 0 for when, visitors in held if when <= day),
            )
        )
    return points


def fair_list_in(*, municipality_ids: list[int]) -> QuerySet[Fair]:
    """The fairs behind the dashboard's fair column, with their sign-up counts."""
    return (
        Fair.objects.filter(municipality_id__in=municipality_ids)
        .select_related("municipality__region")
        .annotate(signup_count=Count("signups"))
        .order_by("-date", "-id")
    )
