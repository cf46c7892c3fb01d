"""A community is created by one service whatever the path: the batch that an import writes with
COPY (CommunityBatch) stores exactly what community_create stores, history and map invalidation
included. Only what must differ between two communities differs: the id, the page address (unique,
so the second gets a suffix) and the moments of writing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from geo.selectors import municipality_locate
from registry.maps.cache import ALL, PAGES, REGION
from registry.models import Community
from registry.services.community_creation import CommunityBatch, community_create
from registry.signals import RegistryChanges
from tests.registry.factories import UFA_CENTRE, sphere

pytestmark = pytest.mark.django_db

DIFFERING = {"id", "slug", "created_at", "updated_at"}  # per community by nature
HISTORY_DIFFERING = DIFFERING | {"history_id", "history_date"}


def _fields(instance: Any, differing: set[str]) -> dict[str, Any]:
    values = {}
    for field in type(instance)._meta.concrete_fields:
        if field.name in differing:
            continue
        value = getattr(instance, field.attname)
        values[field.name] = value.ewkt if hasattr(value, "ewkt") else value
    return values


def _input() -> dict[str, Any]:
    """Every field a path may set, with values COPY must spell out carefully."""
    kind = sphere()
    return {
        "name": "Клуб «Маяк»\tвторой",
        "sphere": kind,
        "location": UFA_CENTRE,
        "location_precision": "settlement",
        "members_count": 12,
        "founded_year": 2011,
        "description": 'Встречи по средам; "кавычки", \\ и перевод\nстроки',
        "activities": "Походы, песни",
        "address": "ул. Ленина, 1",
        "links": ["https://example.org/a,b", 'https://example.org/"q"'],
        "contact": "+7 900 000-00-00",
        "internal_notes": "Записано на ярмарке",
        "source_object": kind,  # any record: the path keeps its type and id
    }


def _scopes(municipality_id: int) -> list[object]:
    return [ALL, REGION, PAGES, municipality_id]


def _versions(scopes: list[object]) -> list[int]:
    return [cache.get(f"maps:version:{scope}", 0) for scope in scopes]


def _effects(
    create: Callable[[], Community], municipality_id: int, capture: Any
) -> tuple[Community, list[int], int]:
    """The community a path stores, how far it moved each map's version, its on-commit marks."""
    scopes = _scopes(municipality_id)
    before = _versions(scopes)
    with capture() as marks:
        community = create()
    after = _versions(scopes)
    return community, [late - early for early, late in zip(before, after, strict=True)], len(marks)


def test_a_batch_stores_exactly_what_the_single_service_stores(
    ufa_team_member: User, django_capture_on_commit_callbacks: Any
) -> None:
    values = _input()
    source_object = values.pop("source_object")

    def single() -> Community:
        return community_create(
            user=ufa_team_member,
            source=Community.Source.FAIR_SIGNUP,
            source_object=source_object,
            **values,
        )

    def batched() -> Community:
        changes = RegistryChanges()
        batch = CommunityBatch(user=ufa_team_member, source=Community.Source.FAIR_SIGNUP, changes=changes)
        community = batch.create(source_object=source_object, **values)
        batch.flush()
        changes.publish()  # what the import does when its file is in
        return community

    located = municipality_locate(point=UFA_CENTRE)
    assert located is not None
    one, one_moves, one_marks = _effects(single, located.pk, django_capture_on_commit_callbacks)
    other, other_moves, other_marks = _effects(batched, located.pk, django_capture_on_commit_callbacks)

    stored_one = Community.objects.get(pk=one.pk)
    stored_other = Community.objects.get(pk=other.pk)
    assert _fields(stored_other, DIFFERING) == _fields(stored_one, DIFFERING)
    assert stored_one.public_point is not None  # the database's own derivations ran for both
    # the same address, made unique by the same rule (its municipality's name added)
    assert stored_other.slug == f"{stored_one.slug}-{stored_one.municipality.slug}"
    # what the caller holds is what was stored
    assert _fields(other, DIFFERING | {"public_point", "public_precision"}) == _fields(
        stored_other, DIFFERING | {"public_point", "public_precision"}
    )

    (history_one,) = stored_one.history.all()
    (history_other,) = stored_other.history.all()
    assert _fields(history_other, HISTORY_DIFFERING) == _fields(history_one, HISTORY_DIFFERING)
    assert history_other.slug == stored_other.slug
    assert history_one.history_type == "+"
    assert history_one.history_user == ufa_team_member

    # the same maps go stale, once each, and the cluster cells once
    assert other_moves == one_moves
    assert one_moves == [0, 1, 0, 1]
    assert other_marks == one_marks == 1
