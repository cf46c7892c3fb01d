"""Leader reads (152-FZ): the public sees a name only with an active consent to publish it, and
contacts only with an active consent to publish them; teams see the leaders of their municipalities."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from registry.models import Community, Consent, Leader, Leadership
from registry.selectors.teams import AnyUser, team_municipalities

# Founders first, then coordinators, then members: who the public should contact first.
_ROLE_ORDER: dict[str, int] = {
    Leadership.Role.FOUNDER: 0,
    Leadership.Role.COORDINATOR: 1,
    Leadership.Role.MEMBER: 2,
}


@dataclass(frozen=True)
class PublicLeader:
    """What a public page may show about a person: nothing the person did not agree to."""

    name: str
    roles: tuple[str, ...]  # citizen roles, as displayed
    role: str  # role in the community, as displayed
    phone: str | None
    email: str | None


def _active_consent(scope: str) -> Exists:
    return Exists(
        Consent.objects.filter(leader=OuterRef("leader_id"), scope=scope, withdrawn_at__isnull=True)
    )


def leader_public_list(*, community: Community) -> list[PublicLeader]:
    """The community's leaders who consent to publication; read on every request, so a withdrawal
    takes effect at once."""
    leaderships = (
        Leadership.objects.filter(community=community, leader__erased_at__isnull=True)
        .filter(_active_consent(Consent.Scope.PUBLISH_NAME))
        .annotate(has_contact_consent=_active_consent(Consent.Scope.PUBLISH_CONTACTS))
        .select_related("leader")
    )
    role_labels = dict(Leader.CitizenRole.choices)
    people = []
    for leadership in sorted(
        leaderships,
        key=lambda item: (_ROLE_ORDER.get(item.role, 9), str(item.leader), item.leader_id),
    ):
        leader = leadership.leader
        public_contacts = bool(leadership.has_contact_consent)
        people.append(
            PublicLeader(
                name=leader.display_name or leader.full_name,
                roles=tuple(str(role_labels.get(role, role)) for role in leader.roles),
                role=leadership.get_role_display(),
                phone=(leader.phone or None) if public_contacts else None,
                email=(leader.email or None) if public_contacts else None,
            )
        )
    return people


def leader_list(*, user: AnyUser) -> QuerySet[Leader]:
    """Leaders of the user's team municipalities (every one for coordinators); none for the public."""
    return Leader.objects.filter(municipality__in=team_municipalities(user=user)).select_related(
        "municipality"
    )


def leader_get(*, user: AnyUser, pk: int) -> Leader | None:
    return leader_list(user=user).filter(pk=pk).first()


def consent_log(*, user: AnyUser) -> QuerySet[Consent]:
    """Every consent recorded in the user's team municipalities, withdrawn ones included, oldest first."""
    return (
        Consent.objects.filter(leader__municipality__in=team_municipalities(user=user))
        .select_related("leader__municipality", "collected_by")
        .order_by("collected_at", "pk")
    )
