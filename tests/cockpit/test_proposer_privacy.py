"""A resident who proposed a community is a data subject: the e-mail they left is found by itself
(they are no leader), exported on request (JSON and a Russian letter) and erased on request from the
community row and every historical row of it, each duty in the audit trail."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import User
from django.db import connection
from pypdf import PdfReader

from fairs.services.erasure import leader_erase
from fairs.services.personal_data import leader_subject_access
from registry.models import Community, PrivacyEvent
from registry.services.community_creation import community_propose
from registry.services.community_edits import community_update
from registry.services.community_status import community_verify
from registry.services.leaders import ConsentInput, leader_create
from tests.cockpit.conftest import EVIDENCE, logged_in
from tests.registry.factories import IGLINO, municipality, sphere, team_member

pytestmark = pytest.mark.django_db
EMAIL = "Bodrost.Proposer@example.org"
URL = "/team/privacy/proposer/"


def _text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def proposal() -> Community:
    """Proposed with the e-mail, then verified and annotated by the team: the e-mail is now in the
    row's contact, its proposer e-mail, a team note, and in several historical rows."""
    community = community_propose(
        name="Клуб «Бодрость»",
        sphere=sphere("sport"),
        location=IGLINO,
        description="Гуляем по утрам",
        contact=EMAIL,
        internal_notes="Контакт предложившего; согласие на обработку получено онлайн",
        proposer_email=EMAIL,
    )
    team = team_member("80628000")
    community_verify(user=team, community=community, evidence=EVIDENCE)
    community.refresh_from_db()
    community_update(
        user=team, community=community, internal_notes=f"Созвонились; писать на {EMAIL.lower()} по вторникам"
    )
    return community


