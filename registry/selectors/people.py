"""The leaders list across municipalities: filters by municipality, citizen role and consent state,
search by name, phone or e-mail, and counts by role and consent. Scoped like every team read: a team
member sees their municipalities' leaders, a coordinator all of them; erased people are left out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from registry.models import Consent, Leader
from registry.selectors.leaders import leader_list
from registry.selectors.teams import AnyUser

CONSENT_STATES = {
    "publish_name": _("имя можно публиковать"),
    "publish_contacts": _("контакты можно публиковать"),
    "store_only": _("только хранение контактов"),
    "none": _("нет действующего согласия"),
    "withdrawn": _("есть отозванное согласие"),
}


def _active(scope: str) -> Exists:
    return Exists(Consent.objects.filter(leader=OuterRef("pk"), scope=scope, withdrawn_at__isnull=True))


def _consent_q(state: str) -> Q:
    any_active = Exists(Consent.objects.filter(leader=OuterRef("pk"), withdrawn_at__isnull=True))
    return {
        "publish_name": Q(_active(Consent.Scope.PUBLISH_NAME)),
        "publish_contacts": Q(_active(Consent.Scope.PUBLISH_CONTACTS)),
        "store_only": Q(_active(Consent.Scope.STORE_CONTACTS)) & ~Q(_active(Consent.Scope.PUBLISH_NAME)),
        "none": ~Q(any_active),
        "withdrawn": Q(Exists(Consent.objects.filter(leader=OuterRef("pk"), withdrawn_at__isnull=False))),
    }[state]


@dataclass(frozen=True)
class LeaderFilters:
    municipality_id: int | None = None
    role: str = ""
    consent: str = ""
    query: str = ""
    leader_ids: QuerySet | None = None  # e.g. the ones the programme counts


def leader_directory(*, user: AnyUser, filters: LeaderFilters) -> QuerySet[Leader]:
    leaders = (
        leader_list(user=user)
        .filter(erased_at__isnull=True)
        .select_related("municipality__region")
        .annotate(
            name_public=_active(Consent.Scope.PUBLISH_NAME),
            contacts_public=_active(Consent.Scope.PUBLISH_CONTACTS),
            contacts_stored=_active(Consent.Scope.STORE_CONTACTS),
            community_count=Count("leaderships", distinct=True),
        )
        .order_by("full_name", "pk")
    )
    if filters.municipality_id is not None:
        leaders = leaders.filter(municipality_id=filters.municipality_id)
    if filters.role in Leader.CitizenRole.values:
        leaders = leaders.filter(roles__contains=[filters.role])
    if filters.consent in CONSENT_STATES:
        leaders = leaders.filter(_consent_q(filters.consent))
    if filters.leader_ids is not None:
        leaders = leaders.filter(pk__in=filters.leader_ids)
    query = filters.query.strip()
    if query:
        words = Q(full_name__icontains=query) | Q(display_name__icontains=query) | Q(email__icontains=query)
        digits = re.sub(r"\D", "", query)
        if len(digits) >= 4:
            words |= Q(phone__contains=digits[1:] if digits[0] in "78" and len(digits) == 11 else digits)
        leaders = leaders.filter(words)
    return leaders


@dataclass(frozen=True)
class LeaderCounts:
    total: int
    by_role: list[tuple[str, str, int]]  # code, label, count
    by_consent: list[tuple[str, str, int]]


def leader_directory_counts(*, leaders: QuerySet[Leader]) -> LeaderCounts:
    """Counts of the listed leaders (after the filters) by citizen role and by consent state, in one query."""
    base = leaders.order_by().values("pk")
    aggregates = {
        f"role_{code}": Count("pk", filter=Q(roles__contains=[code])) for code in Leader.CitizenRole.values
    }
    aggregates.update({f"consent_{state}": Count("pk", filter=_consent_q(state)) for state in CONSENT_STATES})
    row = Leader.objects.filter(pk__in=base).aggregate(total=Count("pk"), **aggregates)
    return LeaderCounts(
        total=row["total"],
        by_role=[(code, str(label), row[f"role_{code}"]) for code, label in Leader.CitizenRole.choices],
        by_consent=[(state, str(label), row[f"consent_{state}"]) for state, label in CONSENT_STATES.items()],
    )
