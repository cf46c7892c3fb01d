"""A resident who proposed a community is a data subject too (152-FZ): the contact they left with
the proposal (Community.proposer_email, and the «contact» field the form fills: an e-mail or a
phone) is personal data. They are found by that contact, as they are no leader, typed however it
was written (it is normalised as the form normalised it); what is held is exported on request and
erased on request, from the community row and every historical row of it, each duty leaving a line
in the audit trail (PrivacyEvent, ids and counts only).

Scope: a team member finds, exports and erases the proposals of their own municipalities only (a
coordinator: every municipality), as with leaders."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from geo.errors import DomainError
from registry.models import Community, PrivacyEvent
from registry.selectors.teams import AnyUser, team_municipalities
from registry.services.privacy import privacy_event_record
from registry.validators import contact_clean

ERASED_MARK = "[удалено]"  # what stands where the contact was written inside a longer text
# The fields that hold nothing but the proposer's contact: emptied when it is theirs.
CONTACT_FIELDS = ("proposer_email", "contact")


def _text_fields(model: type[models.Model]) -> list[str]:
    """Every text column of the model (CharField covers EmailField and SlugField)."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def _mentions(contact: str, fields: Iterable[str]) -> Q:
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": contact})
    return query


def contact_normal(contact: str) -> str:
    """The contact as the proposal form stored it (an e-mail, or a phone as +7…); "" if it is
    neither, which finds nothing."""
    try:
        return contact_clean(contact)
    except DomainError:
        return ""


def proposals_of(*, user: AnyUser, contact: str) -> QuerySet[Community]:
    """The public proposals of the user's municipalities where this contact (an e-mail or a phone)
    is written: now, or in any historical row (a team may have edited the contact since)."""
    contact = contact_normal(contact)
    if not contact:
        return Community.objects.none()
    # Proposals only (the public form is the one place a proposer's contact comes from): the
    # equality on source is tried before the text matches, so a large registry is not searched whole.
    proposal = Community.Source.PUBLIC_PROPOSAL
    history = Community.history.model
    in_history = (
        history.objects.filter(source=proposal).filter(_mentions(contact, _text_fields(history))).values("id")
    )
    return (
        Community.objects.filter(municipality__in=team_municipalities(user=user), source=proposal)
        .filter(_mentions(contact, _text_fields(Community)) | Q(pk__in=in_history))
        .select_related("municipality")
        .order_by("pk")
    )


def proposals_of_any(*, user: AnyUser, contacts: Iterable[str]) -> QuerySet[Community]:
    """The proposals where any of these contacts is written (a leader's e-mail and phone)."""
    ids: set[int] = set()
    for contact in contacts:
        ids.update(proposals_of(user=user, contact=contact).values_list("pk", flat=True))
    return Community.objects.filter(pk__in=ids).select_related("municipality").order_by("pk")


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def proposals_document(*, communities: Iterable[Community]) -> list[dict[str, Any]]:
    """What is held about the proposer in each community: the contact, the consent note, and each
    change of them in the history. No audit line: the caller's export records one."""
    return [
        {
            "id": community.pk,
            "name": community.name,
            "municipality": {"oktmo": community.municipality.oktmo, "name": community.municipality.name},
            "source": community.source,
            "status": community.status,
            "proposed_at": _when(community.created_at),
            "proposer_email": community.proposer_email,
            "contact": community.contact,
            "consent_note": community.internal_notes,
            "history": [
                {
                    "date": _when(record.history_date),
                    "type": record.history_type,
                    "proposer_email": record.proposer_email,
                    "contact": record.contact,
                }
                for record in community.history.order_by("history_date", "history_id")
            ],
        }
        for community in communities
    ]


def proposer_subject_access(*, user: AnyUser, contact: str) -> dict[str, Any]:
    """Everything held about the person who left this contact with proposals, as one JSON-ready
    document; recorded in the audit trail as a subject access (counts only)."""
    proposals = proposals_document(communities=proposals_of(user=user, contact=contact))
    privacy_event_record(
        action=PrivacyEvent.Action.SUBJECT_ACCESS, actor=user, details={"proposals": len(proposals)}
    )
    return {
        "generated_at": timezone.now().isoformat(),
        "contact": contact_normal(contact) or contact.strip(),
        "proposals": proposals,
    }


def _scrubbed(value: str, *, field: str, contact: str) -> str:
    if field in CONTACT_FIELDS and value.strip().lower() == contact.lower():
        return ""
    return re.sub(re.escape(contact), ERASED_MARK, value, flags=re.IGNORECASE)


def _scrub_rows(queryset: QuerySet[Any], *, fields: list[str], contact: str) -> int:
    """Rewrite each row's text columns without the contact; by update, so the erasure itself
    leaves no new historical row behind. Returns the rows changed."""
    changed = 0
    for row in queryset.filter(_mentions(contact, fields)).values("pk", *fields):
        values = {field: _scrubbed(row[field] or "", field=field, contact=contact) for field in fields}
        values = {field: value for field, value in values.items() if value != (row[field] or "")}
        if values:
            queryset.model.objects.filter(pk=row["pk"]).update(**values)
            changed += 1
    return changed


def proposer_scrub(*, user: AnyUser, contact: str) -> dict[str, int]:
    """Take the contact out of the user's communities and their history; counts of what changed.
    Unaudited: proposer_erase (or a leader's erasure) records the event."""
    ids = list(proposals_of(user=user, contact=contact).values_list("pk", flat=True))
    if not ids:
        return {"proposals": 0, "history_rows": 0}
    contact = contact_normal(contact)
    history = Community.history.model
    rows = _scrub_rows(Community.objects.filter(pk__in=ids), fields=_text_fields(Community), contact=contact)
    past = _scrub_rows(history.objects.filter(id__in=ids), fields=_text_fields(history), contact=contact)
    return {"proposals": len(ids), "community_rows": rows, "history_rows": past}


@transaction.atomic
def proposer_erase(*, user: AnyUser, contact: str) -> PrivacyEvent:
    """Erasure on request of a proposer who is no leader: the contact goes from every community row
    and historical row of the user's municipalities; the audit trail keeps the counts."""
    counts = proposer_scrub(user=user, contact=contact)
    return privacy_event_record(action=PrivacyEvent.Action.ERASURE, actor=user, details=counts)
