"""The import report: a typed object whose one JSON form is the one the README documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from fairs.intake.report import ImportReport
from fairs.models import Fair, SignupImport
from fairs.services.imports import signup_import

README = Path(__file__).resolve().parents[2] / "README.md"
HEADER = (
    "Название сообщества;Сфера;Населённый пункт;ФИО лидера;Телефон;E-mail;Численность;Год создания;Согласие\n"
)
ROWS = (
    'ТОС "Рассвет";ТОС;с. Иглино;Иванова Мария;+7 917 000-00-01;;25;2019;да\n'
    "тос Рассвет;соседское;Иглино;;;;;;\n"  # the same community again: a duplicate in the file
    "Хор «Рябинка»;культура;Иглино;;12345;;;;\n"  # a bad phone: invalid, the column named
    ";;;;;;;;\n"  # blank
)


def _documented() -> tuple[set[str], set[str], set[str]]:
    """The report's keys as the README's table names them: top level, per result, per column.
    Backticked words in parentheses are values, not keys."""
    text = README.read_text(encoding="utf-8")
    table = text.split("The report: `signup_import` returns", 1)[1].split("\n\n", 1)[1].split("\n\n", 1)[0]
    top: set[str] = set()
    nested: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        _, names, meaning, _ = line.split("|", 3)
        keys = [name.removesuffix("[]") for name in re.findall(r"`([^`]+)`", names)]
        top.update(keys)
        outside = meaning
        while re.search(r"\([^()]*\)", outside):
            outside = re.sub(r"\([^()]*\)", "", outside)
        for key in keys:
            nested[key] = set(re.findall(r"`([^`]+)`", outside))
    return top, nested["results"], nested["columns"]


def _import(
    user: User, fair: Fair, body: str, *, name: str = "sheet.csv", dry_run: bool = False
) -> ImportReport:
    return signup_import(user=user, fair=fair, data=(HEADER + body).encode(), file_name=name, dry_run=dry_run)


def test_the_readme_documents_every_key_the_parser_expects() -> None:
    top, per_row, per_column = _documented()

    assert {"file", "import", "rows", "blank_rows", "results", "columns", "warnings", "dry_run"} <= top
    assert {"row", "status", "review_reasons", "imported_before"} <= per_row
    assert per_column == {"column", "header", "fields", "how", "kind", "samples"}


@pytest.mark.django_db
def test_an_import_returns_a_typed_report_whose_json_is_the_documented_form(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    top, per_row, per_column = _documented()

    report = _import(iglino_team_member, iglino_fair, ROWS)
    data = report.as_json()

    assert set(data) == top - {"dry_run"}  # dry_run only in a preview
    assert all(set(result) == per_row - {"imported_before"} for result in data["results"])
    assert all(set(column) == per_column - {"samples"} for column in data["columns"])  # samples are personal
    assert (report.rows, report.sheet.blank_rows) == (3, 1)
    assert (report.counts.new, report.counts.duplicates_in_file, report.counts.invalid) == (1, 1, 1)
    statuses = [result.decision.status for result in report.results]
    assert statuses == ["new", "duplicate_in_file", "invalid"]
    assert report.results[1].decision.duplicate_of_row == report.results[0].row
    assert report.results[2].errors
    assert "Телефон" in report.results[2].errors[0].message
    assert data["new"] == 1
    assert data["results"][2]["errors"][0]["field"] == report.results[2].errors[0].field
    # what is stored and what the same file again returns is this very JSON
    stored = SignupImport.objects.get(fair=iglino_fair)
    assert stored.pk == report.import_id
    assert stored.report == json.loads(json.dumps(data, ensure_ascii=False))
    again = _import(iglino_team_member, iglino_fair, ROWS)
    assert again.already_imported
    assert again.import_id == report.import_id
    assert again.as_json() == {**data, "already_imported": True}


@pytest.mark.django_db
def test_a_preview_and_rows_imported_before_carry_their_optional_keys(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    top, per_row, per_column = _documented()
    _import(iglino_team_member, iglino_fair, ROWS)

    preview = _import(
        iglino_team_member, iglino_fair, ROWS + "Клуб «Ветер»;спорт;Иглино;;;;;;\n", dry_run=True
    )
    data = preview.as_json()

    assert set(data) == top
    assert data["dry_run"] is True
    assert data["import"] is None
    assert all(set(column) == per_column for column in data["columns"])
    before = [result for result in data["results"] if result.get("imported_before")]
    assert len(before) == 3
    assert all(set(result) == per_row for result in before)
    assert data["imported_before"] == 3
    assert data["new"] == 1
    assert ImportReport.from_json(data).as_json() == data
