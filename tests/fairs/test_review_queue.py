"""The review queue: invalid rows fixed in place, and many rows decided at once (confirmed first)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from fairs.models import Fair, Signup
from fairs.services.imports import signup_import
from registry.models import Community
from registry.services.community_creation import community_create
from tests.registry.factories import IGLINO, sphere

HEADER = "Название сообщества;Сфера;Населённый пункт;ФИО лидера;Телефон;Согласие\n"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _import(user: User, fair: Fair, rows: str) -> None:
    signup_import(user=user, fair=fair, data=(HEADER + rows).encode(), file_name="a.csv")


def _url(fair: Fair) -> str:
    return reverse("fair-review", args=[fair.pk])


@pytest.mark.django_db
def test_an_invalid_row_is_in_the_queue_with_its_bad_field_editable(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    _import(iglino_team_member, iglino_fair, "Клуб «Ладья»;спорт;Иглино;Иванов Пётр;8-34-7;да\n")

    html = _client(iglino_team_member).get(_url(iglino_fair)).content.decode()

    assert Signup.objects.get().status == Signup.Status.INVALID
    assert "Строка 2, столбец «Телефон»" in html
    assert 'name="phone" id="f-' in html
    assert 'value="8-34-7" aria-invalid="true"' in html


@pytest.mark.django_db
def test_a_fixed_row_goes_through_matching_and_is_created(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    _import(iglino_team_member, iglino_fair, "Клуб «Ладья»;спорт;Иглино;Иванов Пётр;8-34-7;да\n")
    signup = Signup.objects.get()
    values = {"signup": signup.pk, "action": "fix", "name": "Клуб «Ладья»", "place": "Иглино"}
    values |= {"leader": "Иванов Пётр", "phone": "8 917 123-45-67", "consent": "да"}

    response = _client(iglino_team_member).post(_url(iglino_fair), values)

    signup.refresh_from_db()
    assert response.status_code == 302
    assert signup.status == Signup.Status.NEW
    assert signup.errors == []
    assert signup.community is not None
    assert signup.community.settlement is not None
    assert signup.leader is not None
    assert signup.leader.phone == "+79171234567"


@pytest.mark.django_db
def test_a_fixed_row_is_matched_against_the_registry(iglino_team_member: User, iglino_fair: Fair) -> None:
    existing = community_create(
        user=iglino_team_member,
        name="Клуб любителей шахмат «Ладья»",
        sphere=sphere("interest"),
        location=IGLINO,
    )
    _import(iglino_team_member, iglino_fair, "Шахматный клуб Ладья;по интересам;;;8-34-7;да\n")
    signup = Signup.objects.get()
    assert signup.status == Signup.Status.INVALID

    _client(iglino_team_member).post(
        _url(iglino_fair), {"signup": signup.pk, "action": "fix", "name": "Шахматный клуб Ладья", "phone": ""}
    )

    signup.refresh_from_db()
    assert signup.status == Signup.Status.NEEDS_REVIEW
    assert signup.candidates[0]["community"] == existing.pk
    assert Community.objects.count() == 1


@pytest.mark.django_db
def test_a_fix_still_wrong_keeps_what_was_typed_and_changes_nothing(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    _import(iglino_team_member, iglino_fair, "Клуб «Ладья»;спорт;Иглино;Иванов Пётр;8-34-7;да\n")
    signup = Signup.objects.get()

    response = _client(iglino_team_member).post(
        _url(iglino_fair), {"signup": signup.pk, "action": "fix", "name": "Клуб «Ладья»", "phone": "12345"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="12345"' in html
    assert "Телефон" in html
    signup.refresh_from_db()
    assert signup.status == Signup.Status.INVALID
    assert not Community.objects.exists()


@pytest.mark.django_db
def test_a_fix_by_another_team_is_404(
    iglino_team_member: User, ufa_team_member: User, iglino_fair: Fair
) -> None:
    _import(iglino_team_member, iglino_fair, "Клуб «Ладья»;спорт;Иглино;Иванов Пётр;8-34-7;да\n")
    signup = Signup.objects.get()

    response = _client(ufa_team_member).post(
        _url(iglino_fair), {"signup": signup.pk, "action": "fix", "phone": "89171234567"}
    )

    assert response.status_code == 404
    assert Signup.objects.get().status == Signup.Status.INVALID


def _two_in_doubt(user: User, fair: Fair) -> list[Community]:
    existing = [
        community_create(user=user, name=name, sphere=sphere("interest"), location=IGLINO)
        for name in ("Клуб любителей шахмат «Ладья»", "Клуб любителей шашек «Дамка»")
    ]
    _import(user, fair, "Шахматный клуб Ладья;по интересам;;;;\nШашечный клуб Дамка;по интересам;;;;\n")
    assert Signup.objects.filter(status=Signup.Status.NEEDS_REVIEW).count() == 2
    return existing


@pytest.mark.django_db
def test_merge_all_asks_first_then_merges_every_row_above_the_score(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    existing = _two_in_doubt(iglino_team_member, iglino_fair)
    client = _client(iglino_team_member)
    lowest = min(signup.candidates[0]["score"] for signup in Signup.objects.all())

    asked = client.post(_url(iglino_fair), {"action": "merge_all", "min_score": f"{lowest:.2f}"})
    assert asked.status_code == 200
    assert "Подтвердить" in asked.content.decode()
    assert Signup.objects.filter(status=Signup.Status.NEEDS_REVIEW).count() == 2

    client.post(_url(iglino_fair), {"action": "merge_all", "min_score": f"{lowest:.2f}", "confirm": "1"})

    merged = {signup.community_id for signup in Signup.objects.filter(status=Signup.Status.MATCHED)}
    assert merged == {community.pk for community in existing}
    assert Community.objects.count() == 2


@pytest.mark.django_db
def test_merge_all_leaves_rows_below_the_score(iglino_team_member: User, iglino_fair: Fair) -> None:
    _two_in_doubt(iglino_team_member, iglino_fair)

    _client(iglino_team_member).post(
        _url(iglino_fair), {"action": "merge_all", "min_score": "1", "confirm": "1"}
    )

    assert Signup.objects.filter(status=Signup.Status.NEEDS_REVIEW).count() == 2


@pytest.mark.django_db
def test_create_all_new_creates_rows_without_a_close_candidate(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    _import(
        iglino_team_member,
        iglino_fair,
        "Клуб «Ладья»;спорт;Иглино;Иванов Пётр;;может быть\nХор «Рябинка»;культура;Иглино;;;наверное\n",
    )
    assert Signup.objects.filter(status=Signup.Status.NEEDS_REVIEW).count() == 2

    _client(iglino_team_member).post(
        _url(iglino_fair), {"action": "new_all", "below_score": "0.7", "confirm": "1"}
    )

    assert Signup.objects.filter(status=Signup.Status.NEW).count() == 2
    assert Community.objects.count() == 2
