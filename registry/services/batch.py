"""Registry writes on many communities at once, from the team's district list: each is the single
path's service (same checks, same history, same signals) called for every community inside one
transaction, so either all of them change or none does, and each community's history shows it."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from registry.models import Community
from registry.services.community_status import (
    EvidenceInput,
    community_archive,
    community_reject,
    community_verify,
)


def _each(communities: Sequence[Community]) -> None:
    if not communities:
        raise DomainError(ErrorItem("communities", _("Отметьте хотя бы одно сообщество"), "required"))


def _named(community: Community, error: DomainError) -> DomainError:
    """The error of one community, with its name, so the person knows which one blocked the batch."""
    return DomainError(
        *(ErrorItem(item.field, f"«{community.name}»: {item.message}", item.code) for item in error.items)
    )


@transaction.atomic
def communities_verify(
    *, user: User, communities: Sequence[Community], evidence: EvidenceInput, comment: str = ""
) -> int:
    """One piece of evidence («all presented at the fair on 15 June») recorded in each community's
    own Verification: the person ticked each one, so each verification still proves that one."""
    _each(communities)
    stored = ""
    for community in communities:
        item = EvidenceInput(
            kind=evidence.kind,
            text=evidence.text,
            link=evidence.link,
            file=evidence.file if not stored else None,
            stored_file=stored,
        )
        try:
            verification = community_verify(user=user, community=community, evidence=[item], comment=comment)
        except DomainError as error:
            raise _named(community, error) from error
        if evidence.file is not None and not stored:
            stored = verification.evidence.get().file.name  # the other communities share the file
    return len(communities)


@transaction.atomic
def communities_archive(*, user: User, communities: Sequence[Community], reason: str) -> int:
    _each(communities)
    for community in communities:
        try:
            community_archive(user=user, community=community, reason=reason)
        except DomainError as error:
            raise _named(community, error) from error
    return len(communities)


@transaction.atomic
def communities_reject(*, user: User, communities: Sequence[Community], reason: str) -> int:
    _each(communities)
    for community in communities:
        try:
            community_reject(user=user, community=community, reason=reason)
        except DomainError as error:
            raise _named(community, error) from error
    return len(communities)
