"""A resident's proposal keeps what they wrote about consent and how to reach them, for the team only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from registry.models import Community
from tests.cockpit.conftest import logged_in
from tests.registry.factories import sphere, team_member

pytestmark = pytest.mark.django_db


def test_proposal_keeps_the_consent_note_and_contact_for_the_team_only(client: Client) -> None:
    client.post(
        reverse("propose"),
        {
            "name": "Клуб скандинавской ходьбы «Бодрость»",
            "sphere": str(sphere("sport").pk),
            "description": "Гуляем по набережной по субботам",
            "place": "с. Иглино",
            "contact": "bodrost@example.org",
            "contact_consent": "on",
        },
    )
    community = Community.objects.get()
    assert "согласие на обработку получено онлайн" in community.internal_notes
    team: User = team_member("80628000")
    team_page = logged_in(team).get(reverse("team-community", args=[community.pk])).content.decode()
    assert "bodrost@example.org" in team_page
    assert "согласие на обработку получено онлайн" in team_page
    pending = logged_in(team).get(reverse("team")).content.decode()
    assert "предложение жителя" in pending  # the source column
