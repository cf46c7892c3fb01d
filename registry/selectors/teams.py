"""Who may see and edit what: a team member their municipalities, a coordinator all of them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from geo.models import Municipality

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
