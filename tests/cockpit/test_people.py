"""People pages: the leaders list with filters and counts, the subject-access answer and the erasure
confirmation as Russian PDF letters, and the privacy audit trail for coordinators."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from pypdf import PdfReader

from registry.models import Consent, Leader, PrivacyEvent
from registry.services.leaders import ConsentInput, leader_create
from tests.cockpit.conftest import logged_in
from tests.registry.factories import municipality, team_member

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _leader(oktmo: str, name: str, *, roles: list[str], scopes: list[str], phone: str = "") -> Leader:
    return leader_create(
        user=team_member(oktmo),
        municipality=municipality(oktmo),
        full_name=name,
        roles=roles,
        phone=phone,
        consents=[
            ConsentInput(scope=scope, purpose="Связь по программе", method="team_member") for scope in scopes
        ],
    )


@pytest.fixture
def people() -> dict[str, Leader]:
    return {
        "anna": _leader(
            "80701000",
            "Иванова Анна Сергеевна",
            roles=["partner", "evaluator"],
            scopes=["store_contacts", "publish_name"],
            phone="+7 917 345-67-89",
        ),
        "boris": _leader("80701000", "Борисов Борис", roles=["partner"], scopes=[]),
        "vera": _leader("80628000", "Вера Иглинская", roles=["advocate"], scopes=["store_contacts"]),
    }


def test_leaders_list_filters_and_counts_by_role_and_consent(
    people: dict[str, Leader], programme_coordinator: User
) -> None:
    client = logged_in(programme_coordinator)
    html = client.get("/team/leaders/").content.decode()
    assert "Найдено лидеров: 3" in html
    assert "Иванова Анна Сергеевна" in html
    partners = client.get("/team/leaders/", {"role": "partner"}).content.decode()
    assert "Найдено лидеров: 2" in partners
    assert "Вера Иглинская" not in partners
    unconsented = client.get("/team/leaders/", {"consent": "none"}).content.decode()
    assert "Борисов Борис" in unconsented
    assert "Иванова Анна" not in unconsented
    by_phone = client.get("/team/leaders/", {"q": "8 917 345 67 89"}).content.decode()
    assert "Найден 1 лидер" in by_phone
    assert "Иванова Анна" in by_phone
    iglino = client.get("/team/leaders/", {"municipality": municipality("80628000").pk}).content.decode()
    assert "Вера Иглинская" in iglino
    assert "Борисов" not in iglino


def test_a_team_member_lists_only_their_municipality(people: dict[str, Leader]) -> None:
    html = logged_in(team_member("80628000")).get("/team/leaders/").content.decode()
    assert "Вера Иглинская" in html
    assert "Иванова" not in html


def test_subject_access_answer_is_a_russian_letter_and_is_audited(
    people: dict[str, Leader], programme_coordinator: User
) -> None:
    anna = people["anna"]
    response = logged_in(programme_coordinator).get(f"/team/leaders/{anna.pk}/letter.pdf")
    assert response.status_code == 200
    text = _text(response.content)
    for expected in (
        "Ответ на запрос о ваших персональных данных",
        "Иванова Анна Сергеевна",
        "+79173456789",
        "152-ФЗ",
        "Правовое основание",
        "Сроки хранения",
        "Ваши права",
        "Роскомнадзор",
        "хранить контакты",
    ):
        assert expected in text, expected
    assert PrivacyEvent.objects.filter(action="subject_access", leader_id=anna.pk).exists()


def test_erasure_gives_a_confirmation_letter_without_the_name(
    people: dict[str, Leader], programme_coordinator: User
) -> None:
    vera = people["vera"]
    client = logged_in(programme_coordinator)
    client.post(f"/team/leaders/{vera.pk}/erase/", {"confirm": "on"})
    event = PrivacyEvent.objects.get(action="erasure", leader_id=vera.pk)
    detail = client.get(f"/team/leaders/{vera.pk}/").content.decode()
    assert f"/team/privacy/erasures/{event.pk}/letter.pdf" in detail
    text = _text(client.get(f"/team/privacy/erasures/{event.pk}/letter.pdf").content)
    assert "Подтверждение удаления персональных данных" in text
    assert f"Номер обращения: {event.pk}" in text
    assert "Иглинская" not in text
    assert not Consent.objects.filter(leader=vera, source__contains="Вера").exists()


def test_privacy_trail_is_for_coordinators(people: dict[str, Leader], programme_coordinator: User) -> None:
    coordinator = logged_in(programme_coordinator)
    coordinator.get(f"/team/leaders/{people['anna'].pk}/letter.pdf")
    trail = coordinator.get("/programme/privacy/").content.decode()
    assert "выгрузка данных о человеке" in trail
    assert "Иванова" not in trail  # ids and counts only
    assert logged_in(team_member("80701000")).get("/programme/privacy/").status_code == 404


def test_the_new_fair_picker_offers_programme_municipalities_first_with_regions_beside_repeats(
    programme_coordinator: User,
) -> None:
    call_command("seed_programme", verbosity=0)
    html = logged_in(programme_coordinator).get("/team/fairs/").content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)"', html)
    assert groups[0] == "Программа «Конструктор сообществ»"
    assert groups[1] == "Республика Башкортостан"
    first_group = html.split("<optgroup")[1]
    assert "Уфа" in first_group
    assert "Екатеринбург" not in first_group
    # three districts share that name: the region says which
    assert len(re.findall(r">Октябрьский район \([^)<]+\)</option>", html)) == 3
