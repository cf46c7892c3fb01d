"""The CLI and the API take an explicit column mapping; without one, a column of field-looking data
that maps to nothing refuses the file naming it; a confirmed mapping is remembered for the team."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from fairs.models import ColumnMapping, Fair, Signup
from fairs.services.imports import signup_import
from geo.errors import DomainError

SHEET = "Что;Где;Кто звонит\nТОС «Заря»;с. Иглино;Иванова Мария Петровна\n"


def _command(path: Path, user: User, *extra: str) -> None:
    call_command(
        "import_signups", str(path), "--municipality", "80628000", "--date", "2026-06-01",
        "--user", user.username, *extra,
    )  # fmt: skip


@pytest.mark.django_db
def test_cli_refuses_a_field_looking_column_it_cannot_map_and_takes_a_mapping(
    iglino_team_member: User, tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "Название;Руководитель;Х\nТОС «Заря»;Петров Пётр;Иванова Мария Петровна\n", encoding="utf-8"
    )

    with pytest.raises(CommandError, match="«Х»"):
        _command(sheet, iglino_team_member)
    assert not Signup.objects.exists()

    _command(sheet, iglino_team_member, "--map", "Х=skip")
    assert Signup.objects.get().raw["Х"] == "Иванова Мария Петровна"


@pytest.mark.django_db
def test_cli_mapping_file(iglino_team_member: User, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Что": "name", "Где": "place", "Кто звонит": "leader"}), encoding="utf-8")

    _command(sheet, iglino_team_member, "--mapping", str(mapping))

    signup = Signup.objects.get()
    assert (signup.name, signup.leader_name) == ("ТОС «Заря»", "Иванова Мария Петровна")


@pytest.mark.django_db
def test_a_confirmed_mapping_is_remembered_for_the_next_sheet_of_that_shape(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    signup_import(
        user=iglino_team_member,
        fair=iglino_fair,
        data=SHEET.encode(),
        file_name="first.csv",
        mapping={"Что": "name", "Где": "place", "Кто звонит": "leader"},
    )
    assert ColumnMapping.objects.count() == 1

    report = signup_import(
        user=iglino_team_member,
        fair=iglino_fair,
        data=(SHEET + "Клуб «Ладья»;д. Шакша;Петров Пётр Петрович\n").encode(),
        file_name="second.csv",
    ).as_json()

    assert [column["how"] for column in report["columns"]] == ["explicit"] * 3
    assert Signup.objects.filter(leader_name="Петров Пётр Петрович").exists()


@pytest.mark.django_db
def test_a_mapping_naming_a_missing_column_writes_nothing(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    with pytest.raises(DomainError) as error:
        signup_import(
            user=iglino_team_member,
            fair=iglino_fair,
            data=SHEET.encode(),
            file_name="x.csv",
            mapping={"Нет такого": "name"},
        )
    assert error.value.items[0].code == "mapping_column_unknown"
    assert not Signup.objects.exists()


@pytest.mark.django_db
def test_web_preview_shows_the_mapping_and_the_import_takes_the_persons_mapping(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(iglino_team_member)
    url = reverse("fair-import", args=[iglino_fair.pk])
    sheet = "Название;Руководитель;Х\nТОС «Заря»;Петров Пётр;Иванова Мария Петровна\n".encode()

    refused = client.post(url, {"file": SimpleUploadedFile("a.csv", sheet)}).content.decode()
    assert "«Х»" in refused  # the person is asked about the column
    assert not Signup.objects.exists()

    preview = client.post(
        url, {"file": SimpleUploadedFile("a.csv", sheet), "dry_run": "on", "mapping": "Х = skip"}
    ).content.decode()
    assert "Столбцы файла и поля" in preview
    assert "Петров Пётр" in preview  # a sample value of the leader column
    assert "не импортировать" in preview

    done = client.post(
        url, {"file": SimpleUploadedFile("a.csv", sheet), "mapping": "Х = skip"}
    ).content.decode()
    community = Signup.objects.get().community
    assert community is not None
    assert "новое сообщество" in done  # a status word, not the code
    assert reverse("team-community", args=[community.pk]) in done
