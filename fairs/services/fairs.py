"""Fair writes: planning a fair and marking it held with the people who came.

planned → held; a held fair's participant count can be corrected. /programme/ counts held fairs and
their participants (fairs.selectors.fairs.fair_counts)."""

from __future__ import annotations

from datetime import date as date_type

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairs.models import Fair
from geo.errors import DomainError, ErrorItem
from geo.models import Municipality
from registry.selectors.programme import programme_current
from registry.selectors.teams import team_has_member


@transaction.atomic
def fair_create(
    *,
    user: User,
    municipality: Municipality,
    date: date_type,
    title: str = "",
    venue_name: str = "",
    expected_participants: int | None = None,
) -> Fair:
    if not team_has_member(municipality=municipality, user=user):
        raise PermissionDenied
    _check_count(expected_participants, field="expected_participants")
    programme = programme_current()
    fair = Fair(
        municipality=municipality,
        date=date,
        venue_name=" ".join(venue_name.split()),
        expected_participants=expected_participants,
        title=" ".join(title.split()) or _("Ярмарка сообществ: {}").format(municipality.name),
        programme=programme
        if programme and programme.municipalities.filter(pk=municipality.pk).exists()
        else None,
        created_by=user,
    )
    fair.full_clean()
    fair.save()
    fair.organisers.add(user)
    return fair


def fair_get_or_create(*, user: User, municipality: Municipality, date: date_type) -> Fair:
    existing = Fair.objects.filter(municipality=municipality, date=date).order_by("id").first()
    return existing or fair_create(user=user, municipality=municipality, date=date)


# More people than this at one municipal fair is a typing slip (a district's fair gathers hundreds).
MAX_PARTICIPANTS = 100_000


def _check_count(value: int | None, *, field: str) -> None:
    if value is not None and not 0 <= value <= MAX_PARTICIPANTS:
        raise DomainError(
            ErrorItem(
                field,
                _("Число участников: ожидается целое от 0 до {}, получено {}").format(
                    MAX_PARTICIPANTS, value
                ),
                "participants_invalid",
            )
        )


@transaction.atomic
def fair_plan_update(
    *,
    user: User,
    fair: Fair,
    date: date_type,
    venue_name: str,
    expected_participants: int | None,
) -> Fair:
    """Change a fair's plan: date, place, how many people are expected."""
    if not team_has_member(municipality=fair.municipality, user=user):
        raise PermissionDenied
    _check_count(expected_participants, field="expected_participants")
    fair.date = date
    fair.venue_name = " ".join(venue_name.split())
    fair.expected_participants = expected_participants
    fair.full_clean()
    fair.save(update_fields=["date", "venue_name", "expected_participants"])
    return fair


@transaction.atomic
def fair_mark_held(*, user: User, fair: Fair, participants: int) -> Fair:
    """The fair took place with this many participants (counted at the door, not the sign-ups);
    marking it again corrects the number."""
    if not team_has_member(municipality=fair.municipality, user=user):
        raise PermissionDenied
    _check_count(participants, field="participants")
    if fair.date > timezone.localdate():
        raise DomainError(
            ErrorItem(
                "participants",
                _("Ярмарка назначена на {:%d.%m.%Y}: отметить её проведённой можно с этого дня").format(
                    fair.date
                ),
                "fair_in_future",
            )
        )
    fair.status = Fair.Status.HELD
    fair.visitor_count = participants
    fair.save(update_fields=["status", "visitor_count"])
    return fair
