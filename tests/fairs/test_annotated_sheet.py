"""The organiser's sheet given back with each row's result, its community's link and what to fix:
rebuilt from the stored rows, in the upload's format, for the fair's team only, audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fairs.models import Fair, Signup, SignupImport
from fairs.services.imports import signup_import
from registry.models import PrivacyEvent

HEADERS = ["Название сообщества", "Сфера", "Населённый пункт", "ФИО лидера", "Телефон", "Согласие"]
ROWS = [
    ["Хор «Рябинка»", "культура", "Иглино", "Иванова Мария", "", ""],
    ["Клуб «Ладья»", "спорт", "Иглино", "Петров Пётр", "8-34-7", "да"],
]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv() -> bytes:
    return "\n".join(";".join(row) for row in [HEADERS, *ROWS]).encode()


def _xlsx() -> bytes:
    workbook = Workbook()
    for row in [["Ярмарка сообществ Иглинского района"], [], HEADERS, *ROWS]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _url(fair: Fair, source: SignupImport) -> str:
    return reverse("fair-import-annotated", args=[fair.pk, source.pk])


@pytest.mark.django_db
def test_a_csv_comes_back_as_csv_with_result_link_and_what_to_fix(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    signup_import(user=iglino_team_member, fair=iglino_fair, data=_csv(), file_name="лист.csv")
    source = SignupImport.objects.get()

    response = _client(iglino_team_member).get(_url(iglino_fair, source))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == [*HEADERS, "Результат", "Сообщество в реестре", "Что исправить"]
    assert [row[:6] for row in table[1:]] == ROWS
    created, invalid = table[1], table[2]
    community = Signup.objects.get(row_number=2).community
    assert community is not None
    assert created[6] == "новое сообщество"
    assert created[7] == f"http://testserver/team/communities/{community.pk}/"
    assert invalid[6] == "ошибка в строке"
    assert invalid[7] == ""
    assert "Строка 3, столбец «Телефон»" in invalid[8]


@pytest.mark.django_db
def test_an_xlsx_comes_back_as_xlsx_and_shows_later_decisions(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    signup_import(user=iglino_team_member, fair=iglino_fair, data=_xlsx(), file_name="sheet.xlsx")
    source = SignupImport.objects.get()
    Signup.objects.filter(row_number=5).update(status=Signup.Status.REJECTED)

    response = _client(iglino_team_member).get(_url(iglino_fair, source))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][-3:] == ["Результат", "Сообщество в реестре", "Что исправить"]
    assert values[1][:6] == ROWS[0]
    assert values[2][6] == "отклонено"


@pytest.mark.django_db
def test_rows_imported_before_from_another_format_say_so(iglino_team_member: User, iglino_fair: Fair) -> None:
    signup_import(user=iglino_team_member, fair=iglino_fair, data=_xlsx(), file_name="sheet.xlsx")
    signup_import(user=iglino_team_member, fair=iglino_fair, data=_csv(), file_name="sheet.csv")
    source = SignupImport.objects.get(file_name="sheet.csv")

    response = _client(iglino_team_member).get(_url(iglino_fair, source))

    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(table) == 3
    assert all("импортирована ранее" in row[6] for row in table[1:])


@pytest.mark.django_db
def test_each_download_is_audited_without_personal_data(iglino_team_member: User, iglino_fair: Fair) -> None:
    signup_import(user=iglino_team_member, fair=iglino_fair, data=_csv(), file_name="лист.csv")
    source = SignupImport.objects.get()
    client = _client(iglino_team_member)

    client.get(_url(iglino_fair, source))
    client.get(_url(iglino_fair, source))

    events = PrivacyEvent.objects.filter(action=PrivacyEvent.Action.SIGNUP_SHEET)
    assert events.count() == 2
    event = events.first()
    assert event is not None
    assert event.actor == iglino_team_member
    assert event.details == {"fair": iglino_fair.pk, "import": source.pk, "rows": 2}


@pytest.mark.django_db
def test_another_team_gets_404_and_nothing_is_logged(
    iglino_team_member: User, ufa_team_member: User, iglino_fair: Fair
) -> None:
    signup_import(user=iglino_team_member, fair=iglino_fair, data=_csv(), file_name="лист.csv")
    source = SignupImport.objects.get()

    assert _client(ufa_team_member).get(_url(iglino_fair, source)).status_code == 404
    assert not PrivacyEvent.objects.exists()
