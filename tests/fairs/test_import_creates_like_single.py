"""A sheet's new community, written in a batch with COPY, is what the registry's single creation
service stores for the same row: the same fields, the same history, the same maps gone stale."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from fairs.models import Fair, Signup
from fairs.services.imports import signup_import
from registry.maps.cache import ALL, PAGES, REGION
from registry.models import Community
from registry.services.community_creation import community_create

pytestmark = pytest.mark.django_db

HEADER = "Название сообщества;Сфера;Населённый пункт;Численность;Год создания\n"
DIFFERING = {"id", "slug", "created_at", "updated_at"}  # per community by nature
HISTORY_DIFFERING = DIFFERING | {"history_id", "history_date"}


def _fields(instance: Any, differing: set[str]) -> dict[str, Any]:
    values = {}
    for field in type(instance)._meta.concrete_fields:
        if field.name not in differing:
            value = getattr(instance, field.attname)
            values[field.name] = value.ewkt if hasattr(value, "ewkt") else value
    return values


def _versions(scopes: list[object]) -> list[int]:
    return [cache.get(f"maps:version:{scope}", 0) for scope in scopes]


def test_an_imported_community_is_what_the_single_service_creates(
    iglino_team_member: User, iglino_fair: Fair, django_capture_on_commit_callbacks: Any
) -> None:
    scopes: list[object] = [ALL, REGION, PAGES, iglino_fair.municipality_id]
    before = _versions(scopes)
    with django_capture_on_commit_callbacks() as import_marks:
        signup_import(
            user=iglino_team_member,
            fair=iglino_fair,
            data=(HEADER + "Хор «Рябинушка»;Культура;с. Иглино;25;2019\n").encode(),
            file_name="sheet.csv",
        )
    import_moves = [late - early for early, late in zip(before, _versions(scopes), strict=True)]
    signup = Signup.objects.get(fair=iglino_fair)
    assert signup.status == Signup.Status.NEW
    assert signup.settlement is not None
    assert signup.location is not None
    assert signup.community is not None
    imported = Community.objects.get(pk=signup.community.pk)

    before = _versions(scopes)
    with django_capture_on_commit_callbacks() as single_marks:
        single = community_create(
            user=iglino_team_member,
            name=signup.name,
            sphere=signup.sphere,  # type: ignore[arg-type]  # a sheet's row may name no sphere
            location=signup.location,
            source=Community.Source.FAIR_SIGNUP,
            source_object=signup,
            settlement=signup.settlement,
            location_precision=signup.location_precision,
            members_count=signup.members_count,
            founded_year=signup.founded_year,
        )
    single_moves = [late - early for early, late in zip(before, _versions(scopes), strict=True)]
    single = Community.objects.get(pk=single.pk)

    assert _fields(imported, DIFFERING) == _fields(single, DIFFERING)
    # the same address, made unique by the same rule (its municipality's name added)
    assert single.slug == f"{imported.slug}-{imported.municipality.slug}"
    (imported_history,) = imported.history.all()
    (single_history,) = single.history.all()
    assert _fields(imported_history, HISTORY_DIFFERING) == _fields(single_history, HISTORY_DIFFERING)
    assert imported_history.history_user == iglino_team_member
    assert import_moves == single_moves == [0, 1, 0, 1]
    assert len(import_marks) == len(single_marks) == 1  # the cluster cells go stale once


def test_a_sheets_leaders_tell_the_public_pages_once(iglino_team_member: User, iglino_fair: Fair) -> None:
    header = "Название сообщества;Сфера;Населённый пункт;ФИО лидера;Телефон;Согласие\n"
    rows = "".join(
        f"Клуб «Встреча {number}»;Культура;с. Иглино;Иванова Мария {number};+7 917 000-00-0{number};да\n"
        for number in range(3)
    )
    before = _versions([PAGES])

    signup_import(
        user=iglino_team_member, fair=iglino_fair, data=(header + rows).encode(), file_name="leaders.csv"
    )

    leaders = Signup.objects.filter(fair=iglino_fair, leader__isnull=False)
    assert leaders.count() == 3
    assert all(signup.leader.consents.exists() for signup in leaders if signup.leader)
    assert _versions([PAGES]) == [before[0] + 1]  # leaders, consents and leaderships: one invalidation
