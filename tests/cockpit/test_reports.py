"""The donor report: figures «as of» a past date come from the registry's history and match a hand
count of it; the XLSX has its sheets, % columns and native charts; the PDF reads back in Russian."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from fairs.reports.data import ReportRequest, report_build
from registry.models import Community, Programme
from tests.cockpit.conftest import logged_in, make_timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def timeline(programme: Programme, programme_coordinator: User) -> dict[str, Community]:
    return make_timeline(programme_coordinator)


def _counts(programme: Programme, day: date) -> tuple[int, int, dict[str, int]]:
    data = report_build(programme=programme, request=ReportRequest(date(2026, 1, 1), day, day))
    by_name = {row.municipality.name: row.communities.value for row in data.progress.rows}
    return data.progress.communities.value, data.progress.leaders.value, by_name


@pytest.mark.parametrize(
    ("day", "communities", "leaders", "ufa", "iglino"),
    [
        (date(2026, 3, 9), 0, 0, 0, 0),  # created, not yet verified
        (date(2026, 3, 31), 1, 0, 1, 0),  # A published
        (date(2026, 4, 30), 2, 1, 1, 1),  # A and B, B's leader
        (date(2026, 6, 30), 1, 1, 0, 1),  # A archived on 5 May
    ],
)
def test_report_as_of_a_past_date_matches_a_hand_count_of_the_history(
    programme: Programme,
    timeline: dict[str, Community],
    day: date,
    communities: int,
    leaders: int,
    ufa: int,
    iglino: int,
) -> None:
    assert _counts(programme, day) == (communities, leaders, {"Уфа": ufa, "Иглинский район": iglino})


def test_report_as_of_today_counts_what_the_programme_page_counts(
    programme: Programme, timeline: dict[str, Community]
) -> None:
    today = timezone.localdate()
    total, leaders, _by_name = _counts(programme, today)
    assert (total, leaders) == (1, 1)


def test_report_xlsx_has_its_sheets_percent_columns_and_charts(
    programme: Programme, programme_coordinator: User, timeline: dict[str, Community]
) -> None:
    response = logged_in(programme_coordinator).get(
        "/programme/report.xlsx",
        {"period_start": "2026-04-01", "period_end": "2026-06-30", "as_of": "2026-04-30"},
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Титул", "Прогресс", "По муниципалитетам", "Показатели"]
    title = [value for row in workbook["Титул"].iter_rows(values_only=True) for value in row if value]
    assert "01.04.2026 — 30.06.2026" in title
    assert "на конец дня 30.04.2026" in title
    progress = workbook["Прогресс"]
    assert [cell.value for cell in progress[1]] == [
        "Показатель",
        "На начало периода",
        "На дату отчёта",
        "Изменение за период",
        "Цель",
        "% цели",
    ]
    communities = [cell.value for cell in progress[2]]
    assert communities[1:5] == [1, 2, 1, 10]  # 1 on 31 March, 2 on 30 April, of 10
    assert progress["F2"].value == pytest.approx(0.2)
    assert progress["F2"].number_format == "0%"
    assert progress._charts, "a native Excel chart"
    assert workbook["По муниципалитетам"]._charts
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
    assert workbook["По муниципалитетам"].print_title_rows == "$1:$1"  # repeated on every printed page


def test_report_pdf_reads_back_in_russian(
    programme: Programme, programme_coordinator: User, timeline: dict[str, Community]
) -> None:
    response = logged_in(programme_coordinator).get("/programme/report.pdf", {"as_of": "2026-04-30"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert 2 <= len(reader.pages) <= 6
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Отчёт о ходе программы «Конструктор сообществ»" in text
    assert "Иглинский район" in text
    assert "на конец дня 30.04.2026" in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
        if "/BaseFont" in font.get_object()
    }
    assert any("DejaVu" in name for name in fonts)


def test_report_rejects_bad_dates_naming_the_field(programme: Programme, programme_coordinator: User) -> None:
    response = logged_in(programme_coordinator).get("/programme/report.xlsx", {"as_of": "30.04.2026"})
    assert response.status_code == 400
    assert "Ожидается дата ГГГГ-ММ-ДД, получено «30.04.2026»" in response.content.decode()
