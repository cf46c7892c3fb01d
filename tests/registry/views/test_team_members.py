"""Onboarding without the admin: invitations by e-mail and by link, joining, removing a member,
password reset and change, the rights page, and permissions that follow the role."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from registry.models import TeamInvitation, TeamMembership
from registry.roles import Right, user_has_right
from tests.registry.factories import coordinator, municipality, team_member

IGLINO = "80628000"
UFA = "80701000"


def _lead(oktmo: str = IGLINO, username: str = "lead") -> User:
    user = team_member(oktmo, username=username)
    TeamMembership.objects.filter(user=user).update(is_lead=True)
    return user


def _link(text: str) -> str:
    match = re.search(r"https?://[^\s\"<]+/join/[^\s\"<]+/", text)
    assert match is not None, text
    return match.group(0).split("testserver", 1)[1]


@pytest.mark.django_db
def test_a_lead_invites_by_email_and_the_person_sets_a_password_and_lands_on_the_team(client: Client) -> None:
    client.force_login(_lead())
    iglino = municipality(IGLINO)

    response = client.post(
        reverse("team-members"),
        {"municipality": iglino.pk, "team_role": "administration", "email": "Ivanova@Example.org"},
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ivanova@example.org"]
    assert "Иглинский" in mail.outbox[0].body
    join = _link(str(mail.outbox[0].body))
    stranger = Client()
    page = stranger.get(join).content.decode()
    assert "Иглинский район" in page
    assert "Республика Башкортостан" in page
    response = stranger.post(
        join,
        {
            "full_name": "Мария Иванова",
            "password": "sosna-berёza-2026",
            "password_again": "sosna-berёza-2026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("team")
    user = User.objects.get(username="ivanova@example.org")
    assert user.email == "ivanova@example.org"
    assert user.first_name == "Мария"
    membership = TeamMembership.objects.get(user=user)
    assert (membership.municipality, membership.team_role, membership.is_lead) == (
        iglino,
        "administration",
        False,
    )
    assert stranger.get(reverse("team")).status_code == 200
    assert stranger.get(join).status_code == 404  # one time only


@pytest.mark.django_db
def test_a_sign_up_link_without_email_is_shown_once_and_a_weak_password_is_refused(client: Client) -> None:
    client.force_login(coordinator(username="coord"))
    ufa = municipality(UFA)

    html = client.post(
        reverse("team-members"),
        {"kind": "member", "municipality": ufa.pk, "team_role": "ngo", "is_lead": "on"},
    ).content.decode()

    assert not mail.outbox
    join = _link(html)
    stranger = Client()
    weak = stranger.post(
        join, {"email": "a@b.ru", "full_name": "Пётр", "password": "12345678", "password_again": "12345678"}
    )
    assert weak.status_code == 200
    assert not User.objects.filter(username="a@b.ru").exists()
    stranger.post(
        join,
        {
            "email": "a@b.ru",
            "full_name": "Пётр",
            "password": "kedr-i-lipa-77",
            "password_again": "kedr-i-lipa-77",
        },
    )
    assert TeamMembership.objects.get(user__username="a@b.ru").is_lead is True


@pytest.mark.django_db
def test_a_plain_member_cannot_invite_and_a_lead_cannot_invite_to_another_district(client: Client) -> None:
    client.force_login(team_member(IGLINO, username="plain"))
    assert (
        client.post(
            reverse("team-members"), {"municipality": municipality(IGLINO).pk, "team_role": "ngo"}
        ).status_code
        == 404
    )
    client.force_login(_lead())
    client.post(reverse("team-members"), {"municipality": municipality(UFA).pk, "team_role": "ngo"})
    assert not TeamInvitation.objects.exists()


@pytest.mark.django_db
def test_the_municipality_list_is_grouped_by_region_with_the_region_shown(client: Client) -> None:
    client.force_login(coordinator(username="coord"))

    html = client.get(reverse("team-members")).content.decode()

    assert '<optgroup label="Республика Башкортостан">' in html
    assert "Октябрьский — городской округ, Республика Башкортостан" in html
    assert "data-filterable" in html


@pytest.mark.django_db
def test_removing_a_member_asks_for_confirmation_then_removes(client: Client) -> None:
    lead = _lead()
    member = team_member(IGLINO, username="leaving")
    membership = TeamMembership.objects.get(user=member)
    client.force_login(lead)
    url = reverse("team-member-remove", args=[membership.pk])

    assert "Исключить" in client.get(url).content.decode()
    client.post(url, {})
    assert TeamMembership.objects.filter(pk=membership.pk).exists()
    client.post(url, {"confirm": "on"})
    assert not TeamMembership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_a_coordinator_invited_by_link_gets_the_rights_without_admin_boxes(client: Client) -> None:
    client.force_login(coordinator(username="coord"))
    join = _link(client.post(reverse("team-members"), {"kind": "coordinator"}).content.decode())
    Client().post(
        join,
        {
            "email": "c@fond.ru",
            "full_name": "Анна",
            "password": "oblako-reka-31",
            "password_again": "oblako-reka-31",
        },
    )

    user = User.objects.get(username="c@fond.ru")
    assert user_has_right(user=user, right=Right.ALL_MUNICIPALITIES)
    assert user.has_perm("registry.change_community")
    assert user.has_perm("registry.publish_case") is False
    assert user.user_permissions.count() == 0


@pytest.mark.django_db
def test_rights_follow_the_role() -> None:
    member = team_member(IGLINO, username="member")
    lead = _lead(username="lead2")

    assert user_has_right(user=member, right=Right.VERIFY, municipality=municipality(IGLINO))
    assert not user_has_right(user=member, right=Right.VERIFY, municipality=municipality(UFA))
    assert not user_has_right(user=member, right=Right.INVITE_MEMBERS, municipality=municipality(IGLINO))
    assert user_has_right(user=lead, right=Right.INVITE_MEMBERS, municipality=municipality(IGLINO))
    assert member.has_perm("registry.change_community")
    assert not member.has_perm("registry.change_programme")


@pytest.mark.django_db
def test_the_rights_page_lists_each_role(client: Client) -> None:
    html = client.get(reverse("team-roles")).content.decode()

    for text in ("Член команды", "Руководитель команды", "Координатор программы", "Проводить ярмарки"):
        assert text in html


@pytest.mark.django_db
def test_password_reset_by_email_sets_a_new_password_and_lifts_a_lockout(client: Client) -> None:
    user = team_member(IGLINO, username="forgetful@example.org", email="forgetful@example.org")
    for _attempt in range(6):
        client.post(reverse("login"), {"username": "forgetful@example.org", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "forgetful@example.org", "password": "wrong"})
    assert reverse("password_reset") in locked.content.decode()

    client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    assert len(mail.outbox) == 1
    assert "Новый пароль" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/password/reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_url = client.get(link.group(1))["Location"]  # Django swaps the token for a session marker
    client.post(form_url, {"new_password1": "lipa-dub-klen-9", "new_password2": "lipa-dub-klen-9"})

    user.refresh_from_db()
    assert user.check_password("lipa-dub-klen-9")
    assert not AccessAttempt.objects.filter(username="forgetful@example.org").exists()
    assert (
        Client()
        .post(reverse("login"), {"username": "forgetful@example.org", "password": "lipa-dub-klen-9"})
        .status_code
        == 302
    )


@pytest.mark.django_db
def test_password_change_page_is_in_russian(client: Client) -> None:
    client.force_login(team_member(IGLINO, username="changer"))

    html = client.get(reverse("password_change")).content.decode()

    assert "Смена пароля" in html
    assert "Старый пароль" in html
