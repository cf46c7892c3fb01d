"""Fair writes: a person's decision on a sign-up the import could not decide — merge into an existing
community, create a new one, or reject — recorded with who and when. "Not the same" decisions are
remembered, so a re-import of the same row does not ask again."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairs.models import Signup, SignupDismissal
from fairs.services.imports import PipelineRow, SignupPipeline
from geo.errors import DomainError, ErrorItem
from geo.place_lookup import place_locate
from registry.models import Community, Sphere
from registry.selectors.communities import community_editable_list
from registry.selectors.teams import team_has_member

OPEN_STATUSES = frozenset({Signup.Status.NEEDS_REVIEW})


def _check(*, user: User, signup: Signup, statuses: frozenset[str] = OPEN_STATUSES) -> None:
    if not team_has_member(municipality=signup.fair.municipality, user=user):
        raise PermissionDenied
    if signup.status not in statuses:
        raise DomainError(
            ErrorItem(
                "status",
                _("Заявка уже решена: «{}»").format(signup.get_status_display()),
                "signup_already_resolved",
            )
        )


def _resolved(signup: Signup, user: User, status: str) -> None:
    signup.status = status
    signup.resolved_by = user
    signup.resolved_at = timezone.now()


def _row(signup: Signup) -> PipelineRow:
    return PipelineRow(signup.row_number or 0, {}, signup.raw, signup, warnings=signup.warnings)


@transaction.atomic
def signup_merge(*, user: User, signup: Signup, community: Community) -> Signup:
    """«This is that community»: link the sign-up (and its leader) to an existing one."""
    _check(user=user, signup=signup)
    if (
        not community_editable_list(user=user)
        .filter(pk=community.pk)
        .exclude(status=Community.Status.REJECTED)
        .exists()
    ):
        raise DomainError(
            ErrorItem(
                "community",
                _("Сообщество не найдено среди сообществ вашего муниципалитета"),
                "community_unknown",
            )
        )
    signup.community = community
    _resolved(signup, user, Signup.Status.MATCHED)
    signup.save()
    SignupPipeline(user=user, fair=signup.fair).attach_leader(_row(signup))
    signup.save(update_fields=["leader", "warnings"])
    return signup


@transaction.atomic
def signup_create_new(
    *, user: User, signup: Signup, sphere: Sphere | None = None, settlement_oktmo: str | None = None
) -> Signup:
    """«A new community»: create it as proposed, and remember that it is none of the candidates."""
    _check(user=user, signup=signup)
    if sphere is not None:
        signup.sphere = sphere
    # No sphere is no obstacle: the community is proposed without one, chosen when it is verified.
    if settlement_oktmo:
        settlement = next(
            (
                candidate
                for candidate in place_locate(signup.place_text, municipality=signup.municipality).candidates
                if candidate.oktmo == settlement_oktmo
            ),
            None,
        )
        if settlement is None:
            raise DomainError(
                ErrorItem("settlement", _("Выберите населённый пункт из предложенных"), "settlement_unknown")
            )
        located = place_locate(
            f"{settlement.type} {settlement.name}",
            municipality=settlement.rural_municipality or settlement.municipality,
        )
        signup.settlement = settlement
        signup.location = located.point if located.settlement == settlement else signup.location
        signup.location_precision = str(located.precision or signup.location_precision)
    importer = SignupPipeline(user=user, fair=signup.fair)
    row = _row(signup)
    importer.create_community(row)
    if signup.community is None:
        raise DomainError(
            ErrorItem("location", _("У заявки нет места: уточните населённый пункт"), "location_required")
        )
    for candidate in signup.candidates:
        if signup.municipality is not None:
            SignupDismissal.objects.get_or_create(
                name_core=signup.name_core,
                municipality=signup.municipality,
                settlement=signup.settlement,
                community_id=candidate["community"],
                defaults={"decided_by": user},
            )
    _resolved(signup, user, Signup.Status.NEW)
    signup.save()
    importer.attach_leader(row)
    signup.save(update_fields=["leader", "warnings"])
    return signup


@transaction.atomic
def signup_reject(*, user: User, signup: Signup, reason: str) -> Signup:
    # an invalid row may be rejected too («not a community at all»), not only one in review
    _check(user=user, signup=signup, statuses=OPEN_STATUSES | {Signup.Status.INVALID})
    if not reason.strip():
        raise DomainError(ErrorItem("reason", _("Укажите причину отклонения"), "required"))
    signup.rejection_reason = reason.strip()[:2000]
    _resolved(signup, user, Signup.Status.REJECTED)
    signup.save()
    return signup
