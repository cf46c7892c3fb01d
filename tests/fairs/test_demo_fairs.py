"""The demo set carries a few fairs, marked demo, and takes them away again — and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from fairs.models import Fair
from registry.services.demo import demo_load, demo_unload
from tests.registry.factories import municipality

pytestmark = pytest.mark.django_db


def test_demo_load_adds_held_fairs_with_presented_demo_communities() -> None:
    call_command("seed_programme", verbosity=0)

    demo_load(count=60, seed=7)

    fairs = Fair.objects.filter(is_demo=True)
    held = fairs.filter(status=Fair.Status.HELD)
    assert held.count() >= 3
    assert fairs.filter(status=Fair.Status.PLANNED).count() == 1
    for fair in held:
        assert fair.visitor_count
        presented = list(fair.presented_communities.all())
        assert presented
        assert all(item.is_demo and item.municipality_id == fair.municipality_id for item in presented)


def test_demo_unload_removes_demo_fairs_only(iglino_team_member: User) -> None:
    from fairs.services.fairs import fair_create

    real = fair_create(
        user=iglino_team_member, municipality=municipality("80628000"), date=dt.date(2026, 6, 1)
    )
    demo_load(count=40, seed=3)
    assert Fair.objects.filter(is_demo=True).exists()

    demo_unload()

    assert list(Fair.objects.all()) == [real]