def _rows_text(pk: int) -> str:
    """Every column of the community row and of each of its historical rows, as text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_to_json(c)::text FROM registry_community c WHERE id = %s "
            "UNION ALL SELECT row_to_json(h)::text FROM registry_historicalcommunity h WHERE id = %s",
            [pk, pk],
        )
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_fixture_really_spreads_the_email_over_row_and_history(proposal: Community) -> None:
    assert proposal.history.filter(proposer_email__iexact=EMAIL).count() >= 1
    assert proposal.history.count() >= 3
    assert EMAIL.lower() in _rows_text(proposal.pk).lower()


def test_a_proposer_who_is_no_leader_gets_their_data_as_json_and_a_letter(proposal: Community) -> None:
    client = logged_in(team_member("80628000"))
    found = client.post(URL, {"contact": EMAIL.upper(), "action": "find"}).content.decode()
    assert "Клуб «Бодрость»" in found

    response = client.post(URL, {"contact": EMAIL, "action": "json"})
    assert response["Content-Disposition"].startswith('attachment; filename="proposer-')
    document = json.loads(response.content)
    [item] = document["proposals"]
    assert (item["id"], item["proposer_email"].lower(), item["contact"].lower()) == (
        proposal.pk,
        EMAIL.lower(),
        EMAIL.lower(),
    )
    assert item["municipality"]["name"] == municipality("80628000").name
    assert any(record["proposer_email"].lower() == EMAIL.lower() for record in item["history"])
    assert "согласие на обработку" in item["consent_note"] or "Созвонились" in item["consent_note"]

    letter = _text(client.post(URL, {"contact": EMAIL, "action": "pdf"}).content)
    assert letter.lower().count(EMAIL.lower()) >= 2  # whom it answers, and the contact held
    for expected in ("Ответ на запрос о ваших персональных данных", "Клуб «Бодрость»", "Ваши права"):
        assert expected in letter, expected

    events = PrivacyEvent.objects.filter(action=PrivacyEvent.Action.SUBJECT_ACCESS)
    assert [event.details for event in events] == [{"proposals": 1}, {"proposals": 1}]
    assert EMAIL.lower() not in json.dumps([event.details for event in events]).lower()


def test_another_municipalitys_team_finds_nothing(proposal: Community) -> None:
    client = logged_in(team_member("80701000"))
    document = json.loads(client.post(URL, {"contact": EMAIL, "action": "json"}).content)
    assert document["proposals"] == []
    client.post(URL, {"contact": EMAIL, "action": "erase", "confirm": "on"})
    assert EMAIL.lower() in _rows_text(proposal.pk).lower()  # untouched
    assert logged_in(User.objects.create_user("nobody")).get(URL).status_code == 404


def test_erasure_leaves_the_email_nowhere_and_is_in_the_audit_trail(
    proposal: Community, programme_coordinator: User
) -> None:
    client = logged_in(team_member("80628000"))
    unconfirmed = client.post(URL, {"contact": EMAIL, "action": "erase"})
    assert "Подтвердите удаление отметкой" in unconfirmed.content.decode()
    assert EMAIL.lower() in _rows_text(proposal.pk).lower()
    history_before = proposal.history.count()

    page = client.post(URL, {"contact": EMAIL, "action": "erase", "confirm": "on"}).content.decode()

    text = _rows_text(proposal.pk).lower()
    assert EMAIL.lower() not in text
    assert "bodrost.proposer" not in text
    proposal.refresh_from_db()
    assert (proposal.proposer_email, proposal.contact) == ("", "")
    assert proposal.internal_notes == "Созвонились; писать на [удалено] по вторникам"
    assert proposal.description == "Гуляем по утрам"  # the community itself stays
    assert proposal.status == Community.Status.VERIFIED
    assert proposal.history.count() == history_before  # the erasure adds no row holding anything
    event = PrivacyEvent.objects.get(action=PrivacyEvent.Action.ERASURE)
    assert event.leader_id is None
    assert event.details["proposals"] == 1
    assert event.details["history_rows"] >= 2
    assert f"/team/privacy/erasures/{event.pk}/letter.pdf" in page
    assert "С этим контактом в ваших муниципалитетах ничего не хранится" in page

    coordinator = logged_in(programme_coordinator)
    trail = coordinator.get("/programme/privacy/").content.decode()
    assert "удаление персональных данных" in trail
    assert "записей истории" in trail
    assert EMAIL.lower() not in trail.lower()
    letter = _text(coordinator.get(f"/team/privacy/erasures/{event.pk}/letter.pdf").content)
    assert "Подтверждение удаления персональных данных" in letter
    assert "предложенных вами сообществах" in letter
    assert EMAIL.lower() not in letter.lower()
    # the letter of a proposer's erasure: whoever carried it out or a coordinator, nobody else
    stranger = logged_in(team_member("80701000"))
    assert stranger.get(f"/team/privacy/erasures/{event.pk}/letter.pdf").status_code == 404


def test_a_leader_with_the_same_email_gets_and_loses_their_proposals_too(proposal: Community) -> None:
    team = team_member("80628000")
    leader = leader_create(
        user=team,
        municipality=municipality("80628000"),
        full_name="Петров Пётр",
        email=EMAIL.lower(),
        consents=[ConsentInput(scope="store_contacts", purpose="Связь", method="team_member")],
    )
    document = leader_subject_access(user=team, leader=leader)
    assert [item["id"] for item in document["proposals"]] == [proposal.pk]

    leader_erase(user=team, leader=leader)

    assert EMAIL.lower() not in _rows_text(proposal.pk).lower()
    event = PrivacyEvent.objects.get(action=PrivacyEvent.Action.ERASURE)
    assert (event.leader_id, event.details["proposals"]) == (leader.pk, 1)


PHONE = "+79171234567"


@pytest.fixture
def phoned_proposal() -> Community:
    """Proposed with a phone only (the form takes an e-mail or a phone and stores it normalised, as
    registry.validators.contact_clean writes it), then noted by the team."""
    community = community_propose(
        name="Хор «Родник»",
        sphere=sphere("culture"),
        location=IGLINO,
        description="Поём по средам",
        contact=PHONE,
        internal_notes="Контакт предложившего; согласие на обработку получено онлайн",
    )
    team = team_member("80628000")
    community_verify(user=team, community=community, evidence=EVIDENCE)
    community.refresh_from_db()
    community_update(user=team, community=community, internal_notes=f"Звонить на {PHONE} вечером")
    return community


def test_a_proposer_who_left_a_phone_is_found_by_it_however_typed_and_erased(
    phoned_proposal: Community,
) -> None:
    client = logged_in(team_member("80628000"))

    found = client.post(URL, {"contact": "+7 917 123 45 67", "action": "find"}).content.decode()
    document = json.loads(client.post(URL, {"contact": "89171234567", "action": "json"}).content)
    letter = _text(client.post(URL, {"contact": "8-917-123-45-67", "action": "pdf"}).content)
    client.post(URL, {"contact": "8 917 1234567", "action": "erase", "confirm": "on"})

    assert "Хор «Родник»" in found
    assert [item["contact"] for item in document["proposals"]] == [PHONE]
    assert PHONE in letter
    assert PHONE not in _rows_text(phoned_proposal.pk)
    phoned_proposal.refresh_from_db()
    assert phoned_proposal.contact == ""
    assert phoned_proposal.internal_notes == "Звонить на [удалено] вечером"


def test_a_contact_that_is_neither_phone_nor_email_is_refused_by_name(proposal: Community) -> None:
    client = logged_in(team_member("80628000"))

    page = client.post(URL, {"contact": "Бодрость", "action": "find"}).content.decode()

    assert "Укажите телефон" in page
    assert "Клуб «Бодрость»" not in page


def test_a_leader_with_the_same_phone_gets_and_loses_their_proposals_too(phoned_proposal: Community) -> None:
    team = team_member("80628000")
    leader = leader_create(
        user=team,
        municipality=municipality("80628000"),
        full_name="Сидорова Анна",
        phone="+7 917 123-45-67",
        email="rodnik@example.org",
        consents=[ConsentInput(scope="store_contacts", purpose="Связь", method="team_member")],
    )
    assert [item["id"] for item in leader_subject_access(user=team, leader=leader)["proposals"]] == [
        phoned_proposal.pk
    ]

    Community.objects.filter(pk=phoned_proposal.pk).update(description="Пишите на rodnik@example.org")

    leader_erase(user=team, leader=leader)

    text = _rows_text(phoned_proposal.pk)
    assert PHONE not in text
    assert "rodnik@example.org" not in text
    event = PrivacyEvent.objects.get(action=PrivacyEvent.Action.ERASURE)
    assert event.details["proposals"] == 1  # found by both contacts, counted once
