"""Spreadsheet downloads: XLSX and CSV for Russian Excel, every text cell safe from formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from registry.models import Community, Consent
from registry.selectors.programme import ProgrammeProgress

Cell = str | int | float | None

# Excel, LibreOffice and Google Sheets start a formula with these (tab and CR hide one behind blanks).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Cell) -> Cell:
    """A text cell a spreadsheet shows as text: one starting a formula gets a leading apostrophe.
    Numbers stay numbers (a negative number is not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Table:
    sheet_title: str  # Excel: at most 31 characters, none of []:*?/\
    headers: Sequence[str]
    widths: Sequence[int]  # in characters, one per column
    rows: Sequence[Sequence[Cell]]
    notes: Sequence[str] = field(default_factory=tuple)  # XLSX only, below the table: CSV stays a table


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = table.sheet_title
    sheet.append([_xlsx_cell(header) for header in table.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_cell(value) for value in row])
    if table.notes:
        sheet.append([])
        for note in table.notes:
            sheet.append([_xlsx_cell(note)])
    for index, width in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # openpyxl refuses control characters
    return spreadsheet_safe(value)


def table_csv(table: Table) -> bytes:
    """UTF-8 with BOM and `;` between fields: what Excel with Russian regional settings opens as is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(header) for header in table.headers])
    for row in table.rows:
        writer.writerow(["" if value is None else spreadsheet_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def progress_table(progress: ProgrammeProgress) -> Table:
    programme = progress.programme.name
    yes, no = _("да"), _("нет")
    rows: list[list[Cell]] = [
        [
            programme,
            row.municipality.name,
            row.municipality.oktmo,
            row.municipality.region.name,
            row.communities.value,
            row.communities.target,
            row.leaders.value,
            row.leaders.target,
            row.fairs.value,
            row.fairs.target,
            row.fair_participants.value,
            row.fair_participants.target,
            yes if row.has_map else no,
        ]
        for row in progress.rows
    ]
    with_map = progress.municipalities_with_map
    rows.append(
        [
            programme,
            _("Итого по программе"),
            None,
            None,
            progress.communities.value,
            progress.communities.target,
            progress.leaders.value,
            progress.leaders.target,
            progress.fairs.value,
            progress.fairs.target,
            progress.fair_participants.value,
            progress.fair_participants.target,
            _("{value} из {target}").format(value=with_map.value, target=with_map.target),
        ]
    )
    return Table(
        sheet_title=_("Прогресс"),
        headers=[
            _("Программа"),
            _("Муниципалитет"),
            _("ОКТМО"),
            _("Регион"),
            _("Подтверждённых сообществ"),
            _("Цель: сообществ"),
            _("Лидеров"),
            _("Цель: лидеров"),
            _("Ярмарок проведено"),
            _("Цель: ярмарок"),
            _("Участников ярмарок"),
            _("Цель: участников"),
            _("Карта сообществ"),
        ],
        widths=[28, 32, 11, 28, 14, 12, 10, 12, 12, 12, 14, 14, 12],
        rows=rows,
        notes=[
            _(
                "Лидер учитывается, если он связан хотя бы с одним подтверждённым сообществом; в итоге каждый человек учитывается один раз, поэтому итог может быть меньше суммы по муниципалитетам."
            ),
            _(
                "Цели муниципалитета по сообществам, ярмаркам и участникам — равная доля цели программы, округлённая вверх."
            ),
        ],
    )


def consent_log_table(consents: Iterable[Consent]) -> Table:
    """The consent log (журнал согласий): proof of each consent, for the operator's records."""
    return Table(
        sheet_title=_("Журнал согласий"),
        headers=[
            _("Лидер (id)"),
            _("ФИО"),
            _("ОКТМО"),
            _("На что"),
            _("Цель"),
            _("Как получено"),
            _("Источник"),
            _("Кто получил"),
            _("Когда получено"),
            _("Отозвано"),
        ],
        widths=[10, 32, 10, 22, 48, 18, 24, 18, 20, 20],
        rows=[
            [
                consent.leader_id,
                consent.leader.full_name,
                consent.leader.municipality.oktmo,
                consent.get_scope_display(),
                consent.purpose,
                consent.get_method_display(),
                consent.source,
                consent.collected_by.get_username() if consent.collected_by else "",
                timezone.localtime(consent.collected_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(consent.withdrawn_at).strftime("%Y-%m-%d %H:%M")
                if consent.withdrawn_at
                else "",
            ]
            for consent in consents
        ],
    )


def district_table(communities: Iterable[Community]) -> Table:
    """The team's district list as filtered on the page (a team may share it; no leader's data)."""
    return Table(
        sheet_title=_("Сообщества"),
        headers=[
            _("Номер"),
            _("Название"),
            _("Сфера"),
            _("Статус"),
            _("Муниципалитет"),
            _("Населённый пункт"),
            _("Адрес"),
            _("Источник"),
            _("Подтверждено до"),
            _("Причина (архив, отклонение)"),
            _("Создано"),
            _("Изменено"),
        ],
        widths=[8, 40, 24, 14, 24, 24, 30, 20, 14, 30, 12, 12],
        rows=[
            [
                community.pk,
                community.name,
                community.sphere.name if community.sphere else "",
                community.get_status_display(),
                community.municipality.name,
                str(community.settlement) if community.settlement else "",
                community.address,
                community.get_source_display(),
                community.verified_until.isoformat() if community.verified_until else "",
                community.archive_reason or community.rejection_reason,
                timezone.localtime(community.created_at).strftime("%Y-%m-%d"),
                timezone.localtime(community.updated_at).strftime("%Y-%m-%d"),
            ]
            for community in communities
        ],
    )
