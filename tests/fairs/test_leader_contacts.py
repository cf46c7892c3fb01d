"""A row naming a leader the registry already has: its contacts join the leader with its consent,
and never overwrite a different contact silently."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from fairs.models import Fair, Signup
from fairs.services.imports import signup_import
from registry.models import Consent, Leader

HEADER = "Название сообщества;Сфера;Населённый пункт;ФИО лидера;Телефон;E-mail;Согласие\n"


def _import(user: User, fair: Fair, row: str, name: str) -> dict:
    return signup_import(user=user, fair=fair, data=(HEADER + row).encode(), file_name=name).as_json()


def _known_leader(user: User, fair: Fair, *, phone: str = "", consent: str = "") -> Leader:
    report = _import(user, fair, f"Хор «Рябинка»;культура;Иглино;Иванова Мария;{phone};;{consent}\n", "a.csv")
    assert report["new"] == 1
    return Leader.objects.get()


@pytest.mark.django_db
def test_a_known_leader_gains_the_rows_phone_and_email_with_the_consent(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    leader = _known_leader(iglino_team_member, iglino_fair)
    assert not leader.consents.exists()

    report = _import(
        iglino_team_member,
        iglino_fair,
        "Хор «Рябинка»;культура;Иглино;Иванова Мария;8 917 123-45-67;maria@example.ru;да\n",
        "b.csv",
    )

    assert report["matched"] == 1
    leader.refresh_from_db()
    assert Leader.objects.count() == 1
    assert (leader.phone, leader.email) == ("+79171234567", "maria@example.ru")
    consent = leader.consents.get(scope=Consent.Scope.STORE_CONTACTS)
    assert consent.method == Consent.Method.PAPER_FAIR
    assert consent.withdrawn_at is None


@pytest.mark.django_db
def test_a_different_phone_is_kept_and_the_new_one_noted(iglino_team_member: User, iglino_fair: Fair) -> None:
    leader = _known_leader(iglino_team_member, iglino_fair, phone="89170000001", consent="да")

    report = _import(
        iglino_team_member,
        iglino_fair,
        "Хор «Рябинка»;культура;Иглино;Иванова Мария;89170000002;maria@example.ru;да\n",
        "b.csv",
    )

    leader.refresh_from_db()
    assert leader.phone == "+79170000001"
    assert leader.email == "maria@example.ru"  # an empty field is filled
    assert leader.consents.filter(scope=Consent.Scope.STORE_CONTACTS).count() == 1  # not twice
    warnings = report["results"][0]["warnings"]
    assert any("другой телефон" in warning for warning in warnings)
    signup = Signup.objects.get(source_import__file_name="b.csv")
    assert signup.phone == "+79170000002"
    assert any("другой телефон" in warning for warning in signup.warnings)


@pytest.mark.django_db
def test_without_consent_a_known_leader_gains_nothing(iglino_team_member: User, iglino_fair: Fair) -> None:
    leader = _known_leader(iglino_team_member, iglino_fair)

    _import(
        iglino_team_member,
        iglino_fair,
        "Хор «Рябинка»;культура;Иглино;Иванова Мария;8 917 123-45-67;;нет\n",
        "b.csv",
    )

    leader.refresh_from_db()
    assert leader.phone == ""
    assert not leader.consents.exists()
