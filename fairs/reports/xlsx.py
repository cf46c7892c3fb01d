"""The donor report as an XLSX workbook: a title sheet, progress with % columns and the change over
the period, one row per municipality, the indicators, and native Excel charts; every sheet laid out
for A4 landscape with its header row repeated on each printed page."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fairs.reports.data import MEASURES, ReportData, measure_labels
from registry.exports import Cell, spreadsheet_safe
from registry.models import IndicatorValue
from registry.selectors.programme import Measure

PERCENT = "0%"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")


def _cell(value: Cell) -> Cell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return spreadsheet_safe(value)


def _share(measure: Measure) -> float | None:
    """A fraction Excel shows as % (value / target); empty without a target."""
    return measure.value / measure.target if measure.target else None


def _table(sheet: Worksheet, *, headers: Sequence[str], widths: Sequence[int], start_row: int = 1) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=start_row, column=column, value=_cell(header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=start_row + 1, column=2)
    sheet.print_title_rows = f"{start_row}:{start_row}"


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.5


def _date(value: date) -> str:
    return formats.date_format(value, "d.m.Y")


def _title_sheet(sheet: Worksheet, data: ReportData) -> None:
    sheet.title = _("Титул")
    programme = data.programme
    request = data.request
    sheet["A1"] = _cell(_("Отчёт о ходе программы «{}»").format(programme.name))
    sheet["A1"].font = Font(bold=True, size=16)
    rows: list[tuple[str, Cell]] = [
        (_("Программа"), programme.name),
        (_("Регион"), programme.region.name),
        (_("Срок программы"), f"{_date(programme.starts_on)} — {_date(programme.ends_on)}"),
        (_("Отчётный период"), f"{_date(request.period_start)} — {_date(request.period_end)}"),
        (_("Данные на дату"), _("на конец дня {}").format(_date(request.as_of))),
        (_("Оператор программы"), data.operator),
        (_("Отчёт сформирован"), formats.date_format(data.generated_at, "d.m.Y H:i")),
        (_("Муниципалитетов в программе"), len(data.progress.rows)),
    ]
    for index, (label, value) in enumerate(rows, start=3):
        sheet.cell(row=index, column=1, value=_cell(label)).font = Font(bold=True)
        sheet.cell(row=index, column=2, value=_cell(value))
    notes = [
        _("Сообщество учитывается, если оно подтверждено командой и подтверждение действует на дату отчёта."),
        _(
            "Лидер учитывается, если связан хотя бы с одним таким сообществом; в итоге каждый человек — один раз."
        ),
        _("Значения на прошлую дату восстановлены по истории изменений реестра."),
        _(
            "Цели муниципалитета по сообществам, ярмаркам и участникам — равная доля цели программы, округлённая вверх."
        ),
    ]
    start = len(rows) + 4
    sheet.cell(row=start, column=1, value=_cell(_("Как считается"))).font = Font(bold=True)
    for offset, note in enumerate(notes, start=1):
        sheet.cell(row=start + offset, column=1, value=_cell(note))
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 70
    _print_setup(sheet)


def _progress_sheet(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet(_("Прогресс"))
    labels = measure_labels()
    _table(
        sheet,
        headers=[
            _("Показатель"),
            _("На начало периода"),
            _("На дату отчёта"),
            _("Изменение за период"),
            _("Цель"),
            _("% цели"),
        ],
        widths=[52, 16, 16, 16, 12, 10],
    )
    for row, key in enumerate(MEASURES, start=2):
        measure = getattr(data.progress, key)
        values = [
            labels[key],
            getattr(data.at_start, key).value,
            measure.value,
            data.change(key),
            measure.target,
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=_cell(value))
        sheet.cell(row=row, column=6, value=_share(measure)).number_format = PERCENT
    chart = BarChart()
    chart.type = "bar"
    chart.title = _("Выполнение целей на дату отчёта")
    chart.y_axis.title = _("% цели")
    chart.y_axis.numFmt = PERCENT
    chart.legend = None
    last = len(MEASURES) + 1
    chart.add_data(Reference(sheet, min_col=6, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = 8, 22
    sheet.add_chart(chart, f"A{last + 3}")
    _print_setup(sheet)


def _municipality_sheet(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet(_("По муниципалитетам"))
    pairs = [
        ("communities", _("Сообществ")),
        ("leaders", _("Лидеров")),
        ("fairs", _("Ярмарок")),
        ("fair_participants", _("Участников")),
    ]
    headers = [_("Муниципалитет"), _("Регион"), _("ОКТМО")]
    widths = [28, 22, 11]
    for _key, label in pairs:
        headers += [label, _("Цель"), _("%")]
        widths += [11, 8, 7]
    headers.append(_("Карта сообществ"))
    widths.append(10)
    _table(sheet, headers=headers, widths=widths)
    yes, no = _("есть"), _("нет")
    rows = [
        (
            row.municipality.name,
            row.municipality.region.name,
            row.municipality.oktmo,
            row,
            yes if row.has_map else no,
        )
        for row in data.progress.rows
    ]
    for index, (name, region, oktmo, row, has_map) in enumerate(rows, start=2):
        values: list[Cell] = [name, region, oktmo]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=index, column=column, value=_cell(value))
        column = 4
        for key, _label in pairs:
            measure = getattr(row, key)
            sheet.cell(row=index, column=column, value=measure.value)
            sheet.cell(row=index, column=column + 1, value=measure.target)
            sheet.cell(row=index, column=column + 2, value=_share(measure)).number_format = PERCENT
            column += 3
        sheet.cell(row=index, column=column, value=_cell(has_map))
    total_row = len(rows) + 2
    sheet.cell(row=total_row, column=1, value=_cell(_("Итого по программе"))).font = Font(bold=True)
    column = 4
    for key, _label in pairs:
        measure = getattr(data.progress, key)
        sheet.cell(row=total_row, column=column, value=measure.value).font = Font(bold=True)
        sheet.cell(row=total_row, column=column + 1, value=measure.target)
        sheet.cell(row=total_row, column=column + 2, value=_share(measure)).number_format = PERCENT
        column += 3
    maps = data.progress.municipalities_with_map
    sheet.cell(row=total_row, column=column, value=_cell(f"{maps.value} / {maps.target}"))
    sheet.cell(
        row=total_row + 2,
        column=1,
        value=_cell(
            _(
                "Итог по лидерам — число людей: лидер сообществ в двух муниципалитетах учитывается в каждом из них, но в итоге один раз."
            )
        ),
    )
    chart = BarChart()
    chart.title = _("Сообщества: % цели по муниципалитетам")
    chart.y_axis.numFmt = PERCENT
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=6, min_row=1, max_row=total_row - 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=total_row - 1))
    chart.height, chart.width = 9, 30
    sheet.add_chart(chart, f"A{total_row + 4}")
    _print_setup(sheet)


def _indicator_sheet(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet(_("Показатели"))
    _table(
        sheet,
        headers=[
            _("Показатель"),
            _("Единица"),
            _("Как считается по программе"),
            _("До"),
            _("После"),
            _("Изменение"),
            _("Утверждённых значений"),
        ],
        widths=[46, 10, 34, 10, 10, 12, 14],
    )
    for row, summary in enumerate(data.indicators, start=2):
        rule = (
            summary.indicator.get_aggregation_display()
            if summary.is_computed
            else _("значение по программе в целом")
        )
        values: list[Cell] = [
            summary.indicator.name,
            summary.indicator.unit,
            rule,
            summary.before,
            summary.after,
            summary.change,
            summary.approved_count,
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=_cell(value))
    start = len(data.indicators) + 4
    sheet.cell(
        row=start - 1, column=1, value=_cell(_("Значения по муниципалитетам (утверждённые координатором)"))
    ).font = Font(bold=True)
    detail_headers = [
        _("Показатель"),
        _("Муниципалитет"),
        _("Период"),
        _("Значение"),
        _("Опрошено"),
        _("Дата"),
        _("Источник"),
        _("Метод"),
    ]
    for column, header in enumerate(detail_headers, start=1):
        cell = sheet.cell(row=start, column=column, value=_cell(header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    sheet.column_dimensions["H"].width = 40
    row = start + 1
    periods = dict(IndicatorValue.Period.choices)
    for summary in data.indicators:
        for _municipality, by_period in sorted(summary.by_municipality.items()):
            for period in (IndicatorValue.Period.BEFORE, IndicatorValue.Period.AFTER):
                item = by_period.get(period)
                if item is None:
                    continue
                values = [
                    summary.indicator.name,
                    item.municipality.name,
                    str(periods[period]),
                    item.value,
                    item.weight,
                    _date(item.measured_on),
                    item.source,
                    item.method,
                ]
                for column, value in enumerate(values, start=1):
                    sheet.cell(row=row, column=column, value=_cell(value))
                row += 1
    _print_setup(sheet)


def report_xlsx(data: ReportData) -> bytes:
    workbook = Workbook()
    _title_sheet(workbook.worksheets[0], data)
    _progress_sheet(workbook, data)
    _municipality_sheet(workbook, data)
    _indicator_sheet(workbook, data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
