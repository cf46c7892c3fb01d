"""The coordinator's dashboard: the pace rule, who may open it, each figure and the list behind it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from registry.models import Community, Programme
from registry.selectors.cockpit import Pace, PaceState
from registry.selectors.programme import Measure
from tests.cockpit.conftest import logged_in
from tests.registry.factories import IGLINO, community, municipality, team_member

pytestmark = pytest.mark.django_db
DASHBOARD = "/programme/dashboard/"


@pytest.mark.parametrize(
    ("value", "state"),
    [
        (50, PaceState.GREEN),
        (49, PaceState.AMBER),
        (38, PaceState.AMBER),
        (37, PaceState.RED),
        (0, PaceState.RED),
    ],
)
def test_pace_compares_a_value_with_the_share_of_the_period_past(value: int, state: PaceState) -> None:
    # 10 days of 20 are past: 50 of 100 is expected; amber down to 75 % of it (37.5)
    pace = Pace(date(2026, 1, 1), date(2026, 1, 20), today=date(2026, 1, 10))
    assert pace.state(Measure(value, 100)) == state


def test_pace_expects_nothing_before_the_start_and_everything_after_the_end() -> None:
    before = Pace(date(2026, 1, 1), date(2026, 12, 31), today=date(2025, 12, 1))
    after = Pace(date(2026, 1, 1), date(2026, 12, 31), today=date(2027, 3, 1))
    assert before.state(Measure(0, 10)) == PaceState.GREEN
    assert after.state(Measure(9, 10)) == PaceState.AMBER
    assert after.state(Measure(10, 10)) == PaceState.GREEN
    assert before.state(Measure(0, 0)) is None


def test_dashboard_asks_to_sign_in_and_hides_from_team_members(client: Client, programme: Programme) -> None:
    assert client.get(DASHBOARD).status_code == 302
    assert logged_in(team_member("80701000")).get(DASHBOARD).status_code == 404


def test_dashboard_opens_for_a_coordinator_without_staff_status(
    programme: Programme, programme_coordinator: User
) -> None:
    assert not programme_coordinator.is_staff
    response = logged_in(programme_coordinator).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Правило цвета" in html
    assert "75 % ожидаемого" in html


def test_dashboard_row_counts_what_the_programme_page_counts_and_links_to_the_lists(
    programme: Programme, programme_coordinator: User
) -> None:
    community(name="ТОС «Раз»")
    community(name="ТОС «Два»")
    community(name="ТОС «Черновик»", status=Community.Status.PROPOSED)
    community(
        name="ТОС «Иглино»",
        municipality=municipality("80628000"),
        location=IGLINO,
        status=Community.Status.PROPOSED,
    )
    client = logged_in(programme_coordinator)
    html = client.get(DASHBOARD).content.decode()
    ufa = municipality("80701000")
    row = re.search(rf'<tr id="m-{ufa.pk}".*?</tr>', html, re.S)
    assert row is not None
    assert '<a href="/m/ufa/">2</a> из 5' in row.group(0)  # 10 split over 2 municipalities
    pending_link = f'<a href="/programme/pending/?municipality={ufa.pk}">1</a>'
    assert pending_link in row.group(0)
    pending = client.get(f"/programme/pending/?municipality={ufa.pk}").content.decode()
    assert "ТОС «Черновик»" in pending
    assert "ТОС «Иглино»" not in pending
    assert "муниципальная команда" in pending  # the source column


def test_a_municipality_behind_pace_is_red_and_its_red_figure_links_to_its_list(
    programme: Programme, programme_coordinator: User
) -> None:
    programme.starts_on = timezone.localdate() - timedelta(days=300)
    programme.ends_on = timezone.localdate() + timedelta(days=300)
    programme.save()
    community(name="ТОС «Один»")  # 1 of 5 in Уфа at half-time: red; Иглино 0 of 5: red
    html = logged_in(programme_coordinator).get(DASHBOARD).content.decode()
    iglino = municipality("80628000")
    row = re.search(rf'<tr id="m-{iglino.pk}" class="row-red".*?</tr>', html, re.S)
    assert row is not None
    cell = re.search(r'<td class="pace-red" data-state="red"><a href="([^"]+)">0</a>', row.group(0))
    assert cell is not None
    assert cell.group(1) == iglino.get_absolute_url()


def test_dashboard_sorts_by_a_column_both_ways(programme: Programme, programme_coordinator: User) -> None:
    for number in range(3):
        community(name=f"ТОС «Иглино-{number}»", municipality=municipality("80628000"), location=IGLINO)
    client = logged_in(programme_coordinator)

    def order(query: str) -> list[str]:
        html = client.get(DASHBOARD + query).content.decode()
        return re.findall(r'<tr id="m-\d+"[^>]*data-municipality="([^"]+)"', html)

    assert order("?sort=communities&order=desc") == ["Иглинский район", "Уфа"]
    assert order("?sort=communities&order=asc") == ["Уфа", "Иглинский район"]


def test_pending_list_keeps_proposals_outside_the_programme_apart(
    programme: Programme, programme_coordinator: User
) -> None:
    community(name="ТОС «Уфимский»", status=Community.Status.PROPOSED)
    community(name="ТОС «Бирский»", municipality=municipality("80613000"), status=Community.Status.PROPOSED)
    client = logged_in(programme_coordinator)
    inside = client.get("/programme/pending/").content.decode()
    assert "ТОС «Уфимский»" in inside
    assert "ТОС «Бирский»" not in inside
    assert "Ещё 1 — вне муниципалитетов программы" in inside
    outside = client.get("/programme/pending/?scope=outside").content.decode()
    assert "ТОС «Бирский»" in outside
    assert "ТОС «Уфимский»" not in outside


def test_lapsing_counts_and_list_agree(programme: Programme, programme_coordinator: User) -> None:
    today = timezone.localdate()
    community(name="ТОС «Скоро»", verified_until=today + timedelta(days=10))
    community(name="ТОС «Позже»", verified_until=today + timedelta(days=50))
    community(name="ТОС «Не скоро»", verified_until=today + timedelta(days=200))
    client = logged_in(programme_coordinator)
    ufa = municipality("80701000")
    html = client.get(DASHBOARD).content.decode()
    links = re.findall(rf'programme/lapsing/\?municipality={ufa.pk}&amp;days=(\d+)"[^>]*>(\d+)</a>', html)
    assert links == [("30", "1"), ("60", "2"), ("90", "2")]
    listed = client.get(f"/programme/lapsing/?municipality={ufa.pk}&days=60").content.decode()
    assert "ТОС «Скоро»" in listed
    assert "ТОС «Позже»" in listed
    assert "ТОС «Не скоро»" not in listed


def test_team_list_names_the_municipalities_without_a_team(
    programme: Programme, programme_coordinator: User
) -> None:
    team_member("80701000")
    html = logged_in(programme_coordinator).get("/programme/team/").content.decode()
    assert "Муниципалитетов без команды: 1" in html or "1 муниципалитет без команды" in html
    assert "Иглинский район" in html
