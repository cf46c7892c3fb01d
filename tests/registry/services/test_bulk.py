"""Bulk writing helpers: rows_copy writes what bulk_create writes (every value, however awkward, comes
back the same), NewInstances builds what keyword construction builds."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import models
from django.forms.models import model_to_dict

from fairs.models import Fair, Signup
from registry.models import Community
from registry.services.bulk import NewInstances, ids_reserve, rows_copy
from tests.registry.factories import UFA_CENTRE, municipality, sphere

pytestmark = pytest.mark.django_db

# What COPY's text format gives a meaning to (tab, newline, backslash, \N), and arrays' quoting.
AWKWARD = 'ТОС\t«Рассвет»\nвторая строка\r\\N \\ "кавычки" {скобки}, запятая ё 🙂'
AWKWARD_LINKS = [
    "https://example.org/a,b",
    'https://example.org/"q"',
    "https://example.org/{x}\\y",
    "https://пример.рф/NULL",
    "NULL",
]


def _stored(model: type[models.Model], pk: int, *, skip: set[str]) -> dict[str, Any]:
    row = model._default_manager.get(pk=pk)
    values = {
        field.attname: getattr(row, field.attname)
        for field in model._meta.concrete_fields
        if field.attname not in skip
    }
    return {key: value.ewkt if hasattr(value, "ewkt") else value for key, value in values.items()}


def _community(slug: str, **overrides: Any) -> Community:
    area = MultiPolygon(Polygon(((55.95, 54.73), (55.96, 54.73), (55.96, 54.74), (55.95, 54.73))), srid=4326)
    values: dict[str, Any] = {
        "name": AWKWARD[:200],
        "name_normalized": "рассвет",
        "slug": slug,
        "description": AWKWARD * 3,
        "sphere": sphere(),
        "form": Community.Form.REGISTERED,
        "inn": "0274062111",
        "location": Point(55.958123456789, 54.735987654321, srid=4326),
        "area": area,
        "hide_exact_location": True,
        "municipality": municipality("80701000"),
        "address": "ул. Ленина, 1\tкв. 2",
        "members_count": None,
        "founded_year": 1999,
        "links": AWKWARD_LINKS,
        "is_contact_public": True,
        "status": Community.Status.VERIFIED,
        "verified_until": "2027-01-31",
        "source": Community.Source.IMPORT,
        "source_id": 2**40,
    }
    return Community(**{**values, **overrides})


def test_a_community_copied_equals_one_bulk_created() -> None:
    [created] = Community.objects.bulk_create([_community("bulk")])
    copied = _community("copied", pk=ids_reserve(Community, 1)[0])

    rows_copy(Community, [copied])

    skip = {"id", "slug", "created_at", "updated_at"}
    assert _stored(Community, copied.pk, skip=skip) == _stored(Community, created.pk, skip=skip)
    stored = Community.objects.get(pk=copied.pk)
    assert stored.name == AWKWARD[:200]
    assert stored.links == AWKWARD_LINKS
    assert stored.members_count is None
    assert stored.created_at is not None  # auto_now_add ran, as on a save
    assert not copied._state.adding  # the instance now stands for its row


def test_a_signup_copied_equals_one_bulk_created() -> None:
    fair = Fair.objects.create(municipality=municipality("80701000"), title="Ярмарка", date="2026-06-01")
    raw = {"Название": AWKWARD, "Пусто": "", "Вложенное": {"список": [1, 2.5, None, True]}}

    def signup(**fields: Any) -> Signup:
        return Signup(
            fair=fair,
            row_number=7,
            row_hash="ab" * 32,
            raw=raw,
            name=AWKWARD,
            location=UFA_CENTRE,
            status=Signup.Status.NEEDS_REVIEW,
            errors=[{"field": "phone", "message": "Строка 7: «\\t»"}],
            candidates=[{"community": 1, "score": 0.825}],
            **fields,
        )

    [created] = Signup.objects.bulk_create([signup()])
    copied = signup(pk=ids_reserve(Signup, 1)[0])

    rows_copy(Signup, [copied])

    skip = {"id", "created_at"}
    assert _stored(Signup, copied.pk, skip=skip) == _stored(Signup, created.pk, skip=skip)
    assert Signup.objects.get(pk=copied.pk).raw == raw


def test_points_shared_between_rows_and_points_in_another_srid() -> None:
    shared = Point(55.9, 54.7, srid=4326)
    mercator = Point(6_225_000.0, 7_310_000.0, srid=3857)
    expected = mercator.transform(4326, clone=True)
    ids = ids_reserve(Community, 4)
    rows = [
        _community(f"row-{pk}", pk=pk, location=location)
        for pk, location in zip(ids, [shared, Point(56.0, 54.8, srid=4326), shared, mercator], strict=True)
    ]

    rows_copy(Community, rows)

    stored = {row.pk: row.location for row in Community.objects.filter(pk__in=ids)}
    assert [(stored[pk].x, stored[pk].y) for pk in ids[:3]] == [(55.9, 54.7), (56.0, 54.8), (55.9, 54.7)]
    assert stored[ids[3]].srid == 4326
    assert stored[ids[3]].distance(expected) < 1e-9
    assert mercator.srid == 3857  # the caller's geometry is left as it was


def test_rows_without_their_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="primary key"):
        rows_copy(Community, [_community("no-id")])
    assert not Community.objects.filter(slug="no-id").exists()


def test_new_instances_are_what_keyword_construction_makes() -> None:
    fair = Fair.objects.create(municipality=municipality("80701000"), title="Ярмарка", date="2026-06-01")
    new_signup = NewInstances(Signup, fair_id=fair.pk, status=Signup.Status.INVALID)

    first = new_signup(row_number=3, row_hash="a" * 64, name="Клуб")
    second = new_signup(row_number=4)
    expected = Signup(fair=fair, status=Signup.Status.INVALID, row_number=3, row_hash="a" * 64, name="Клуб")

    assert model_to_dict(first) == model_to_dict(expected)
    assert first._state.adding
    assert first.pk is None
    first.raw["Название"] = "Клуб"  # callable defaults are fresh for each instance
    first.errors.append({"field": "name"})
    assert second.raw == {}
    assert second.errors == []
    assert second.row_number == 4
    assert second.fair == fair


def test_new_instances_of_a_model_with_init_receivers_are_built_by_its_init() -> None:
    community = NewInstances(Community, municipality_id=5)(name="Клуб")

    assert community._loaded_municipality_id == 5  # registry.signals' post_init ran
    assert community._state.adding


def test_new_instances_refuse_unknown_fields() -> None:
    with pytest.raises(TypeError, match="fair"):
        NewInstances(Signup, fair=1)  # by attname: fair_id
    with pytest.raises(TypeError, match="nonsense"):
        NewInstances(Signup)(nonsense=1)
