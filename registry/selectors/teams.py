"""Who may see and edit what: a team member their municipalities, a coordinator all of them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils import timezone

from geo.models import Municipality
from registry.models import TeamInvitation, TeamMembership

COORDINATOR_GROUP = "Координаторы программы"

AnyUser = User | AnonymousUser


def user_is_coordinator(*, user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=COORDINATOR_GROUP).exists()


def team_municipalities(*, user: AnyUser) -> QuerySet[Municipality]:
    """The municipalities whose non-public records this user may see and edit."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    if user_is_coordinator(user=user):
        return Municipality.objects.filter(level=Municipality.Level.TOP)
    return Municipality.objects.filter(team_memberships__user=user).distinct()


def team_has_member(*, municipality: Municipality, user: AnyUser) -> bool:
    return team_municipalities(user=user).filter(pk=municipality.pk).exists()


def team_membership_list(*, user: AnyUser) -> QuerySet[TeamMembership]:
    """The members of the teams this user is on (every team for a coordinator)."""
    return (
        TeamMembership.objects.filter(municipality__in=team_municipalities(user=user))
        .select_related("user", "municipality", "municipality__region")
        .order_by("municipality__name", "-is_lead", "user__last_name", "user__username")
    )


def team_invitation_open_list(*, user: AnyUser) -> QuerySet[TeamInvitation]:
    """Open invitations to this user's teams (and, for a coordinator, to the coordinators)."""
    invitations = TeamInvitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("municipality", "created_by")
    if user_is_coordinator(user=user):
        return invitations
    return invitations.filter(municipality__in=team_municipalities(user=user))
