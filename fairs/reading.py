"""Reading typed-up fair sheets: CSV (UTF-8, UTF-8 with BOM or cp1251; `;`, `,` or tab) and XLSX.

Everything that can go wrong with the file as a whole is a DomainError naming what was expected;
rows come back with the row numbers a person sees in the spreadsheet (the header is row 1)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem

ACCEPTED = ".csv, .xlsx"
# Canonical column → the headers people write for it (folded: lower case, ё→е, no punctuation).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("название сообщества", "сообщество", "название", "name", "наименование", "название объединения"),
    "sphere": ("сфера", "направление", "сфера деятельности", "sphere", "направление деятельности"),
    "municipality": (
        "муниципалитет",
        "район",
        "мо",
        "municipality",
        "муниципальный район",
        "городской округ",
    ),
    "place": (
        "населенный пункт",
        "нас пункт",
        "адрес",
        "settlement",
        "address",
        "населенный пункт адрес",
        "место",
    ),
    "leader": ("фио лидера", "руководитель", "контактное лицо", "leader", "лидер", "фио"),
    "phone": ("телефон", "тел", "phone", "контактный телефон", "моб телефон"),
    "email": ("e mail", "email", "эл почта", "почта", "электронная почта"),
    "members": ("численность", "количество участников", "участников", "members", "число участников"),
    "founded": ("год создания", "founded", "год основания"),
    "comment": ("комментарий", "примечание", "comment"),
    "consent": ("согласие", "согласие на обработку", "согласие на обработку персональных данных", "consent"),
}
_HEADER_INDEX = {synonym: column for column, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms}
_NOT_WORD = re.compile(r"[^\w]+")


def header_fold(header: object) -> str:
    """«  Нас. пункт* » → «нас пункт»; «E-mail:» → «e mail»; «Населённый пункт» → «населенный пункт»."""
    text = str(header or "").lower().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass
class Sheet:
    headers: list[str]  # as written
    columns: dict[int, str]  # position → canonical column
    rows: list[tuple[int, dict[str, str], dict[str, str]]]  # (row number, canonical values, raw by header)
    blank_rows: int = 0
    unknown_headers: list[str] = field(default_factory=list)


def _fail(message: str, code: str, field: str | None = "file") -> DomainError:
    return DomainError(ErrorItem(field, message, code))


def _decode(data: bytes) -> str:
    """Strict UTF-8 first (a cp1251 file read as UTF-8 must not turn into mojibake), then cp1251."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as error:
        raise _fail(
            _("Файл не в кодировке UTF-8 и не в Windows-1251: непонятный байт 0x{:02x} в позиции {}").format(
                data[error.start], error.start
            ),
            "encoding_unknown",
        ) from error


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise _fail(_("Файл содержит нулевые байты (NUL): это не текстовая таблица"), "file_has_nul")
    sample = text[:20_000]
    first_line = sample.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in ";,\t"}
    delimiter = max(
        counts, key=lambda key: counts[key]
    )  # the header row decides; ; wins ties (Russian Excel)
    dialect = type("SheetDialect", (csv.excel,), {"delimiter": delimiter})
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as error:
        raise _fail(_("CSV не читается: {}").format(error), "csv_invalid") from error


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # defusedxml is installed: openpyxl uses it for every XML part

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile as error:
        raise _fail(_("Файл .xlsx повреждён или это не .xlsx"), "xlsx_invalid") from error
    if unpacked > settings.FAIRS_IMPORT_MAX_UNPACKED_BYTES:
        raise _fail(
            _("Файл .xlsx распаковывается в {} МБ (допустимо до {} МБ): похоже на «zip-бомбу»").format(
                unpacked // 2**20, settings.FAIRS_IMPORT_MAX_UNPACKED_BYTES // 2**20
            ),
            "xlsx_too_large_unpacked",
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken files; all mean the same to a person
        raise _fail(_("Файл .xlsx не читается: {}").format(type(error).__name__), "xlsx_invalid") from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared dimensions may lie: read what is there
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(["" if value is None else str(value) for value in values])
            if len(rows) > settings.FAIRS_IMPORT_MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def sheet_read(*, data: bytes, file_name: str) -> Sheet:
    """Read the first sheet of a CSV or XLSX file; every whole-file problem is a clear error."""
    if not data:
        raise _fail(_("Файл пустой"), "file_empty")
    if len(data) > settings.FAIRS_IMPORT_MAX_BYTES:
        raise _fail(_("Файл больше {} МБ").format(settings.FAIRS_IMPORT_MAX_BYTES // 2**20), "file_too_large")
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    is_zip = data[:4] == b"PK\x03\x04"
    if suffix == "xlsx" or (not suffix and is_zip):
        if not is_zip:
            raise _fail(_("Файл назван .xlsx, но это не таблица Excel"), "xlsx_invalid")
        table = _xlsx_rows(data)
    elif suffix in {"csv", "txt"}:
        table = _csv_rows(data)
    else:
        raise _fail(
            _(
                "Формат «{}» не поддерживается: принимаются {} (старый .xls и .ods сохраните как .xlsx)"
            ).format(suffix or _("без расширения"), ACCEPTED),
            "format_unsupported",
        )
    return _sheet(table)


def _sheet(table: list[list[str]]) -> Sheet:
    if not table or not any(cell.strip() for cell in table[0]):
        raise _fail(_("В первой строке нет заголовков столбцов"), "header_missing")
    headers = [cell.strip() for cell in table[0]]
    columns: dict[int, str] = {}
    unknown: list[str] = []
    for position, header in enumerate(headers):
        column = _HEADER_INDEX.get(header_fold(header))
        if column and column not in columns.values():
            columns[position] = column
        elif header:
            unknown.append(header)
    if "name" not in columns.values():
        raise _fail(
            _("Нет столбца с названием сообщества. Найдены столбцы: {}. Ожидается один из: {}").format(
                ", ".join(f"«{header}»" for header in headers if header) or "—",
                ", ".join(
                    f"«{header}»" for header in ("Название сообщества", "Сообщество", "Название", "Name")
                ),
            ),
            "name_column_missing",
        )
    data_rows = table[1:]
    if len(data_rows) > settings.FAIRS_IMPORT_MAX_ROWS:
        raise _fail(
            _("Слишком много строк: допустимо до {}").format(settings.FAIRS_IMPORT_MAX_ROWS), "too_many_rows"
        )
    sheet = Sheet(headers=headers, columns=columns, rows=[], unknown_headers=unknown)
    for index, cells in enumerate(data_rows, start=2):
        if not any(cell.strip() for cell in cells):
            sheet.blank_rows += 1
            continue
        for position, cell in enumerate(cells):
            if len(cell) > settings.FAIRS_IMPORT_MAX_CELL_CHARS:
                raise _fail(
                    _("Строка {}, столбец «{}»: ячейка длиннее {} символов").format(
                        index,
                        headers[position] if position < len(headers) else position + 1,
                        settings.FAIRS_IMPORT_MAX_CELL_CHARS,
                    ),
                    "cell_too_long",
                    f"rows[{index}]",
                )
        values = {
            column: (cells[position].strip() if position < len(cells) else "")
            for position, column in columns.items()
        }
        raw = {
            (
                headers[position]
                if position < len(headers) and headers[position]
                else f"column_{position + 1}"
            ): cell
            for position, cell in enumerate(cells)
        }
        sheet.rows.append((index, values, raw))
    return sheet
