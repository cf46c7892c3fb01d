"""Reading real sheets: the header found below title rows, two-row headers, online-form questions,
odd and combined headers, columns mapped by their cells, and nothing dropped without a decision."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from fairs.intake.consent import consent_read
from fairs.reading import sheet_read
from geo.errors import DomainError


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fields(sheet: object) -> dict[str, tuple[str, ...]]:
    return {column.header: column.fields for column in sheet.columns}  # type: ignore[attr-defined]


def test_title_rows_above_the_header_are_skipped_and_the_header_row_reported() -> None:
    data = _xlsx(
        [
            ["Ярмарка сообществ Иглинского района"],
            ["15 июня, РДК"],
            [],
            ["№ п/п", "Название", "Направление", "Нас. пункт", "ФИО руководителя", "Телефон руководителя"],
            [1, "ТОС «Заря»", "ТОС", "с. Иглино", "Иванова Мария Петровна", "89171234567"],
        ]
    )

    sheet = sheet_read(data=data, file_name="fair.xlsx")

    assert sheet.header_row == 4
    assert sheet.rows[0].number == 5
    assert sheet.rows[0].values == {
        "name": "ТОС «Заря»",
        "sphere": "ТОС",
        "place": "с. Иглино",
        "leader": "Иванова Мария Петровна",
        "phone": "89171234567",
    }
    assert any("строке 4" in warning for warning in sheet.warnings)
    assert sheet.unmapped == []  # «№ п/п» is known: a row number, not data


def test_a_group_heading_over_sub_headings_is_read() -> None:
    data = _xlsx(
        [
            ["Сообщество", None, "Руководитель", None, "Согласие на обработку ПД"],
            ["Название", "Населённый пункт", "ФИО", "Телефон", None],
            ["Клуб «Ладья»", "д. Шакша", "Петров П.П.", "+7 917 000-11-22", "+"],
        ]
    )

    sheet = sheet_read(data=data, file_name="fair.xlsx")

    assert list(_fields(sheet).values()) == [("name",), ("place",), ("leader",), ("phone",), ("consent",)]
    assert sheet.rows[0].number == 3
    assert sheet.rows[0].values["consent"] == "+"


def test_an_online_form_export_is_read_as_it_comes() -> None:
    text = (
        "Отметка времени,Как называется ваше сообщество?,В каком населённом пункте действует сообщество?,"
        "Чем занимается сообщество?,Ваше имя и фамилия,Телефон для связи,Адрес электронной почты,"
        "Сколько человек в сообществе?,Даёте ли вы согласие на обработку персональных данных?\n"
        "15.06.2026 10:01:02,Рассвет,с. Иглино,волонтёрство,Анна Смирнова,89170001122,a@b.ru,12,Да\n"
    )

    sheet = sheet_read(data=text.encode(), file_name="form.csv")

    assert sheet.rows[0].values == {
        "name": "Рассвет",
        "place": "с. Иглино",
        "activity": "волонтёрство",
        "leader": "Анна Смирнова",
        "phone": "89170001122",
        "email": "a@b.ru",
        "members": "12",
        "consent": "Да",
    }
    assert sheet.unmapped == []


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("ФИО руководителя", "leader"),
        ("Телефон руководителя", "phone"),
        ("Кол-во участников", "members"),
        ("Согласие на обработку ПД", "consent"),
        ("Эл. адрес", "email"),
        ("Адрес электронной почты", "email"),
        ("Год основания", "founded"),
        ("Наименование объединения", "name"),
        ("Назание", "name"),  # a typo
    ],
)
def test_odd_headers_map_to_their_field(header: str, field: str) -> None:
    sheet = sheet_read(data=f"Название сообщества;{header}\nТОС;x\n".encode(), file_name="x.csv")
    if field == "name":
        sheet = sheet_read(data=f"{header};Сфера\nТОС;ТОС\n".encode(), file_name="x.csv")
        assert _fields(sheet)[header] == ("name",)
    else:
        assert _fields(sheet)[header] == (field,)


def test_combined_columns_are_split() -> None:
    text = (
        "Сообщество (населённый пункт);Руководитель, телефон;ФИО, должность\n"
        "Росинка (с. Иглино);Иванова М.П., 8 917 123-45-67;Петрова Анна, председатель\n"
        "Клуб «Ладья», д. Шакша;Сидоров Иван тел. +79171112233;Гусев И.И.\n"
    )

    sheet = sheet_read(data=text.encode(), file_name="x.csv")

    first, second = (row.values for row in sheet.rows)
    assert (first["name"], first["place"], first["phone"]) == ("Росинка", "с. Иглино", "8 917 123-45-67")
    assert first["leader"] == "Иванова М.П."  # the first column of a person wins; the second is raw
    assert (second["name"], second["place"]) == ("Клуб «Ладья»", "д. Шакша")
    assert second["phone"] == "+79171112233"
    assert all(not row.problems for row in sheet.rows)


def test_a_combined_cell_that_cannot_be_split_is_a_row_problem() -> None:
    sheet = sheet_read(data="Сообщество (населённый пункт);Сфера\nРосинка;ТОС\n".encode(), file_name="x.csv")

    assert sheet.rows[0].values["name"] == "Росинка"
    assert [problem.code for problem in sheet.rows[0].problems] == ["combined_cell_unsplit"]
    assert "Строка 2" in sheet.rows[0].problems[0].message


def test_a_column_without_a_known_header_is_mapped_by_its_cells() -> None:
    text = "Название;Кому звонить\nТОС «Заря»;89171234567\nКлуб;+7 917 765-43-21\n"

    sheet = sheet_read(data=text.encode(), file_name="x.csv")

    column = sheet.columns[1]
    assert (column.fields, column.how) == (("phone",), "content")


def test_field_looking_data_under_an_unknown_header_is_named_not_dropped() -> None:
    text = "Название;Телефон;Телефон 2\nТОС «Заря»;89171234567;89170000000\n"

    sheet = sheet_read(data=text.encode(), file_name="x.csv")

    assert [problem.code for problem in sheet.unmapped] == []  # a second phone column: kept raw
    assert sheet.columns[2].how == "duplicate"
    assert sheet.rows[0].raw["Телефон 2"] == "89170000000"
    text = "Название;ФИО;Х\nТОС «Заря»;Петров Пётр;Иванова Мария Петровна\n"
    sheet = sheet_read(data=text.encode(), file_name="x.csv")
    assert [problem.code for problem in sheet.unmapped] == ["column_unmapped"]
    assert "«Х»" in sheet.unmapped[0].message


def test_other_unmapped_columns_are_kept_in_the_raw_values() -> None:
    text = "Название;Любимый цвет\nТОС «Заря»;синий\n"

    sheet = sheet_read(data=text.encode(), file_name="x.csv")

    assert sheet.unmapped == []
    assert sheet.unknown_headers == ["Любимый цвет"]
    assert sheet.rows[0].raw["Любимый цвет"] == "синий"


def test_an_explicit_mapping_wins_and_is_checked() -> None:
    text = "Что;Где;Кто\nТОС «Заря»;Иглино;Иванова Мария Петровна\n"

    sheet = sheet_read(
        data=text.encode(), file_name="x.csv", mapping={"Что": "name", "Где": "place", "C": "skip"}
    )

    assert [column.fields for column in sheet.columns] == [("name",), ("place",), ()]
    assert sheet.unmapped == []
    for mapping, code in (
        ({"Нет такого": "name"}, "mapping_column_unknown"),
        ({"Что": "name", "Где": "name"}, "mapping_field_twice"),
        ({"Что": "цвет"}, "mapping_field_unknown"),
    ):
        with pytest.raises(DomainError) as error:
            sheet_read(data=text.encode(), file_name="x.csv", mapping=mapping)
        assert error.value.items[0].code == code


@pytest.mark.parametrize(
    ("text", "read"),
    [
        *[(value, True) for value in ("+", "да", "Да.", "ДА", "согласен", "Согласна", "✓", "v", "V", "1", "TRUE", "x", "х", "yes", "есть")],
        *[(value, False) for value in ("", "нет", "Нет", "-", "0", "FALSE", "  ")],
        *[(value, None) for value in ("может быть", "?", "позвоню", "см. бумагу")],
    ],
)  # fmt: skip
def test_consent_values(text: str, read: bool | None) -> None:
    assert consent_read(text) is read
