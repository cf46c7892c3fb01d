"""Erasure on request (152-FZ): orchestrated here because it spans fair sign-ups and the registry."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from fairs.models import Signup
from fairs.services.personal_data import SHRED_FIELDS, signups_naming
from registry.models import Leader, PrivacyEvent
from registry.selectors.teams import AnyUser, team_has_member
from registry.services.leaders import leader_purge
from registry.services.privacy import privacy_event_record
from registry.services.proposers import proposals_of_any, proposer_scrub


@transaction.atomic
def leader_erase(*, user: AnyUser, leader: Leader) -> Leader:
    """The person's data goes from everywhere this project keeps it: the registry (with its
    history and the admin log), every raw sign-up row that names them or their contacts, and the
    contact they left with a community they proposed."""
    if not team_has_member(municipality=leader.municipality, user=user):
        raise PermissionDenied
    rows = Signup.objects.filter(pk__in=signups_naming(leader=leader)).update(**SHRED_FIELDS)
    # a leader who also proposed a community with the same e-mail or phone: that contact goes as well
    # (a proposal holding both is counted once)
    contacts = (leader.email, leader.phone)
    proposals = proposals_of_any(user=user, contacts=contacts).count()
    for contact in contacts:
        proposer_scrub(user=user, contact=contact)
    purged = leader_purge(leader=leader)
    privacy_event_record(
        action=PrivacyEvent.Action.ERASURE,
        actor=user,
        leader_id=leader.pk,
        details={"fair_signups": rows, "proposals": proposals},
    )
    return purged
