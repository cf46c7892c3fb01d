"""Migration 0012 recomputes every stored community's matching core with the current rule."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from registry.matching import name_core
from registry.models import Community
from registry.services.community_creation import community_create
from tests.registry.factories import IGLINO, sphere

migration = importlib.import_module("registry.migrations.0014_recompute_name_normalized")


@pytest.mark.django_db
def test_stale_cores_are_recomputed_and_current_ones_left(iglino_team_member: User) -> None:
    stale = community_create(
        user=iglino_team_member, name="МБОУ СОШ № 1 с. Иглино", sphere=sphere("social"), location=IGLINO
    )
    current = community_create(
        user=iglino_team_member, name="Хор «Рябинка»", sphere=sphere("culture"), location=IGLINO
    )
    Community.objects.filter(pk=stale.pk).update(name_normalized="мбоу сош 1 с иглино")

    migration.recompute(apps, None)

    stale.refresh_from_db()
    current.refresh_from_db()
    assert stale.name_normalized == name_core("МБОУ СОШ № 1 с. Иглино")
    assert stale.name_normalized != "мбоу сош 1 с иглино"
    assert current.name_normalized == name_core("Хор «Рябинка»")
