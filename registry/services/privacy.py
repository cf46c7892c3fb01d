"""The personal-data audit trail: every duty performed under 152-FZ leaves a PrivacyEvent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from registry.exports import Table, consent_log_table
from registry.models import PrivacyEvent, PrivacyRequest
from registry.selectors.leaders import consent_log
from registry.selectors.teams import AnyUser, user_is_coordinator


def privacy_event_record(
    *, action: str, actor: AnyUser | None, leader_id: int | None = None, details: dict[str, int] | None = None
) -> PrivacyEvent:
    """details: counts and ids only (the trail must not become a copy of what it audits)."""
    return PrivacyEvent.objects.create(
        action=action,
        actor=actor if isinstance(actor, User) else None,
        leader_id=leader_id,
        details=details or {},
    )


def consent_log_export(*, user: AnyUser) -> Table:
    """The consent log of the user's municipalities, as a table to download; the export is audited."""
    consents = list(consent_log(user=user))
    privacy_event_record(
        action=PrivacyEvent.Action.CONSENT_LOG, actor=user, details={"consents": len(consents)}
    )
    return consent_log_table(consents)


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (Saturdays and Sundays skipped; public holidays
    are not known here, so the deadline shown is never later than the law's)."""
    current = start
    left = days
    while left:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


@transaction.atomic
def privacy_request_submit(*, kind: str, name: str, contact: str, text: str) -> PrivacyRequest:
    """A person's request from the privacy notice page: queued for the coordinators with the legal
    deadline (152-FZ art. 14 part 3: ten working days) and recorded in the audit trail by id."""
    request = PrivacyRequest(
        kind=kind,
        name=name,
        contact=contact,
        text=text,
        due_on=working_days_after(timezone.localdate(), settings.PRIVACY_REQUEST_WORKING_DAYS),
    )
    request.full_clean()
    request.save()
    privacy_event_record(
        action=PrivacyEvent.Action.SUBJECT_REQUEST, actor=None, details={"request": request.pk}
    )
    return request


@transaction.atomic
def privacy_request_answer(*, user: AnyUser, request: PrivacyRequest) -> PrivacyRequest:
    """A coordinator marks the request answered (the answer itself goes to the contact given)."""
    if not user_is_coordinator(user=user):
        raise PermissionDenied
    if request.answered_at is None:
        request.answered_at = timezone.now()
        request.answered_by = user if isinstance(user, User) else None
        request.save(update_fields=["answered_at", "answered_by"])
        privacy_event_record(
            action=PrivacyEvent.Action.SUBJECT_ANSWERED,
            actor=user,
            details={"request": request.pk, "late": int(timezone.localdate() > request.due_on)},
        )
    return request
