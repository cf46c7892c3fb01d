"""The import report on the fair's page, again from the stored report, filtered by outcome."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from fairs.models import Fair, SignupImport
from fairs.services.imports import signup_import

SHEET = (
    "Название сообщества;Сфера;Населённый пункт;Телефон\n"
    "Хор «Рябинка»;культура;Иглино;\n"
    "Клуб «Ладья»;спорт;Иглино;8-34-7\n"
    "Клуб «Дамка»;спорт;Иглино;12\n"
).encode()


def _page(user: User, fair: Fair, query: str) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("fair-detail", args=[fair.pk]) + query)
    return response.status_code, response.content.decode()


@pytest.mark.django_db
def test_the_stored_report_shows_only_the_chosen_outcome(iglino_team_member: User, iglino_fair: Fair) -> None:
    signup_import(user=iglino_team_member, fair=iglino_fair, data=SHEET, file_name="a.csv")
    source = SignupImport.objects.get()

    status, html = _page(iglino_team_member, iglino_fair, f"?report={source.pk}&outcome=invalid")

    assert status == 200
    assert html.count('data-status="invalid"') == 2
    assert 'data-status="new"' not in html
    assert f'href="?report={source.pk}&amp;outcome=new#report-rows">новое сообщество (1)</a>' in html
    assert "ошибка в строке (2)" in html


@pytest.mark.django_db
def test_the_whole_stored_report_has_every_row(iglino_team_member: User, iglino_fair: Fair) -> None:
    signup_import(user=iglino_team_member, fair=iglino_fair, data=SHEET, file_name="a.csv")
    source = SignupImport.objects.get()

    _status, html = _page(iglino_team_member, iglino_fair, f"?report={source.pk}")

    assert html.count("data-status=") == 3


@pytest.mark.django_db
def test_another_teams_report_is_404(
    iglino_team_member: User, ufa_team_member: User, iglino_fair: Fair
) -> None:
    signup_import(user=iglino_team_member, fair=iglino_fair, data=SHEET, file_name="a.csv")
    source = SignupImport.objects.get()

    assert _page(ufa_team_member, iglino_fair, f"?report={source.pk}")[0] == 404
    assert _page(iglino_team_member, iglino_fair, "?report=999999")[0] == 404
