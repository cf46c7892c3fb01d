"""A resident who proposed a community and left an e-mail with consent is told the team's decision.

Called explicitly by the lifecycle services (community_verify, community_reject) when a public
proposal is first decided; the letter goes after the decision is committed, so a rolled-back
decision never reaches the proposer."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from registry.models import Community

LANGUAGE = "ru"  # the proposer wrote in the Russian form; the letter does not follow the team's language


def proposal_outcome_notify(*, community: Community, was_proposed: bool) -> bool:
    """Queue the outcome letter; False (nothing sent) unless this decides a public proposal whose
    proposer consented to be contacted by e-mail. A later re-confirmation sends nothing."""
    email = community.proposer_email.strip()
    if not (was_proposed and email and community.source == Community.Source.PUBLIC_PROPOSAL):
        return False
    if community.status not in (Community.Status.VERIFIED, Community.Status.REJECTED):
        return False
    with translation.override(LANGUAGE):
        verified = community.status == Community.Status.VERIFIED
        subject = (
            _("Ваше предложение «{}» проверено и опубликовано")
            if verified
            else _("Ваше предложение «{}» не принято")
        ).format(community.name)
        body = render_to_string(
            "registry/email/proposal_outcome.txt", {"community": community, "verified": verified}
        )
    transaction.on_commit(
        lambda: send_mail(subject=subject, message=body, from_email=None, recipient_list=[email])
    )
    return True
