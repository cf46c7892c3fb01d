"""Indicator writes: a team enters its municipality's value (with date, source and method), a
coordinator approves it or returns it with a note. A changed value goes back for approval."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality
from registry.models import Indicator, IndicatorValue
from registry.selectors.teams import team_has_member, user_is_coordinator


@transaction.atomic
def indicator_value_submit(
    *,
    user: User,
    indicator: Indicator,
    municipality: Municipality,
    period: str,
    value: float,
    measured_on: date,
    source: str,
    method: str,
    weight: int | None = None,
) -> IndicatorValue:
    if not team_has_member(municipality=municipality, user=user):
        raise PermissionDenied
    errors = []
    if not indicator.programme.municipalities.filter(pk=municipality.pk).exists():
        errors.append(
            ErrorItem("municipality", _("Муниципалитет не участвует в программе"), "municipality_outside")
        )
    if period not in IndicatorValue.Period.values:
        errors.append(ErrorItem("period", _("Период — «до» или «после»"), "period_invalid"))
    if not source.strip():
        errors.append(ErrorItem("source", _("Укажите источник данных"), "source_missing"))
    if not method.strip():
        errors.append(ErrorItem("method", _("Опишите метод измерения"), "method_missing"))
    if measured_on > timezone.localdate():
        errors.append(ErrorItem("measured_on", _("Дата измерения не может быть в будущем"), "date_in_future"))
    if indicator.aggregation == Indicator.Aggregation.WEIGHTED and not weight:
        errors.append(ErrorItem("weight", _("Для этого показателя нужно число опрошенных"), "weight_missing"))
    if errors:
        raise DomainError(*errors)
    item, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        municipality=municipality,
        period=period,
        defaults={
            "value": value,
            "weight": weight,
            "measured_on": measured_on,
            "source": source.strip(),
            "method": method.strip(),
            "status": IndicatorValue.Status.SUBMITTED,
            "entered_by": user,
            "reviewed_by": None,
            "reviewed_at": None,
            "review_note": "",
        },
    )
    return item


@transaction.atomic
def indicator_value_review(
    *, user: User, item: IndicatorValue, approve: bool, note: str = ""
) -> IndicatorValue:
    """Approve (the value counts from now on) or return with a note saying what to fix."""
    if not user_is_coordinator(user=user):
        raise PermissionDenied
    if not approve and not note.strip():
        raise DomainError(ErrorItem("note", _("Напишите команде, что исправить"), "note_missing"))
    item.status = IndicatorValue.Status.APPROVED if approve else IndicatorValue.Status.RETURNED
    item.reviewed_by = user
    item.reviewed_at = timezone.now()
    item.review_note = note.strip()
    item.save()
    return item
