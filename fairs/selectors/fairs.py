"""Fair reads: fairs scoped by the acting user, the public ones, their sign-up counts, and the fairs
held towards a programme's targets."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from fairs.models import Fair, Signup
from geo.models import Municipality
from registry.models import Community, Programme
from registry.selectors.teams import AnyUser, team_municipalities


def fair_list(*, user: AnyUser) -> QuerySet[Fair]:
    """Fairs of the user's municipalities (all for coordinators)."""
    return Fair.objects.filter(municipality__in=team_municipalities(user=user)).select_related("municipality")


def fair_get(*, user: AnyUser, pk: int) -> Fair | None:
    return fair_list(user=user).filter(pk=pk).first()


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


def fair_counts(*, programme: Programme, as_of: date | None = None) -> dict[int, tuple[int, int]]:
    """Fairs held within the programme's period (up to `as_of` when given) and their visitors, by
    municipality id (one query)."""
    rows = (
        Fair.objects.filter(
            status=Fair.Status.HELD,
            municipality__in=programme.municipalities.all(),
            date__gte=programme.starts_on,
            date__lte=min(programme.ends_on, as_of) if as_of else programme.ends_on,
        )
        .order_by()
        .values("municipality")
        .annotate(held=Count("id"), participants=Sum("visitor_count"))
    )
    return {row["municipality"]: (row["held"], row["participants"] or 0) for row in rows}


def fair_public_list(*, oktmo: str | None = None) -> QuerySet[Fair]:
    """Every fair (planned and held fairs are public events), newest first; of one municipality."""
    fairs = Fair.objects.filter(status__in=[Fair.Status.PLANNED, Fair.Status.HELD]).select_related(
        "municipality"
    )
    if oktmo:
        fairs = fairs.filter(municipality__oktmo=oktmo)
    return fairs.order_by("-date", "-pk")


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
