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
    )

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
