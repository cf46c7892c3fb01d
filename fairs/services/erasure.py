"""Erasure on request (152-FZ): orchestrated here because it spans fair sign-ups and the registry."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from fairs.models import Signup
from geo.text import fold
from registry.models import Leader
from registry.selectors.teams import AnyUser, team_has_member
from registry.services.leaders import leader_purge

SHREDDED = "shredded"


@transaction.atomic
def leader_erase(*, user: AnyUser, leader: Leader) -> Leader:
    """The person's data goes from everywhere this project keeps it: the registry (with its
    history and the admin log) and every raw sign-up row that names them or their contacts."""
    if not team_has_member(municipality=leader.municipality, user=user):
        raise PermissionDenied
    traces = Q(leader=leader)
    if leader.phone:
        traces |= Q(phone=leader.phone)
    if leader.email:
        traces |= Q(email=leader.email)
    name = fold(leader.full_name)
    rows = (
        [
            signup
            for signup in Signup.objects.filter(fair__municipality=leader.municipality)
            if signup.leader_id == leader.pk or fold(signup.leader_name) == name
        ]
        if name
        else []
    )
    ids = {signup.pk for signup in rows} | set(Signup.objects.filter(traces).values_list("pk", flat=True))
    Signup.objects.filter(pk__in=ids).update(
        raw={SHREDDED: True}, leader_name="", phone="", email="", comment=""
    )
    return leader_purge(leader=leader)
