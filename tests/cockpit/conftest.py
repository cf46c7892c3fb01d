"""A current programme over Уфа and Иглинский район, written through the services so that the
change history (what reports «as of» a date read) is what production writes."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from geo.models import Region
from registry.models import Programme
from tests.registry.factories import municipality


@pytest.fixture
def programme(db: None) -> Programme:
    programme = Programme.objects.create(
        name="Конструктор сообществ",
        region=Region.objects.get(iso_code="RU-BA"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        target_communities=10,
        target_leaders_per_municipality=2,
        target_fairs=2,
        target_fair_participants=100,
        is_current=True,
    )
    programme.municipalities.set([municipality("80701000"), municipality("80628000")])
    return programme


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
