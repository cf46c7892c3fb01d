"""The personal-data audit trail: every duty performed under 152-FZ leaves a PrivacyEvent."""

from __future__ import annotations

from django.contrib.auth.models import User

from registry.exports import Table, consent_log_table
from registry.models import PrivacyEvent
from registry.selectors.leaders import consent_log
from registry.selectors.teams import AnyUser


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
