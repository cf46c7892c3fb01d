"""A fair through its life on the team's fair page: planned with expected participants, prepared
(poster and sign-up link linked), marked held with the real number of participants, counted by
/programme/."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairs.models import Fair
from fairs.services.fairs import fair_create
from tests.registry.factories import municipality


@pytest.fixture
def member_client(client: Client, iglino_team_member: User) -> Client:
    client.force_login(iglino_team_member)
    return client


@pytest.mark.django_db
def test_planning_records_place_and_expected_participants(member_client: Client) -> None:
    member_client.post(
        reverse("fair-list"),
        {
            "municipality": municipality("80628000").pk,
            "date": "2026-06-15",
            "venue_name": "РДК с. Иглино",
            "expected_participants": "150",
        },
    )

    fair = Fair.objects.get()
    assert (fair.venue_name, fair.expected_participants, fair.status) == ("РДК с. Иглино", 150, "planned")


@pytest.mark.django_db
def test_the_fair_page_links_the_poster_and_the_sign_up_form(
    member_client: Client, iglino_fair: Fair
) -> None:
    html = member_client.get(reverse("fair-detail", args=[iglino_fair.pk])).content.decode()

    assert reverse("fair-poster", args=[iglino_fair.pk]) in html
    assert f"http://testserver{reverse('fair-signup', args=[iglino_fair.pk])}" in html
    assert 'aria-current="step">Подготовка' in html


@pytest.mark.django_db
def test_marking_held_records_participants_and_programme_counts_it(
    member_client: Client, iglino_team_member: User
) -> None:
    call_command("seed_programme", stdout=StringIO())
    fair = fair_create(
        user=iglino_team_member, municipality=municipality("80628000"), date=timezone.localdate()
    )
    before = Client().get(reverse("programme-progress")).content.decode()

    member_client.post(reverse("fair-held", args=[fair.pk]), {"participants": "112"})

    fair.refresh_from_db()
    assert (fair.status, fair.visitor_count) == ("held", 112)
    after = Client().get(reverse("programme-progress")).content.decode()
    assert _row(before, "Ярмарок сообществ проведено") == "0"
    assert _row(after, "Ярмарок сообществ проведено") == "1"
    assert _row(after, "Участников ярмарок") == "112"


@pytest.mark.django_db
def test_a_fair_in_the_future_cannot_be_marked_held(member_client: Client, iglino_team_member: User) -> None:
    fair = fair_create(
        user=iglino_team_member,
        municipality=municipality("80628000"),
        date=timezone.localdate() + dt.timedelta(days=3),
    )

    response = member_client.post(reverse("fair-held", args=[fair.pk]), {"participants": "40"}, follow=True)

    assert "отметить её проведённой можно с этого дня" in response.content.decode()
    fair.refresh_from_db()
    assert fair.status == "planned"


@pytest.mark.django_db
def test_another_team_cannot_mark_a_fair_held(
    client: Client, ufa_team_member: User, iglino_fair: Fair
) -> None:
    client.force_login(ufa_team_member)

    assert client.post(reverse("fair-held", args=[iglino_fair.pk]), {"participants": "5"}).status_code == 404
    iglino_fair.refresh_from_db()
    assert iglino_fair.status == "planned"


def _row(html: str, label: str) -> str:
    match = re.search(rf'<th scope="row">{label}</th><td>(\d+)</td>', html)
    assert match is not None, label
    return match.group(1)
