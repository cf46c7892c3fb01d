"""Sphere words read by their lemma against the managed list, and a community proposed without a
sphere that the person verifying it must give one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from fairs.models import Fair, Signup
from fairs.services.imports import signup_import
from geo.errors import DomainError
from registry.models import Community, Sphere
from registry.services.community_status import EvidenceInput, community_verify
from registry.spheres import SphereReader


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("волонтёрство", "volunteer"),
        ("Волонтеры", "volunteer"),
        ("добровольцев", "volunteer"),
        ("предпринимательство", "business"),
        ("соц. поддержка", "social"),
        ("сельское хозяйство", "business"),
        ("патриотическое воспитание", "youth"),
        ("благоустр.", "territorial"),
        ("ТОС", "territorial"),
        ("совет ветеранов района", "council"),
        ("народное творчество", "culture"),
        ("экологическое направление", "ecology"),
    ],
)
@pytest.mark.django_db
def test_sphere_words_are_read_by_their_lemma(text: str, code: str) -> None:
    found = SphereReader().read(text)

    assert found is not None, text
    assert found.code == code


@pytest.mark.django_db
def test_unknown_words_name_no_sphere() -> None:
    reader = SphereReader()

    assert reader.read("астрология") is None
    assert reader.read("") is None


@pytest.mark.django_db
def test_a_coordinators_new_synonym_is_read_in_any_form() -> None:
    sphere = Sphere.objects.get(code="culture")
    sphere.synonyms = [*sphere.synonyms, "кураист"]
    sphere.save()

    found = SphereReader().read("кураисты")

    assert found is not None
    assert found.code == "culture"


@pytest.mark.django_db
def test_a_community_proposed_without_a_sphere_needs_one_to_be_verified(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    data = "Название сообщества;Сфера;Населённый пункт\nКлуб «Звёздочка»;астрология;Иглино\n".encode()
    report = signup_import(user=iglino_team_member, fair=iglino_fair, data=data, file_name="x.csv").as_json()
    assert report["new"] == 1
    assert report["needs_review"] == 0
    community = Signup.objects.get().community
    assert community is not None
    assert community.sphere is None
    evidence = [EvidenceInput(kind="meetings", text="Встречаются по средам")]

    with pytest.raises(DomainError) as error:
        community_verify(user=iglino_team_member, community=community, evidence=evidence)
    assert error.value.items[0].code == "sphere_required"

    community_verify(
        user=iglino_team_member,
        community=community,
        evidence=evidence,
        sphere=Sphere.objects.get(code="interest"),
    )
    community.refresh_from_db()
    assert community.sphere is not None
    assert (community.status, community.sphere.code) == (Community.Status.VERIFIED, "interest")


@pytest.mark.django_db
def test_the_activity_column_suggests_a_sphere(iglino_team_member: User, iglino_fair: Fair) -> None:
    data = "Как называется ваше сообщество?;Чем занимается сообщество?;Где\nРучеёк;помогаем пожилым, волонтёры;Иглино\n"

    signup_import(user=iglino_team_member, fair=iglino_fair, data=data.encode(), file_name="x.csv")

    signup = Signup.objects.get()
    assert signup.sphere is not None
    assert signup.sphere.code in {"volunteer", "social"}
