"""A community's status: proposed → verified → archived → verified (re-verification), or
proposed → rejected. Every other transition is refused with a clear error; a verification needs
evidence and records who confirmed the community and until when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from registry.models import DESCRIPTION_MAX_LENGTH, Community, Evidence, Sphere, Verification
from registry.selectors.teams import AnyUser
from registry.services.community_checks import community_save, team_member_require
from registry.services.proposals import proposal_outcome_notify
from registry.validators import evidence_file_clean, links_clean

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Community.Status.PROPOSED: frozenset({Community.Status.VERIFIED, Community.Status.REJECTED}),
    Community.Status.VERIFIED: frozenset({Community.Status.VERIFIED, Community.Status.ARCHIVED}),
    Community.Status.ARCHIVED: frozenset({Community.Status.VERIFIED}),
    Community.Status.REJECTED: frozenset(),
}


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    text: str
    link: str = ""
    file: UploadedFile | None = None
    # A file already stored for another community's evidence (one sheet for a whole fair's batch).
    stored_file: str = ""


def _transition(community: Community, to: str) -> None:
    if to not in ALLOWED_TRANSITIONS[community.status]:
        raise DomainError(
            ErrorItem(
                "status",
                _("Нельзя перевести сообщество из статуса «{}» в «{}»").format(
                    community.get_status_display(), Community.Status(to).label
                ),
                "transition_forbidden",
            )
        )
    community.status = to


@transaction.atomic
def community_verify(
    *,
    user: User,
    community: Community,
    evidence: Sequence[EvidenceInput],
    comment: str = "",
    valid_days: int | None = None,
    sphere: Sphere | None = None,
) -> Verification:
    """Publish (or re-confirm) a community on evidence; records who confirmed it and when.

    A community proposed without a sphere (a sheet's unknown word) gets one here: none is published
    without it."""
    team_member_require(user=user, municipality=community.municipality)
    if sphere is not None:
        community.sphere = sphere
    if community.sphere is None:
        raise DomainError(
            ErrorItem(
                "sphere", _("Выберите сферу сообщества: без неё его нельзя опубликовать"), "sphere_required"
            )
        )
    items = [item for item in evidence if item.text.strip()]
    if not items:
        raise DomainError(
            ErrorItem(
                "evidence",
                _("Нужно хотя бы одно свидетельство: встречи, участники, результаты или документы"),
                "evidence_required",
            )
        )
    errors = [
        ErrorItem(
            f"evidence[{index}].kind",
            _("Неизвестный вид свидетельства «{}»").format(item.kind),
            "evidence_kind_invalid",
        )
        for index, item in enumerate(items)
        if item.kind not in Evidence.Kind.values
    ]
    for index, item in enumerate(items):
        if item.file is not None:
            try:
                evidence_file_clean(item.file, field=f"evidence[{index}].file")
            except DomainError as error:
                errors.extend(error.items)
        if item.link:
            try:
                links_clean([item.link], field=f"evidence[{index}].link")
            except DomainError as error:
                errors.extend(error.items)
    if errors:
        raise DomainError(*errors)
    was_proposed = community.status == Community.Status.PROPOSED
    _transition(community, Community.Status.VERIFIED)
    now = timezone.now()
    days = valid_days or settings.REGISTRY_VERIFICATION_VALID_DAYS
    verification = Verification.objects.create(
        community=community,
        verified_by=user,
        verified_at=now,
        valid_until=timezone.localdate(now) + timedelta(days=days),
        comment=comment.strip(),
    )
    for item in items:
        Evidence.objects.create(
            verification=verification,
            kind=item.kind,
            text=item.text.strip(),
            link=item.link.strip(),
            file=item.file or item.stored_file or "",
        )
    community.verified_until = verification.valid_until
    community.rejection_reason = ""
    community.archive_reason = ""
    community_save(community)
    proposal_outcome_notify(community=community, was_proposed=was_proposed)
    return verification


@transaction.atomic
def community_reject(*, user: AnyUser, community: Community, reason: str) -> Community:
    team_member_require(user=user, municipality=community.municipality)
    if not reason.strip():
        raise DomainError(ErrorItem("reason", _("Укажите причину отклонения"), "required"))
    was_proposed = community.status == Community.Status.PROPOSED
    _transition(community, Community.Status.REJECTED)
    community.rejection_reason = reason.strip()[:DESCRIPTION_MAX_LENGTH]
    community._change_reason = community.rejection_reason[:100]  # type: ignore[attr-defined] # simple-history
    community_save(community)
    proposal_outcome_notify(community=community, was_proposed=was_proposed)
    return community


@transaction.atomic
def community_archive(*, user: AnyUser, community: Community, reason: str) -> Community:
    """Take a community off the map (it stopped acting), saying why; a new verification brings it back."""
    team_member_require(user=user, municipality=community.municipality)
    if not reason.strip():
        raise DomainError(ErrorItem("reason", _("Укажите причину переноса в архив"), "required"))
    _transition(community, Community.Status.ARCHIVED)
    community.archive_reason = reason.strip()[:DESCRIPTION_MAX_LENGTH]
    # "verified until" describes a published community; an archived one has no running verification
    community.verified_until = None
    community._change_reason = community.archive_reason[:100]  # type: ignore[attr-defined] # simple-history
    return community_save(community)
