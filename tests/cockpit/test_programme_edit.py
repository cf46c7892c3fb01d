"""The coordinator runs the programme from the site: name, period, targets (programme-wide and per
municipality) and the participating municipalities, without staff status or the admin."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from geo.models import Municipality
from registry.models import MunicipalTarget, Programme
from registry.selectors.programme import programme_progress
from tests.cockpit.conftest import logged_in
from tests.registry.factories import coordinator, municipality, team_member

pytestmark = pytest.mark.django_db

UFA, IGLINO, BLAGOVESHCHENSK = "80701000", "80628000", "80615000"


def _form(programme: Programme, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": programme.name,
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat(),
        "target_communities": programme.target_communities,
        "target_leaders_per_municipality": programme.target_leaders_per_municipality,
        "target_fairs": programme.target_fairs,
        "target_fair_participants": programme.target_fair_participants,
        "municipalities": [str(item.pk) for item in programme.municipalities.all()],
    }
    data.update(changes)
    return data


def test_a_coordinator_without_staff_status_edits_the_programme(programme: Programme) -> None:
    user: User = coordinator(username="coordinator", is_staff=False)
    client = logged_in(user)
    url = reverse("programme-edit", args=[programme.pk])
    page = client.get(url).content.decode()
    assert "Башкортостан" in page  # municipalities grouped by region
    assert 'value="Конструктор сообществ"' in page
    blagoveshchensk = municipality(BLAGOVESHCHENSK)
    response = client.post(
        url,
        _form(
            programme,
            name="Конструктор сообществ 2.0",
            ends_on="2028-06-30",
            target_communities="40",
            municipalities=[str(municipality(UFA).pk), str(municipality(IGLINO).pk), str(blagoveshchensk.pk)],
        ),
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Конструктор сообществ 2.0"
    assert programme.ends_on == date(2028, 6, 30)
    assert programme.target_communities == 40
    assert set(programme.municipalities.values_list("oktmo", flat=True)) == {UFA, IGLINO, BLAGOVESHCHENSK}

    # now Благовещенский район has its row of targets: set its own, leave the others at the even share
    iglino = municipality(IGLINO)
    response = client.post(
        url,
        _form(
            programme,
            **{f"target_{blagoveshchensk.pk}_communities": "4", f"target_{blagoveshchensk.pk}_leaders": "7"},
        ),
    )
    assert response.status_code == 302
    progress = programme_progress(programme=programme)
    rows = {row.municipality.oktmo: row for row in progress.rows}
    assert rows[BLAGOVESHCHENSK].communities.target == 4
    assert rows[BLAGOVESHCHENSK].leaders.target == 7
    assert rows[IGLINO].communities.target == 14  # 40 / 3, rounded up
    assert rows[IGLINO].leaders.target == 2
    assert progress.leaders.target == 2 + 2 + 7
    assert not MunicipalTarget.objects.filter(municipality=iglino).exists()


def test_a_municipality_leaving_the_programme_takes_its_targets(programme: Programme) -> None:
    client = logged_in(coordinator(username="coordinator"))
    iglino = municipality(IGLINO)
    url = reverse("programme-edit", args=[programme.pk])
    client.post(url, _form(programme, **{f"target_{iglino.pk}_fairs": "3"}))
    assert MunicipalTarget.objects.get(municipality=iglino).fairs == 3
    client.post(url, _form(programme, municipalities=[str(municipality(UFA).pk)]))
    assert list(programme.municipalities.values_list("oktmo", flat=True)) == [UFA]
    assert not MunicipalTarget.objects.exists()


def test_bad_input_is_refused_in_russian_and_nothing_changes(programme: Programme) -> None:
    client = logged_in(coordinator(username="coordinator"))
    url = reverse("programme-edit", args=[programme.pk])
    response = client.post(url, _form(programme, name="Другое имя", ends_on="2025-01-01", municipalities=[]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Выберите хотя бы один муниципалитет" in page
    assert "Окончание программы раньше её начала" in page
    programme.refresh_from_db()
    assert programme.name == "Конструктор сообществ"
    assert programme.municipalities.count() == 2


def test_a_village_council_cannot_join_the_programme(programme: Programme) -> None:
    client = logged_in(coordinator(username="coordinator"))
    url = reverse("programme-edit", args=[programme.pk])
    council = Municipality.objects.filter(level=Municipality.Level.SETTLEMENT).first()
    assert council is not None
    assert f'value="{council.pk}"' not in client.get(url).content.decode()  # not offered
    response = client.post(url, _form(programme, municipalities=[str(municipality(UFA).pk), str(council.pk)]))
    assert response.status_code == 200  # a forged choice is refused
    assert programme.municipalities.count() == 2


def test_a_team_member_gets_404_and_changes_nothing(programme: Programme) -> None:
    member = team_member(IGLINO, is_staff=True)
    client = logged_in(member)
    url = reverse("programme-edit", args=[programme.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(programme, name="Захват")).status_code == 404
    programme.refresh_from_db()
    assert programme.name == "Конструктор сообществ"


def test_the_dashboard_links_to_the_programme_page(programme: Programme) -> None:
    page = logged_in(coordinator(username="coordinator")).get(reverse("programme-dashboard")).content.decode()
    assert reverse("programme-edit", args=[programme.pk]) in page
