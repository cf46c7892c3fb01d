"""The coordinator's week in a real browser, as a coordinator without staff status: the dashboard's
sort and a red row leading to its list, a report for a past «as of» date (XLSX and PDF) checked
against a hand count of the history, an indicator entered by a team and approved, and a case whose
golden rule contains a comma."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from registry.models import Case, Indicator, IndicatorValue, Programme
from tests.browser.conftest import Recorder
from tests.cockpit.conftest import make_programme, make_timeline
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import IGLINO, community, coordinator, municipality, team_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
PASSWORD = "correct-horse-battery"  # noqa: S105 -- the factories' test password


@pytest.fixture
def programme() -> Programme:
    return make_programme()


@pytest.fixture
def boss() -> User:
    user = coordinator(username="coordinator")
    assert not user.is_staff
    assert not user.is_superuser
    return user


def _sign_in(page: Any, live_server: Any, user: User) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/team/")


def _rows(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#cockpit-table tbody tr", "rows => rows.map(row => row.dataset.municipality)"
    )


def test_dashboard_sorts_and_a_red_row_leads_to_its_list(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path, programme: Programme, boss: User
) -> None:
    today = timezone.localdate()
    programme.starts_on, programme.ends_on = today - timedelta(days=300), today + timedelta(days=300)
    programme.save()
    for number in range(5):
        community(name=f"ТОС «Уфа-{number}»")  # 5 of 5: green
    community(
        name="ТОС «Иглино»", municipality=municipality("80628000"), location=IGLINO
    )  # 1 of 5 at half-time: red
    _sign_in(page, live_server, boss)
    page.goto(f"{live_server.url}/programme/dashboard/")
    assert "Правило цвета" in page.inner_text(".pace-rule")

    page.click("#cockpit-table thead >> text=Сообщества")
    assert "sort=communities" in page.url
    assert _rows(page) == ["Иглинский район", "Уфа"]
    page.click("#cockpit-table thead >> text=Сообщества")
    assert "order=desc" in page.url
    assert _rows(page) == ["Уфа", "Иглинский район"]
    page.screenshot(path=str(screenshots / "cockpit-dashboard.png"), full_page=True)

    iglino = municipality("80628000")
    red_row = page.locator(f"#m-{iglino.pk}.row-red")
    assert red_row.count() == 1
    red_leaders = red_row.locator("td.pace-red").nth(1).locator("a")
    shown = red_leaders.inner_text()
    red_leaders.click()
    page.wait_for_url("**/team/leaders/**")
    assert "Иглинский район" in page.inner_text("h1")
    counts = page.inner_text("#leader-counts")
    assert f"лидеров: {shown}" in counts or f"Найден {shown} лидер" in counts
    assert not recorder.console_errors, recorder.console_errors


def test_report_for_a_past_date_matches_the_history_in_xlsx_and_pdf(
    live_server: Any, page: Any, recorder: Recorder, programme: Programme, boss: User
) -> None:
    make_timeline(boss)  # by hand: 31 March 1, 30 April 2 (Уфа 1, Иглино 1, 1 leader), 30 June 1
    _sign_in(page, live_server, boss)
    page.goto(f"{live_server.url}/programme/dashboard/")
    page.click("text=Отчёт для донора")
    page.fill("#period_start", "2026-04-01")
    page.fill("#period_end", "2026-06-30")
    page.fill("#as_of", "2026-04-30")
    with page.expect_download() as download:
        page.click("text=Скачать XLSX")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames == ["Титул", "Прогресс", "По муниципалитетам", "Показатели"]
    progress = workbook["Прогресс"]
    assert [progress[f"{column}2"].value for column in "BCDE"] == [1, 2, 1, 10]
    assert progress["C3"].value == 1  # leaders
    assert progress["F2"].number_format == "0%"
    assert progress._charts
    by_municipality = {
        row[0]: row[3] for row in workbook["По муниципалитетам"].iter_rows(min_row=2, values_only=True)
    }
    assert by_municipality["Уфа"] == 1
    assert by_municipality["Иглинский район"] == 1

    page.fill("#as_of", "2026-06-30")
    with page.expect_download() as download:
        page.click("text=Скачать PDF")
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert 2 <= len(reader.pages) <= 6
    text = " ".join(" ".join(page_.extract_text() for page_ in reader.pages).split())
    assert "Отчёт о ходе программы «Конструктор сообществ»" in text
    assert "на конец дня 30.06.2026" in text
    assert "Подтверждённых сообществ в муниципалитетах программы 1 1" in text  # 1 at the start, 1 on 30 June
    assert not recorder.console_errors, recorder.console_errors


def test_an_indicator_entered_by_a_team_and_approved_by_the_coordinator(
    live_server: Any, chromium: Any, page: Any, programme: Programme, boss: User
) -> None:
    indicator = Indicator.objects.create(
        programme=programme, name="Доля жителей, знающих о сообществах", unit="%"
    )
    team_user = team_member("80628000", username="iglino-team")
    team_context = chromium.new_context(locale="ru-RU")
    team_page = team_context.new_page()
    _sign_in(team_page, live_server, team_user)
    team_page.goto(f"{live_server.url}/programme/indicators/")
    team_page.select_option("#id_indicator", str(indicator.pk))
    team_page.select_option("#id_period", "before")
    team_page.fill("#id_value", "31,5".replace(",", "."))
    team_page.fill("#id_measured_on", "2026-02-10")
    team_page.fill("#id_source", "Опрос жителей")
    team_page.fill("#id_method", "Уличный опрос, 200 человек")
    team_page.click("#indicator-form button[type=submit]")
    assert "ждёт утверждения" in team_page.inner_text("#indicator-values")
    team_context.close()

    _sign_in(page, live_server, boss)
    page.goto(f"{live_server.url}/programme/indicators/")
    page.click("#indicator-values >> text=Утвердить")
    assert "утверждено" in page.inner_text("#indicator-values")
    assert IndicatorValue.objects.get().status == IndicatorValue.Status.APPROVED
    page.goto(f"{live_server.url}/programme/")
    assert "31,50 %" in page.inner_text(".programme-indicators")


def test_a_case_with_a_comma_in_a_golden_rule(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path, programme: Programme, boss: User
) -> None:
    club = community(name="ТОС «Рассвет»")
    _sign_in(page, live_server, boss)
    page.goto(f"{live_server.url}/programme/cases/")
    page.fill("#case-community", "Рассвет")
    page.click("main form[role=search] button")
    page.click("text=создать кейс")
    page.fill("#id_title", "Как двор стал общим")
    page.fill("#id_story", "Всё началось со двора.\n\nЧерез год двор стал другим.")
    page.fill("#rule-0", "Решаем вместе")
    page.click("text=Добавить правило")
    page.fill("#rule-1", "Встречаемся каждую среду, даже зимой")
    page.click("button[aria-label='Поднять правило 2']")
    assert page.input_value("#rule-0") == "Встречаемся каждую среду, даже зимой"
    page.click("button[value=preview]")
    assert "Через год двор стал другим." in page.inner_text("#case-preview")
    page.click("button[value=save]")
    assert Case.objects.get().golden_rules == ["Встречаемся каждую среду, даже зимой", "Решаем вместе"]
    page.click("main >> text=Опубликовать")
    assert "Опубликовать кейс?" in page.inner_text("h1")
    page.click("text=Да, опубликовать")
    page.screenshot(path=str(screenshots / "cockpit-case.png"), full_page=True)
    assert not recorder.console_errors, recorder.console_errors  # the public page below loads map tiles
    page.goto(f"{live_server.url}{club.get_absolute_url()}")
    rules = page.eval_on_selector_all(".registry-rules li", "items => items.map(item => item.textContent)")
    assert rules == ["Встречаемся каждую среду, даже зимой", "Решаем вместе"]
    assert page.locator(".registry-story p").count() == 2
