"""A proposer who left an e-mail with consent hears the team's decision; nobody else gets a letter."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from registry.models import Community
from registry.services.community_creation import community_propose
from registry.services.community_status import community_reject, community_verify
from tests.cockpit.conftest import EVIDENCE, logged_in
from tests.registry.factories import IGLINO, sphere, team_member

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]


def _proposal(**fields: Any) -> Community:
    return community_propose(
        name="Клуб «Бодрость»", sphere=sphere("sport"), location=IGLINO, description="Гуляем", **fields
    )


def test_a_verified_proposal_tells_the_proposer_in_russian(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    proposal = _proposal(contact="bodrost@example.org", proposer_email="bodrost@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        community_verify(user=team_member("80628000"), community=proposal, evidence=EVIDENCE)
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["bodrost@example.org"]
    assert letter.subject == "Ваше предложение «Клуб «Бодрость»» проверено и опубликовано"
    assert "проверила сообщество «Клуб «Бодрость»» и опубликовала его" in letter.body
    assert "Иглинский" in letter.body
    assert "&quot;" not in letter.body  # plain text, not HTML-escaped
    assert "&#x27;" not in letter.body


def test_a_rejected_proposal_tells_the_reason(django_capture_on_commit_callbacks: Capture) -> None:
    proposal = _proposal(proposer_email="bodrost@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        community_reject(user=team_member("80628000"), community=proposal, reason="Такого клуба в селе нет")
    (letter,) = mail.outbox
    assert letter.subject == "Ваше предложение «Клуб «Бодрость»» не принято"
    assert "не стала публиковать" in letter.body
    assert "Причина: Такого клуба в селе нет" in letter.body


def test_no_letter_without_consent_or_without_an_email(django_capture_on_commit_callbacks: Capture) -> None:
    team = team_member("80628000")
    # a contact typed by the team (no consent of a proposer recorded), a phone, nothing at all
    with_contact_only = _proposal(contact="club@example.org")
    with_phone = _proposal(contact="+7 917 123-45-67")
    silent = _proposal()
    with django_capture_on_commit_callbacks(execute=True):
        community_verify(user=team, community=with_contact_only, evidence=EVIDENCE)
        community_verify(user=team, community=with_phone, evidence=EVIDENCE)
        community_reject(user=team, community=silent, reason="Дубль")
    assert mail.outbox == []


def test_a_reconfirmation_sends_nothing_again(django_capture_on_commit_callbacks: Capture) -> None:
    team = team_member("80628000")
    proposal = _proposal(proposer_email="bodrost@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        community_verify(user=team, community=proposal, evidence=EVIDENCE)
        community_verify(user=team, community=proposal, evidence=EVIDENCE)
    assert len(mail.outbox) == 1


def test_the_form_keeps_the_email_only_with_consent(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    data = {
        "name": "Клуб «Бодрость»",
        "sphere": str(sphere("sport").pk),
        "description": "Гуляем по набережной",
        "place": "с. Иглино",
        "contact": "bodrost@example.org",
    }
    client.post(reverse("propose"), data)  # no consent: the form refuses to keep the contact
    assert not Community.objects.exists()
    client.post(reverse("propose"), {**data, "contact_consent": "on"})
    proposal = Community.objects.get()
    assert proposal.proposer_email == "bodrost@example.org"
    team_page = logged_in(team_member("80628000")).get(reverse("team-community", args=[proposal.pk]))
    assert "получит письмо с решением команды" in team_page.content.decode()  # the team knows
    with django_capture_on_commit_callbacks(execute=True):
        community_reject(
            user=User.objects.get(team_memberships__isnull=False),
            community=proposal,
            reason="Дубль «Бодрости»",
        )
    assert mail.outbox[0].to == ["bodrost@example.org"]
    assert "Причина: Дубль «Бодрости»" in mail.outbox[0].body
