from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection

from fairs.services.erasure import leader_erase
from geo.errors import DomainError
from registry.models import Consent, Leader
from registry.services.community_creation import community_create
from registry.services.leaders import (
    ERASED_NAME,
    ConsentInput,
    consent_withdraw,
    leader_create,
    leader_update,
    leadership_add,
)
from tests.registry.factories import UFA_CENTRE, municipality, sphere

STORE = ConsentInput(
    scope="store_contacts", purpose="Связь по программе «Конструктор сообществ»", method="team_member"
)
PUBLISH_NAME = ConsentInput(
    scope="publish_name", purpose="Публикация имени на карте сообществ", method="team_member"
)


def _leader(user: User, **fields: object) -> Leader:
    values: dict[str, object] = {
        "full_name": "Гарипова Алсу Рашитовна",
        "phone": "8 (917) 345-67-89",
        "email": "Alsu.Garipova@Example.ru",
        "consents": [STORE, PUBLISH_NAME],
    }
    values.update(fields)
    return leader_create(user=user, municipality=municipality("80701000"), **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "spelling", ["8 (917) 345-67-89", "+7 917 345 67 89", "89173456789", "7-917-345-67-89", "+7(917)3456789"]
)
def test_phone_is_normalised_to_e164(ufa_team_member: User, spelling: str) -> None:
    assert _leader(ufa_team_member, phone=spelling).phone == "+79173456789"


def test_contacts_need_a_consent_to_store_them(ufa_team_member: User) -> None:
    with pytest.raises(DomainError, match="consent_required"):
        _leader(ufa_team_member, consents=[PUBLISH_NAME])
    assert not Leader.objects.exists()


def test_consents_are_written_with_the_leader(ufa_team_member: User) -> None:
    leader = _leader(ufa_team_member)

    consents = {consent.scope: consent for consent in leader.consents.all()}
    assert set(consents) == {"store_contacts", "publish_name"}
    assert consents["store_contacts"].collected_by == ufa_team_member
    assert consents["store_contacts"].method == "team_member"
    assert leader.email == "alsu.garipova@example.ru"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"phone": "8-34-7"}, "phone", "phone_invalid"),
        ({"email": "not-an-email"}, "email", "email_invalid"),
        ({"full_name": "  "}, "full_name", "required"),
        ({"roles": ["tsar"]}, "roles", "role_invalid"),
    ],
)
def test_bad_leader_input_names_the_field(
    ufa_team_member: User, fields: dict[str, object], field: str, code: str
) -> None:
    with pytest.raises(DomainError) as error:
        _leader(ufa_team_member, **fields)

    assert (field, code) in [(item.field, item.code) for item in error.value.items]


def test_leader_outside_team_is_refused(iglino_team_member: User) -> None:
    with pytest.raises(PermissionDenied):
        _leader(iglino_team_member)


def test_withdrawing_store_consent_deletes_the_contacts_and_their_history(ufa_team_member: User) -> None:
    leader = _leader(ufa_team_member)

    consent_withdraw(user=ufa_team_member, leader=leader, scope="store_contacts")

    leader.refresh_from_db()
    assert (leader.phone, leader.email) == ("", "")
    assert not leader.history.exclude(phone="").exists()
    assert leader.consents.get(scope="store_contacts").withdrawn_at is not None


def test_leader_update_keeps_consent_rules(ufa_team_member: User) -> None:
    leader = _leader(ufa_team_member, phone="", email="", consents=[PUBLISH_NAME])

    with pytest.raises(DomainError, match="consent_required"):
        leader_update(user=ufa_team_member, leader=leader, phone="+79173456789")
    leader_update(user=ufa_team_member, leader=leader, display_name="Алсу Г.", bio="Председатель ТОС")

    leader.refresh_from_db()
    assert (leader.display_name, leader.phone) == ("Алсу Г.", "")


def _tables_containing(text: str) -> list[str]:
    """Every table of the database whose rows mention the text anywhere (a row cast to text)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
        found = []
        for table in tables:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}" t WHERE t::text ILIKE %s)', [f"%{text}%"])  # noqa: S608 -- table names come from pg_tables
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def test_erasure_leaves_no_trace_in_any_table(ufa_team_member: User) -> None:
    leader = _leader(ufa_team_member, display_name="Алсу Гарипова", bio="Гарипова ведёт ТОС")
    community = community_create(
        user=ufa_team_member, name="ТОС «Рассвет»", sphere=sphere(), location=UFA_CENTRE
    )
    leadership_add(user=ufa_team_member, leader=leader, community=community)
    leader_update(user=ufa_team_member, leader=leader, phone="+7 917 000-11-22")
    LogEntry.objects.create(  # as the admin does when someone edits the leader there
        user=ufa_team_member,
        content_type=ContentType.objects.get_for_model(Leader),
        object_id=str(leader.pk),
        object_repr=str(leader),
        action_flag=CHANGE,
        change_message="Изменён телефон +79170001122",
    )
    assert _tables_containing("Гарипова")  # the check can see the data before erasure

    leader_erase(user=ufa_team_member, leader=leader)

    for trace in ("Гарипова", "Алсу", "79173456789", "79170001122", "alsu.garipova"):
        assert _tables_containing(trace) == [], trace
    leader.refresh_from_db()
    assert leader.full_name == ERASED_NAME
    assert leader.erased_at is not None
    assert leader.leaderships.count() == 1  # the placeholder keeps counts right
    assert not Consent.objects.filter(leader=leader, withdrawn_at__isnull=True).exists()
    assert set(leader.history.values_list("history_change_reason", flat=True)) == {"shredded"}


def test_erasure_outside_team_is_refused(ufa_team_member: User, iglino_team_member: User) -> None:
    leader = _leader(ufa_team_member)

    with pytest.raises(PermissionDenied):
        leader_erase(user=iglino_team_member, leader=leader)
    assert Leader.objects.get(pk=leader.pk).full_name == "Гарипова Алсу Рашитовна"
