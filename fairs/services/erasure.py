"""Fair writes, and the orchestration that spans fairs and the registry."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from registry.models import Leader
from registry.selectors.teams import AnyUser, team_has_member
from registry.services.leaders import leader_purge


@transaction.atomic
def leader_erase(*, user: AnyUser, leader: Leader) -> Leader:
    """Erasure on request (152-FZ): the person's data goes from everywhere this project keeps it."""
    if not team_has_member(municipality=leader.municipality, user=user):
        raise PermissionDenied
    return leader_purge(leader=leader)
