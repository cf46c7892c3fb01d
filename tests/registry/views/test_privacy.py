"""The privacy notice: operator and duties on a public page linked from every page, a request form
whose requests wait in the coordinators' queue with the legal deadline and are audited by id."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from registry.models import PrivacyEvent, PrivacyRequest
from registry.services.privacy import working_days_after
from tests.registry.factories import team_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_limits() -> None:
    cache.clear()  # the per-address counters live in the cache


def _request(**overrides: str) -> dict[str, str]:
    data = {"kind": "erase", "name": "Анна", "contact": "anna@example.ru", "text": "Уберите мой телефон"}
    data.update(overrides)
    return data


def test_notice_names_the_operator_retention_and_rights(client: Client, settings: object) -> None:
    settings.PRIVACY_OPERATOR_NAME = "Фонд «Гражданские инициативы»"  # type: ignore[attr-defined]
    settings.FAIRS_SIGNUP_RETENTION_DAYS = 90  # type: ignore[attr-defined]

    html = client.get("/privacy/").content.decode()

    assert "Фонд «Гражданские инициативы»" in html
    assert "через 90 дней" in html
    assert "10 рабочих дней" in html
    assert "оценщик" in html  # citizen roles explained


@pytest.mark.parametrize("url", ["/", "/propose/", "/cases/", "/about/"])
def test_every_page_links_the_notice_in_its_footer(client: Client, url: str) -> None:
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]

    assert 'href="/privacy/"' in footer


def test_a_form_taking_personal_data_links_the_notice(client: Client) -> None:
    html = client.get("/propose/").content.decode()
    form = html[html.index('<form method="post" class="stack"') :]

    assert 'href="/privacy/"' in form[: form.index("</form>")]


def test_request_is_queued_with_the_legal_deadline_and_audited_without_a_leader(client: Client) -> None:
    response = client.post("/privacy/", _request())

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy-request-sent")
    request = PrivacyRequest.objects.get()
    assert request.kind == PrivacyRequest.Kind.ERASE
    assert request.due_on == working_days_after(request.received_at.date(), 10)
    event = PrivacyEvent.objects.get(action=PrivacyEvent.Action.SUBJECT_REQUEST)
    assert event.leader_id is None
    assert event.details == {"request": request.pk}


def test_contact_must_be_a_phone_or_an_email(client: Client) -> None:
    response = client.post("/privacy/", _request(contact="позвоните в администрацию"))

    assert response.status_code == 200
    assert "Укажите телефон" in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_ten_working_days_skip_weekends() -> None:
    friday = dt.date(2026, 12, 4)

    assert working_days_after(friday, 10) == dt.date(2026, 12, 18)
    assert working_days_after(dt.date(2026, 12, 5), 1) == dt.date(2026, 12, 7)  # Saturday → Monday


def test_only_coordinators_see_the_queue_and_answering_is_audited(
    client: Client, programme_coordinator: User
) -> None:
    client.post("/privacy/", _request())
    request = PrivacyRequest.objects.get()
    client.force_login(team_member("80628000", username="iglino"))
    assert client.get("/team/privacy-requests/").status_code == 404

    client.force_login(programme_coordinator)
    queue = client.get("/team/privacy-requests/").content.decode()
    client.post(f"/team/privacy-requests/{request.pk}/answered/")

    assert "anna@example.ru" in queue
    request.refresh_from_db()
    assert request.answered_at is not None
    assert request.answered_by == programme_coordinator
    assert PrivacyEvent.objects.filter(
        action=PrivacyEvent.Action.SUBJECT_ANSWERED, actor=programme_coordinator
    ).exists()


def test_a_limited_address_keeps_what_was_typed(client: Client, settings: object) -> None:
    settings.PUBLIC_FORM_RATE = "2/h"  # type: ignore[attr-defined]
    assert client.post("/privacy/", _request()).status_code == 302
    for _typo in range(3):  # refused input does not count towards the limit
        assert client.post("/privacy/", _request(contact="нет")).status_code == 200
    assert client.post("/privacy/", _request()).status_code == 302

    limited = client.post("/privacy/", _request(text="Третье обращение"))

    assert limited.status_code == 429
    assert "Третье обращение" in limited.content.decode()
    assert PrivacyRequest.objects.count() == 2
