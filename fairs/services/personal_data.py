"""Personal-data duties that span fair sign-ups and the registry (152-FZ): everything stored about a
person, on request; and the purge of raw sign-up rows once the team has resolved them. Each one
leaves a line in the audit trail (registry.models.PrivacyEvent)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fairs.models import Signup
from geo.text import fold
from registry.models import Leader, PrivacyEvent
from registry.selectors.teams import AnyUser, team_has_member
from registry.services.privacy import privacy_event_record
from registry.services.proposers import proposals_document, proposals_of_any

SHREDDED = "shredded"
# What a shredded sign-up row keeps: the community side (name, place, counts) and its outcome.
SHRED_FIELDS: dict[str, Any] = {
    "raw": {SHREDDED: True},
    "leader_name": "",
    "phone": "",
    "email": "",
    "comment": "",
}


def signups_naming(*, leader: Leader) -> list[int]:
    """Ids of the raw sign-up rows of the leader's municipality that name them or their contacts."""
    traces = Q(leader=leader)
    if leader.phone:
        traces |= Q(phone=leader.phone)
    if leader.email:
        traces |= Q(email=leader.email)
    ids = set(Signup.objects.filter(traces).values_list("pk", flat=True))
    name = fold(leader.full_name)
    if name:
        named = Signup.objects.filter(fair__municipality=leader.municipality).exclude(leader_name="")
        ids |= {pk for pk, written in named.values_list("pk", "leader_name") if fold(written) == name}
    return sorted(ids)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def leader_subject_access(*, user: AnyUser, leader: Leader) -> dict[str, Any]:
    """Everything this project stores about the person, as one JSON-ready document."""
    if not team_has_member(municipality=leader.municipality, user=user):
        raise PermissionDenied
    document: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "leader": {
            "id": leader.pk,
            "full_name": leader.full_name,
            "display_name": leader.display_name,
            "bio": leader.bio,
            "roles": list(leader.roles),
            "phone": leader.phone,
            "email": leader.email,
            "municipality": {"oktmo": leader.municipality.oktmo, "name": leader.municipality.name},
            "created_at": _when(leader.created_at),
            "erased_at": _when(leader.erased_at),
        },
        "communities": [
            {
                "id": leadership.community_id,
                "name": leadership.community.name,
                "role": leadership.role,
                "since": leadership.since.isoformat() if leadership.since else None,
            }
            for leadership in leader.leaderships.select_related("community").order_by("pk")
        ],
        "consents": [
            {
                "scope": consent.scope,
                "purpose": consent.purpose,
                "method": consent.method,
                "source": consent.source,
                "collected_at": _when(consent.collected_at),
                "withdrawn_at": _when(consent.withdrawn_at),
            }
            for consent in leader.consents.order_by("collected_at", "pk")
        ],
        "history": [
            {
                "date": _when(record.history_date),
                "type": record.history_type,
                "full_name": record.full_name,
                "display_name": record.display_name,
                "phone": record.phone,
                "email": record.email,
            }
            for record in leader.history.order_by("history_date", "history_id")
        ],
        "fair_signups": [
            {
                "fair": {
                    "id": signup.fair_id,
                    "title": signup.fair.title,
                    "date": signup.fair.date.isoformat(),
                },
                "row_number": signup.row_number,
                "leader_name": signup.leader_name,
                "phone": signup.phone,
                "email": signup.email,
                "comment": signup.comment,
                "raw": signup.raw,
                "status": signup.status,
            }
            for signup in Signup.objects.filter(pk__in=signups_naming(leader=leader))
            .select_related("fair")
            .order_by("pk")
        ],
        # communities they proposed from the public form with the same e-mail or phone (as a resident)
        "proposals": proposals_document(
            communities=proposals_of_any(user=user, contacts=(leader.email, leader.phone))
        ),
    }
    privacy_event_record(
        action=PrivacyEvent.Action.SUBJECT_ACCESS,
        actor=user,
        leader_id=leader.pk,
        details={
            "fair_signups": len(document["fair_signups"]),
            "consents": len(document["consents"]),
            "proposals": len(document["proposals"]),
        },
    )
    return document


@transaction.atomic
def signups_purge(*, now: datetime | None = None, actor: AnyUser | None = None) -> int:
    """Shred the personal data of raw sign-up rows resolved more than FAIRS_SIGNUP_RETENTION_DAYS
    ago; the community side of each row and its outcome stay. Returns how many were shredded."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.FAIRS_SIGNUP_RETENTION_DAYS)
    stale = Signup.objects.filter(resolved_at__lt=cutoff).exclude(raw__has_key=SHREDDED)
    count = stale.update(**SHRED_FIELDS)
    if count:
        privacy_event_record(action=PrivacyEvent.Action.SIGNUP_PURGE, actor=actor, details={"rows": count})
    return count
