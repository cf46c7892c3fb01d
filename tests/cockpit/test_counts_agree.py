"""Pages that count the same thing agree, and each count says what it counts: the registry as a
whole (home page) or the programme's municipalities (/programme/, the dashboard, the XLSX)."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from registry.models import Community, Leader, Leadership, Programme
from tests.cockpit.conftest import logged_in
from tests.registry.factories import BIRSK, IGLINO, community, municipality

pytestmark = pytest.mark.django_db


def _number(html: str, element_id: str) -> int:
    found = re.search(rf'id="{element_id}">(\d+)<', html)
    assert found is not None, element_id
    return int(found.group(1))


def test_registry_and_programme_counts_agree_across_pages(
    client: Client, programme: Programme, programme_coordinator: User
) -> None:
    ufa = [community(name=f"ТОС «Уфа-{number}»") for number in range(3)]
    community(name="ТОС «Иглино»", municipality=municipality("80628000"), location=IGLINO)
    community(name="ТОС «Бирск»", municipality=municipality("80613000"), location=BIRSK)  # outside
    community(name="ТОС «Черновик»", status=Community.Status.PROPOSED)
    person = Leader.objects.create(full_name="Петров Пётр", municipality=ufa[0].municipality)
    Leadership.objects.create(leader=person, community=ufa[0])

    home = client.get("/").content.decode()
    assert "Подтверждённых сообществ в реестре (во всех муниципалитетах)" in home
    assert _number(home, "count-registry") == 5
    assert _number(home, "count-programme") == 4

    programme_page = client.get("/programme/").content.decode()
    assert "Подтверждённых сообществ в муниципалитетах программы" in programme_page
    assert _number(programme_page, "count-programme") == 4

    coordinator = logged_in(programme_coordinator)
    dashboard = coordinator.get("/programme/dashboard/").content.decode()
    total = re.search(r"<tfoot>.*?<td[^>]*>(\d+) из (\d+)", dashboard, re.S)
    assert total is not None
    assert int(total.group(1)) == 4

    sheet = load_workbook(io.BytesIO(coordinator.get("/programme/progress.xlsx").content)).worksheets[0]
    totals = next(row for row in sheet.iter_rows(values_only=True) if "Итого по программе" in row)
    assert 4 in totals

    # the dashboard's leaders figure and the list it links to count the same people
    ufa_pk = municipality("80701000").pk
    leaders_link = re.search(
        rf'<a href="(/team/leaders/\?municipality={ufa_pk}&amp;counted=1)">(\d+)</a>', dashboard
    )
    assert leaders_link is not None
    listed = coordinator.get(leaders_link.group(1).replace("&amp;", "&")).content.decode()
    assert (
        f"Найден {leaders_link.group(2)} лидер" in listed
        or f"Найдено лидеров: {leaders_link.group(2)}" in listed
    )
