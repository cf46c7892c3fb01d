"""«Сообщить об ошибке»: a link on every public community page, a short public form (a contact only
with consent) rate-limited per address, and the municipality team's queue."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from registry.models import Community, ErrorReport
from tests.registry.factories import community, municipality, team_member

pytestmark = pytest.mark.django_db


def _iglino_community(**fields: object) -> Community:
    return community(municipality=municipality("80628000"), location=Point(56.43, 54.83, srid=4326), **fields)


def _report_url(target: Community) -> str:
    return f"{target.get_absolute_url()}report/"


def test_every_public_community_page_links_to_the_report_form(client: Client) -> None:
    target = _iglino_community()

    html = client.get(target.get_absolute_url()).content.decode()

    assert f'href="{_report_url(target)}"' in html
    assert "Сообщить об ошибке" in html


def test_a_report_lands_in_its_municipality_teams_queue_only(client: Client) -> None:
    target = _iglino_community(name="Клуб «Рассвет»")

    response = client.post(
        _report_url(target),
        {"text": "Клуб больше не собирается", "contact": "anna@example.ru", "has_consent": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{_report_url(target)}sent/"
    report = ErrorReport.objects.get()
    assert (report.community, report.text, report.contact) == (
        target,
        "Клуб больше не собирается",
        "anna@example.ru",
    )
    team = Client()
    team.force_login(team_member("80628000"))
    assert "Клуб больше не собирается" in team.get("/team/reports/").content.decode()
    stranger = Client()
    stranger.force_login(team_member("80701000"))
    assert "Клуб больше не собирается" not in stranger.get("/team/reports/").content.decode()
    assert stranger.post(f"/team/reports/{report.pk}/resolved/").status_code == 404

    assert team.post(f"/team/reports/{report.pk}/resolved/").status_code == 302
    report.refresh_from_db()
    assert report.resolved_at is not None
    assert report.contact == ""  # needed no longer


def test_a_contact_without_consent_is_refused_and_the_text_kept(client: Client) -> None:
    target = _iglino_community()

    response = client.post(_report_url(target), {"text": "Неверный телефон", "contact": "anna@example.ru"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "отметьте согласие" in html
    assert "Неверный телефон" in html
    assert not ErrorReport.objects.exists()


def test_a_bad_contact_and_an_empty_text_are_named(client: Client) -> None:
    response = client.post(
        _report_url(_iglino_community()), {"text": "", "contact": "позвоните", "has_consent": "on"}
    )

    assert response.status_code == 200
    assert response.content.decode().count('class="error" role="alert"') == 2
    assert not ErrorReport.objects.exists()


def test_reports_are_limited_per_address_and_the_text_survives(client: Client, settings: object) -> None:
    settings.PUBLIC_FORM_RATE = "1/h"  # type: ignore[attr-defined]
    target = _iglino_community()
    assert client.post(_report_url(target), {"text": "Первое"}).status_code == 302

    refused = client.post(_report_url(target), {"text": "Второе сообщение"})

    assert refused.status_code == 429
    assert "Второе сообщение" in refused.content.decode()
    assert ErrorReport.objects.count() == 1


def test_only_published_communities_take_reports(client: Client) -> None:
    draft = _iglino_community(status=Community.Status.PROPOSED)

    assert client.get(_report_url(draft)).status_code == 404
    assert client.post(_report_url(draft), {"text": "x"}).status_code == 404
