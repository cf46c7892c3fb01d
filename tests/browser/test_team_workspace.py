"""The team workspace in a real browser (Debian chromium): a lead invites a member who signs up and
signs in; the new member's checklist; the district list with filters; bulk verification with one
piece of evidence; a fair marked held and counted by /programme/; a village placed on the map and a
hidden-location community moving to it."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from fairs.services.fairs import fair_create
from geo.models import POINT_SOURCE_TEAM, Settlement
from registry.models import Community, Evidence, TeamMembership
from tests.browser.conftest import Recorder
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, municipality, sphere, team_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
IGLINO = "80628000"


def _sign_in(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _no_errors(recorder: Recorder) -> None:
    """No page error and no failed request, but the background tiles' (no network in tests)."""
    assert not [
        error
        for error in recorder.console_errors
        if "tile.openstreetmap" not in error and "ERR_NAME_NOT_RESOLVED" not in error
    ]


def test_a_lead_invites_a_member_who_sets_a_password_and_signs_in(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path
) -> None:
    lead = team_member(IGLINO, username="lead")
    TeamMembership.objects.filter(user=lead).update(is_lead=True)
    _sign_in(page, live_server, lead)

    page.goto(f"{live_server.url}/team/members/")
    page.fill("input.select-filter", "игл")  # the municipality search above the list
    assert page.locator("#id_municipality").input_value() == str(municipality(IGLINO).pk)
    page.select_option("#id_team_role", "administration")
    page.fill("#id_email", "new.member@example.org")
    page.click("button:has-text('Пригласить')")
    page.wait_for_selector("text=Приглашение отправлено")
    page.screenshot(path=str(screenshots / "team-invite.png"), full_page=True)
    link = re.search(r"https?://\S+/join/\S+/", str(mail.outbox[-1].body))
    assert link is not None

    page.context.clear_cookies()
    page.goto(link.group(0))
    page.fill("#id_full_name", "Мария Иванова")
    page.fill("#id_password", "sosna-bereza-2026")
    page.fill("#id_password_again", "sosna-bereza-2026")
    page.click("button:has-text('Задать пароль и войти')")
    page.wait_for_selector("h1:has-text('Рабочее место команды')")
    page.click("button:has-text('Выйти')")

    page.goto(f"{live_server.url}/login/")  # the first sign-in with the password they chose
    page.fill("#id_username", "new.member@example.org")
    page.fill("#id_password", "sosna-bereza-2026")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("text=С чего начать")
    assert TeamMembership.objects.get(user__username="new.member@example.org").team_role == "administration"
    _no_errors(recorder)


def test_a_new_members_checklist_and_the_district_list_with_filters(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path
) -> None:
    member = team_member(IGLINO, username="member")
    iglino = municipality(IGLINO)
    community(
        name="Клуб «Лыжня»",
        municipality=iglino,
        location=Point(56.40, 54.80, srid=4326),
        sphere=sphere("sport"),
    )
    community(
        name="ТОС «Рассвет»",
        municipality=iglino,
        location=Point(56.41, 54.81, srid=4326),
        status=Community.Status.PROPOSED,
    )
    _sign_in(page, live_server, member)

    page.goto(f"{live_server.url}/team/")
    checklist = page.locator("ol.checklist")
    assert checklist.locator("li.done").count() == 1  # communities added
    assert "Запланируйте ярмарку сообществ" in checklist.inner_text()
    page.screenshot(path=str(screenshots / "team-home.png"), full_page=True)
    page.click("a:has-text('ждут проверки: 1')")

    rows = page.locator("table.table tbody tr")
    assert rows.count() == 1
    assert "Рассвет" in rows.inner_text()
    page.select_option("#id_status", "")
    page.select_option("#id_sphere", label="Спортивное")
    page.click("form.filters button[type=submit]")
    assert page.locator("table.table tbody tr").count() == 1
    assert "Лыжня" in page.locator("table.table tbody").inner_text()
    page.fill("#id_q", "расвет")  # a typo
    page.select_option("#id_sphere", label="любая")
    page.click("form.filters button[type=submit]")
    assert "Рассвет" in page.locator("table.table tbody").inner_text()
    page.screenshot(path=str(screenshots / "team-district.png"), full_page=True)
    _no_errors(recorder)


