from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from fairs.reading import header_fold, sheet_read
from geo.errors import DomainError

HEADER = "Название сообщества;Сфера;Населённый пункт\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _code(data: bytes, name: str) -> str:
    with pytest.raises(DomainError) as error:
        sheet_read(data=data, file_name=name)
    assert error.value.items[0].message
    return error.value.items[0].code


@pytest.mark.parametrize(
    ("header", "folded"),
    [
        ("  Нас. пункт* ", "нас пункт"),
        ("E-mail:", "e mail"),
        ("Населённый пункт", "населенный пункт"),
        ("ТЕЛ.", "тел"),
    ],
)
def test_header_fold(header: str, folded: str) -> None:
    assert header_fold(header) == folded


def test_headers_are_recognised_regardless_of_case_spaces_yo_and_stars() -> None:
    data = " НАЗВАНИЕ  *;сфера деятельности:;Населённый пункт;Тел.;Эл. почта;Кол-во\nТОС;ТОС;Иглино;89173456789;a@b.ru;5\n"

    sheet = sheet_read(data=data.encode(), file_name="x.csv")

    assert [column.fields for column in sheet.columns] == [
        ("name",),
        ("sphere",),
        ("place",),
        ("phone",),
        ("email",),
        ("members",),
    ]
    assert sheet.unknown_headers == []
    assert sheet.rows[0].number == 2  # the spreadsheet row number a person sees


def test_cp1251_is_read_without_mojibake() -> None:
    data = (HEADER + "ТОС «Рассвет»;ТОС;с. Иглино\n").encode("cp1251")

    sheet = sheet_read(data=data, file_name="x.csv")

    assert sheet.rows[0].values["name"] == "ТОС «Рассвет»"


def test_utf8_with_bom_and_comma_or_tab_delimiters() -> None:
    for delimiter in (",", "\t", ";"):
        text = HEADER.replace(";", delimiter) + delimiter.join(["ТОС Заря", "ТОС", "Иглино"]) + "\n"
        sheet = sheet_read(data=b"\xef\xbb\xbf" + text.encode(), file_name="x.csv")
        assert sheet.rows[0].values == {"name": "ТОС Заря", "sphere": "ТОС", "place": "Иглино"}, delimiter


def test_blank_rows_are_skipped_and_counted() -> None:
    sheet = sheet_read(data=(HEADER + ";;\nТОС;ТОС;Иглино\n;;\n").encode(), file_name="x.csv")

    assert [row.number for row in sheet.rows] == [3]
    assert sheet.blank_rows == 2


def test_xlsx_values_are_read_not_formulas() -> None:
    data = _xlsx([["Название", "Численность"], ["ТОС «Заря»", 12], ['=HYPERLINK("http://x")', None]])

    sheet = sheet_read(data=data, file_name="sheet.xlsx")

    assert sheet.rows[0].values == {"name": "ТОС «Заря»", "members": "12"}
    # openpyxl wrote no cached value for the formula: read as values, the cell is empty, never the formula.
    assert all(not row.values["name"].startswith("=") for row in sheet.rows)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "x.csv", "file_empty"),
        (b"\xef\xbb\xbf", "x.csv", "file_empty"),
        ("Сфера;Адрес\nТОС;Иглино\n".encode(), "x.csv", "name_column_missing"),
        (b"anything", "x.xls", "format_unsupported"),
        (b"anything", "x.ods", "format_unsupported"),
        (b"anything", "x", "format_unsupported"),
        (b"not a zip", "x.xlsx", "xlsx_invalid"),
        ((HEADER + "ТОС\x00;ТОС;Иглино\n").encode(), "x.csv", "file_has_nul"),
        (b"\x98\x98\x98", "x.csv", "encoding_unknown"),
    ],
)
def test_whole_file_problems_are_clear_errors(data: bytes, name: str, code: str) -> None:
    assert _code(data, name) == code


def test_header_only_file_is_refused() -> None:
    assert _code(HEADER.encode(), "x.csv") == "header_only"
    assert _code((HEADER + ";;\n;;\n").encode(), "x.csv") == "header_only"
    assert _code(b";;\n;;\n", "x.csv") == "file_empty"


def test_missing_name_column_lists_headers_found_and_expected() -> None:
    with pytest.raises(DomainError) as error:
        sheet_read(data="Сфера;Адрес\nТОС;Иглино\n".encode(), file_name="x.csv")

    message = error.value.items[0].message
    assert "«Сфера»" in message
    assert "«Название сообщества»" in message


def test_file_over_the_size_limit_is_refused(settings: object) -> None:
    settings.FAIRS_IMPORT_MAX_BYTES = 1000  # type: ignore[attr-defined]

    assert _code((HEADER + "ТОС;ТОС;Иглино\n" * 100).encode(), "x.csv") == "file_too_large"


def test_too_many_rows_are_refused(settings: object) -> None:
    settings.FAIRS_IMPORT_MAX_ROWS = 3  # type: ignore[attr-defined]

    assert _code((HEADER + "ТОС;ТОС;Иглино\n" * 4).encode(), "x.csv") == "too_many_rows"


def test_a_cell_over_the_limit_names_its_row_and_column() -> None:
    with pytest.raises(DomainError) as error:
        sheet_read(data=(HEADER + "ТОС;" + "x" * 10_001 + ";Иглино\n").encode(), file_name="x.csv")

    assert error.value.items[0].code == "cell_too_long"
    assert "Строка 2" in error.value.items[0].message
    assert "«Сфера»" in error.value.items[0].message


def test_xlsx_zip_bomb_is_refused_before_parsing(settings: object) -> None:
    settings.FAIRS_IMPORT_MAX_UNPACKED_BYTES = 1_000_000  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 5_000_000)  # compresses to a few KB

    assert _code(buffer.getvalue(), "bomb.xlsx") == "xlsx_too_large_unpacked"


def test_xml_entities_in_xlsx_are_not_expanded() -> None:
    data = _xlsx([["Название"], ["ТОС"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml" or item.filename.endswith("sheet1.xml"):
                content = (
                    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
                    + content.split(b"?>", 1)[-1]
                )
            archive.writestr(item, content)

    assert _code(buffer.getvalue(), "entities.xlsx") == "xlsx_invalid"
