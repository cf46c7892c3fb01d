"""Leader reads (152-FZ): the public sees a name only with an active consent to publish it, and
contacts only with an active consent to publish them; teams see the leaders of their municipalities."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

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


def _active_consent(scope: str, leader: str = "leader_id") -> Exists:
    return Exists(Consent.objects.filter(leader=OuterRef(leader), scope=scope, withdrawn_at__isnull=True))


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


@dataclass(frozen=True)
class ConsentedLeader:
    """A leader as the API shows them to the team: the name only with a consent to publish it, the
    contacts only with a consent to publish them (an erased leader is not listed at all)."""

    id: int
    municipality: str | None  # OKTMO
    name: str | None
    phone: str | None
    email: str | None
    roles: tuple[str, ...]  # citizen role codes
    communities: tuple[tuple[int, str], ...]  # (community id, role code)
    consents: tuple[str, ...]  # active consent scopes


def leader_consented_list(*, user: AnyUser, oktmo: str | None = None) -> QuerySet[Leader]:
    """Leaders of the user's municipalities (none for the public), not erased, with what they agreed to."""
    leaders = (
        leader_list(user=user)
        .filter(erased_at__isnull=True)
        .annotate(
            name_public=_active_consent(Consent.Scope.PUBLISH_NAME, "pk"),
            contacts_public=_active_consent(Consent.Scope.PUBLISH_CONTACTS, "pk"),
        )
        .prefetch_related(
            Prefetch("leaderships", Leadership.objects.order_by("community_id")),
            Prefetch("consents", Consent.objects.filter(withdrawn_at__isnull=True).order_by("scope")),
        )
        .order_by("pk")
    )
    return leaders.filter(municipality__oktmo=oktmo) if oktmo else leaders


def leader_consented(leader: Leader) -> ConsentedLeader:
    """One leader of leader_consented_list, reduced to what their consents allow."""
    contacts = bool(getattr(leader, "contacts_public", False))
    return ConsentedLeader(
        id=leader.pk,
        municipality=leader.municipality.oktmo,
        name=(leader.display_name or leader.full_name) if getattr(leader, "name_public", False) else None,
        phone=(leader.phone or None) if contacts else None,
        email=(leader.email or None) if contacts else None,
        roles=tuple(leader.roles),
        communities=tuple((item.community_id, item.role) for item in leader.leaderships.all()),
        consents=tuple(sorted({consent.scope for consent in leader.consents.all()})),
    )
