from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from fairs.models import Fair
from fairs.selectors.fairs import fair_counts
from registry.models import Programme
from registry.selectors.programme import programme_progress
from tests.registry.factories import municipality


@pytest.mark.django_db
def test_held_fairs_and_their_visitors_feed_programme_progress(programme_coordinator: User) -> None:
    call_command("seed_programme", stdout=StringIO())
    programme = Programme.objects.get()
    iglino = municipality("80628000")
    Fair.objects.create(
        municipality=iglino,
        title="Ярмарка",
        date=dt.date(2026, 5, 15),
        status=Fair.Status.HELD,
        visitor_count=120,
    )
    Fair.objects.create(
        municipality=iglino,
        title="Вторая",
        date=dt.date(2026, 9, 1),
        status=Fair.Status.HELD,
        visitor_count=80,
    )
    Fair.objects.create(
        municipality=iglino, title="Будущая", date=dt.date(2026, 12, 1), status=Fair.Status.PLANNED
    )
    Fair.objects.create(
        municipality=iglino,
        title="До программы",
        date=dt.date(2025, 5, 1),
        status=Fair.Status.HELD,
        visitor_count=999,
    )

    progress = programme_progress(programme=programme, fair_counts=fair_counts(programme=programme))

    row = next(item for item in progress.rows if item.municipality == iglino)
    assert (row.fairs.value, row.fair_participants.value) == (2, 200)
    assert (progress.fairs.value, progress.fair_participants.value) == (2, 200)


@pytest.mark.django_db
def test_programme_page_shows_fair_totals(programme_coordinator: User) -> None:
    call_command("seed_programme", stdout=StringIO())
    Fair.objects.create(
        municipality=municipality("80628000"),
        title="Ярмарка",
        date=dt.date(2026, 5, 15),
        status=Fair.Status.HELD,
        visitor_count=321,
    )
    client = Client()
    client.force_login(programme_coordinator)

    html = client.get("/programme/").content.decode()

    assert "321" in html