def test_bulk_verification_with_one_evidence(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path
) -> None:
    member = team_member(IGLINO, username="member")
    iglino = municipality(IGLINO)
    names = ["ТОС «Первый»", "ТОС «Второй»", "ТОС «Третий»"]
    for number, name in enumerate(names):
        community(
            name=name,
            municipality=iglino,
            location=Point(56.40 + number / 100, 54.80, srid=4326),
            status=Community.Status.PROPOSED,
        )
    _sign_in(page, live_server, member)

    page.goto(f"{live_server.url}/team/communities/?status=proposed")
    for name in names:
        page.check(f"input[aria-label='Отметить {name}']")
    page.select_option("#bulk-action", "verify")
    page.click("button:has-text('Далее')")
    page.wait_for_selector("text=Отметьте каждое сообщество")
    page.check("label:has-text('ТОС «Первый»')")
    page.check("label:has-text('ТОС «Второй»')")
    page.fill("#id_text", "Все представили свою работу на ярмарке 15 июня")
    page.screenshot(path=str(screenshots / "team-bulk-verify.png"), full_page=True)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("text=Подтверждено 2 сообщества.")

    statuses = dict(Community.objects.values_list("name", "status"))
    assert statuses == {"ТОС «Первый»": "verified", "ТОС «Второй»": "verified", "ТОС «Третий»": "proposed"}
    assert Evidence.objects.filter(text__startswith="Все представили").count() == 2
    _no_errors(recorder)


def test_marking_a_fair_held_and_the_programme_page_counting_it(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path
) -> None:
    call_command("seed_programme", stdout=StringIO())
    member = team_member(IGLINO, username="member")
    fair = fair_create(
        user=member, municipality=municipality(IGLINO), date=timezone.localdate() - dt.timedelta(days=1)
    )
    _sign_in(page, live_server, member)

    page.goto(f"{live_server.url}/team/fairs/{fair.pk}/")
    assert page.locator(f"a[href='/fairs/{fair.pk}/poster/']").count() == 1
    page.fill("#id_participants", "112")
    page.click("button:has-text('Отметить проведённой')")
    page.wait_for_selector("text=Ярмарка отмечена проведённой")
    assert page.locator("ol.steps li.done").filter(has_text="Проведена").count() == 1
    page.screenshot(path=str(screenshots / "team-fair-held.png"), full_page=True)

    page.goto(f"{live_server.url}/programme/")
    fairs_row = page.locator("tr", has=page.locator("th", has_text="Ярмарок сообществ проведено"))
    participants_row = page.locator("tr", has=page.locator("th", has_text="Участников ярмарок"))
    assert fairs_row.first.locator("td").first.inner_text() == "1"
    assert participants_row.first.locator("td").first.inner_text() == "112"
    _no_errors(recorder)


def test_placing_a_village_moves_a_hidden_location_community_to_it(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path, request: pytest.FixtureRequest
) -> None:
    member = team_member(IGLINO, username="member")
    village = Settlement.objects.filter(municipality__oktmo=IGLINO, point__isnull=True).order_by("oktmo")[0]
    source = village.source
    # the session's gazetteer outlives a transactional test's flush: put the village back as it was
    request.addfinalizer(
        lambda: Settlement.objects.filter(pk=village.pk).update(
            point=None, source=source, point_set_by=None, point_set_at=None
        )
    )
    hidden = community(
        name="Клуб «Скрытный»", municipality=municipality(IGLINO), location=Point(56.40, 54.80, srid=4326),
        hide_exact_location=True, settlement=village,
    )  # fmt: skip
    _sign_in(page, live_server, member)

    page.goto(f"{live_server.url}/team/settlements/")
    page.click(f"a[href='/team/settlements/{village.pk}/'] >> nth=0")
    page.locator("[data-point-picker]").scroll_into_view_if_needed()  # built when it comes near the view
    page.wait_for_selector("[data-point-picker].leaflet-container")
    page.locator("[data-point-picker]").click()  # a click on the map fills the coordinates
    assert page.locator("#id_lon").input_value() != ""
    page.fill("#id_lon", "56.35")  # then corrected to the exact place
    page.fill("#id_lat", "54.78")
    page.click("button:has-text('Сохранить точку')")
    page.wait_for_selector("text=сохранена")
    village.refresh_from_db()
    assert village.source == POINT_SOURCE_TEAM
    assert village.point_set_by == member

    page.goto(f"{live_server.url}{hidden.get_absolute_url()}")
    summary = page.locator("#community-map-summary")
    assert "показан населённый пункт" in summary.inner_text()
    assert summary.get_attribute("data-precision") == "settlement"
    place = (float(summary.get_attribute("data-lat") or 0), float(summary.get_attribute("data-lon") or 0))
    assert place == (54.78, 56.35)
    page.screenshot(path=str(screenshots / "team-village-community.png"), full_page=True)
    _no_errors(recorder)
