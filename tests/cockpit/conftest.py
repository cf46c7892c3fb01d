"""A current programme over Уфа and Иглинский район, written through the services so that the
change history (what reports «as of» a date read) is what production writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from geo.models import Region
from registry.models import Community, Leader, Leadership, Programme
from registry.services.community_creation import community_create
from registry.services.community_status import EvidenceInput, community_archive, community_verify
from tests.registry.factories import IGLINO, UFA_CENTRE, municipality, sphere


def make_programme() -> Programme:
    """Targets 10 communities (5 a municipality), 2 leaders each, 2 fairs, 100 participants."""
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


@pytest.fixture
def programme(db: None) -> Programme:
    return make_programme()


@contextmanager
def on_day(day: date) -> Iterator[None]:
    """What the block writes to the history is dated `day` (noon, local time): a past the test writes."""
    models = (Community, Leadership)
    marks = {
        model: (model.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0)
        for model in models
    }
    yield
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    for model, mark in marks.items():
        model.history.filter(history_id__gt=mark).update(history_date=moment)


EVIDENCE = [EvidenceInput(kind="meetings", text="Собрания по средам, протоколы есть")]


def make_timeline(user: User) -> dict[str, Community]:
    """A: published 10 March, archived 5 May. B (Иглино): published 20 April, a leader from then.
    C: proposed 1 March, never verified. By hand: 31 March 1, 30 April 2 (1 leader), 30 June 1."""
    with on_day(date(2026, 3, 1)):
        first = community_create(user=user, name="ТОС «Ранний»", sphere=sphere(), location=UFA_CENTRE)
        never = community_create(user=user, name="ТОС «Черновик»", sphere=sphere(), location=UFA_CENTRE)
    with on_day(date(2026, 3, 10)):
        community_verify(user=user, community=first, evidence=EVIDENCE)
    with on_day(date(2026, 4, 20)):
        second = community_create(user=user, name="Клуб «Иглинский»", sphere=sphere("sport"), location=IGLINO)
        community_verify(user=user, community=second, evidence=EVIDENCE)
        person = Leader.objects.create(full_name="Петрова Анна", municipality=second.municipality)
        Leadership.objects.create(leader=person, community=second)
    with on_day(date(2026, 5, 5)):
        community_archive(user=user, community=first, reason="Сообщество распалось")
    return {"first": first, "second": second, "never": never}


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
