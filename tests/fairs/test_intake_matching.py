"""Matching a sheet's names against the registry: abbreviations both ways, places inside names,
word order, a clear best candidate merged alone, look-alikes kept apart, and the fair's district."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from fairs.models import Fair, Signup
from fairs.services.imports import signup_import
from geo.place_lookup import place_locate
from registry.matching import name_similarity
from registry.models import Community
from registry.services.community_creation import community_create
from tests.registry.factories import sphere

HEADER = "Название сообщества;Сфера;Населённый пункт\n"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ДК с. Иглино", "Дом культуры"),
        ("Сельский дом культуры", "СДК"),
        ("МБОУ СОШ №3", "Средняя общеобразовательная школа № 3"),
        ("Росинка (вокальный ансамбль)", "Вокальный ансамбль «Росинка»"),
        ("ВОИ Иглинского района", "Всероссийское общество инвалидов"),
        ("КФХ Иванова", "Крестьянское фермерское хозяйство Иванова"),
        ("ТОС Рассвет с. Иглино", "ТОС «Рассвет»"),
        ("ФК Урожай", "Футбольный клуб «Урожай»"),
        ("Детско-юношеская спортивная школа", "ДЮСШ"),
        ("Ладья шахматный клуб", "Шахматный клуб 'Ладья'"),
    ],
)
def test_one_community_written_two_ways_scores_high(first: str, second: str) -> None:
    assert name_similarity(first, second) >= 0.95


@pytest.mark.parametrize(
    ("first", "second"),
    [("Совет матерей", "Совет отцов"), ("СОШ №1", "СОШ №3"), ("ТОС Рассвет", "ТОС Закат")],
)
def test_look_alikes_stay_apart(first: str, second: str) -> None:
    assert name_similarity(first, second) < 0.75


def _import(user: User, fair: Fair, body: str) -> dict:
    return signup_import(user=user, fair=fair, data=(HEADER + body).encode(), file_name="x.csv").as_json()


@pytest.mark.django_db
def test_a_clear_best_candidate_is_merged_though_a_namesake_scores_080(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    place = place_locate("с. Иглино", municipality=iglino_fair.municipality)
    assert place.point is not None
    wanted, _namesake = (
        community_create(
            user=iglino_team_member,
            name=name,
            sphere=sphere(),
            location=place.point,
            settlement=place.settlement,
            location_precision=place.precision,
        )
        for name in ("ТОС «Рассвет»", "ТОС «Рассвет над рекой»")
    )

    report = _import(iglino_team_member, iglino_fair, "ТОС Рассвет;ТОС;с. Иглино\n")

    result = report["results"][0]
    assert (result["status"], result["community"]) == ("matched", wanted.pk)
    assert result["candidates"][1]["score"] == 0.8  # the namesake: listed, not a doubt
    assert "Рассвет" in result["reasons"][0]


@pytest.mark.django_db
def test_a_place_found_only_in_another_district_waits_for_a_person(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    report = _import(iglino_team_member, iglino_fair, "ТОС «Новый»;ТОС;с. Языково\n")

    result = report["results"][0]
    assert result["status"] == "needs_review"
    assert result["review_reasons"] == ["place_other_district"]
    assert any(
        "найдено в Благоварском районе, а ярмарка — в Иглинском районе" in warning
        for warning in result["warnings"]
    )
    assert not Community.objects.exists()
    assert Signup.objects.get().community is None
