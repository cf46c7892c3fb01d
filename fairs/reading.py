"""Reading typed-up fair sheets: CSV (UTF-8, UTF-8 with BOM or cp1251; `;`, `,` or tab) and XLSX.

Everything that can go wrong with the file as a whole is a DomainError naming what was expected;
rows come back with the row numbers a person sees in the spreadsheet. The header row is found
(fairs.intake.columns) and every column mapped to a field before a row is read."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from fairs.intake.columns import HEADER_SEARCH_ROWS, Column, columns_map, header_find, unmapped_problems
from fairs.intake.combined import split_cell
from geo.errors import DomainError, ErrorItem

ACCEPTED = ".csv, .xlsx"
_NOT_WORD = re.compile(r"[^\w]+")


def header_fold(header: object) -> str:
    """«  Нас. пункт* » → «нас пункт»; «E-mail:» → «e mail»; «Населённый пункт» → «населенный пункт»."""
    text = str(header or "").lower().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass
class SheetRow:
    number: int  # as a person sees it in the spreadsheet
    values: dict[str, str]  # by field (fairs.intake.fields)
    raw: dict[str, str]  # by header as written: every cell, mapped or not
    problems: list[ErrorItem] = field(default_factory=list)  # combined cells that would not split


@dataclass
class Sheet:
    headers: list[str]  # as written (a two-row header joined)
    columns: list[Column]
    rows: list[SheetRow]
    header_row: int = 1  # the (upper) header row as a person sees it
    blank_rows: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def unmapped(self) -> list[ErrorItem]:
        return unmapped_problems(self.columns)

    @property
    def unknown_headers(self) -> list[str]:
        return [
            column.label
            for column in self.columns
            if not column.fields and column.how != "header" and column.header
        ]


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


def sheet_read(
    *,
    data: bytes,
    file_name: str,
    mapping: dict[str, str] | None = None,
    remembered: Callable[[list[str]], dict[str, str]] | None = None,
) -> Sheet:
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
    return _sheet(table, mapping, remembered)


def _sheet(
    table: list[list[str]],
    mapping: dict[str, str] | None,
    remembered: Callable[[list[str]], dict[str, str]] | None,
) -> Sheet:
    if not any(cell.strip() for cells in table for cell in cells):
        raise _fail(_("В файле нет ни одной заполненной ячейки"), "file_empty")
    header = header_find(table)
    if header is None:
        first = next(cells for cells in table if any(cell.strip() for cell in cells))
        raise _fail(
            _(
                "Не найдена строка заголовков (среди первых {} строк): нет столбца с названием сообщества. "
                "Первая заполненная строка: {}. Ожидается, например: {}"
            ).format(
                HEADER_SEARCH_ROWS,
                ", ".join(f"«{cell.strip()[:40]}»" for cell in first if cell.strip()) or "—",
                ", ".join(
                    f"«{header}»" for header in ("Название сообщества", "Сообщество", "Название", "Name")
                ),
            ),
            "name_column_missing",
        )
    start = header.row - 1 + header.rows
    data_rows = table[start:]
    if len(data_rows) > settings.FAIRS_IMPORT_MAX_ROWS:
        raise _fail(
            _("Слишком много строк: допустимо до {}").format(settings.FAIRS_IMPORT_MAX_ROWS), "too_many_rows"
        )
    filled = [cells for cells in data_rows if any(cell.strip() for cell in cells)]
    if not filled:
        raise _fail(
            _("В файле только заголовки (строка {}), строк с заявками нет").format(header.row), "header_only"
        )
    headers = header.headers
    explicit = {**(remembered(headers) if remembered else {}), **(mapping or {})}
    columns = columns_map(headers=headers, data=filled, explicit=explicit)
    if not any("name" in column.fields for column in columns):
        raise _fail(
            _("Нет столбца с названием сообщества. Найдены столбцы: {}. Ожидается один из: {}").format(
                ", ".join(f"«{header}»" for header in headers if header) or "—",
                ", ".join(
                    f"«{header}»" for header in ("Название сообщества", "Сообщество", "Название", "Name")
                ),
            ),
            "name_column_missing",
        )
    sheet = Sheet(headers=headers, columns=columns, rows=[], header_row=header.row)
    if header.row > 1 or header.rows > 1:
        sheet.warnings.append(
            _("Заголовки найдены в строке {}{}; строки выше пропущены").format(
                header.row, _(" (в двух строках)") if header.rows > 1 else ""
            )
        )
    names = [
        header_text if header_text else f"column_{position + 1}"
        for position, header_text in enumerate(headers)
    ]
    for index, cells in enumerate(data_rows, start=start + 1):
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
        row = SheetRow(index, {}, {})
        for position, cell in enumerate(cells):
            row.raw[names[position] if position < len(names) else f"column_{position + 1}"] = cell
        for column in columns:
            cell = cells[column.position].strip() if column.position < len(cells) else ""
            if len(column.fields) == 1:
                row.values.setdefault(column.fields[0], cell)
            elif column.fields:
                split = split_cell(cell, column.fields)
                if split is None:
                    split = {column.fields[0]: cell}
                    row.problems.append(
                        ErrorItem(
                            column.fields[1],
                            _("Строка {}, столбец «{}»: не удалось разделить «{}» на {}").format(
                                index, column.label, cell[:60], column.field_names
                            ),
                            "combined_cell_unsplit",
                        )
                    )
                for name, value in split.items():
                    row.values.setdefault(name, value)
        sheet.rows.append(row)
    return sheet
