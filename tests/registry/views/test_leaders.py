from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from registry.models import Community, Leader
from registry.services.community_creation import community_create
from registry.services.leaders import ERASED_NAME
from tests.registry.factories import IGLINO, UFA_CENTRE, sphere


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _community(user: User, location: object = UFA_CENTRE) -> Community:
    return community_create(user=user, name="ТОС «Рассвет»", sphere=sphere(), location=location)  # type: ignore[arg-type]


def _leader_form(**overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Хабибуллин Ильдар Маратович",
        "leadership_role": "founder",
        "phone": "8 917 111-22-33",
        "email": "ildar@example.ru",
        "method": "paper_fair",
        "consent_store_contacts": "on",
        "consent_publish_name": "on",
        "roles": ["partner", "dialogue_initiator"],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_team_adds_a_leader_with_consents(ufa_team_member: User) -> None:
    community = _community(ufa_team_member)

    response = _client(ufa_team_member).post(
        reverse("team-leader-create", args=[community.pk]), _leader_form()
    )

    assert response.status_code == 302
    leader = Leader.objects.get()
    assert leader.phone == "+79171112233"
    assert leader.roles == ["dialogue_initiator", "partner"]
    assert set(leader.consents.values_list("scope", "method")) == {
        ("store_contacts", "paper_fair"),
        ("publish_name", "paper_fair"),
    }
    assert leader.leaderships.get().community == community


@pytest.mark.django_db
def test_contacts_without_consent_are_refused_on_the_form(ufa_team_member: User) -> None:
    community = _community(ufa_team_member)

    response = _client(ufa_team_member).post(
        reverse("team-leader-create", args=[community.pk]), _leader_form(consent_store_contacts="")
    )

    assert response.status_code == 200
    assert "согласием на хранение" in response.content.decode()
    assert not Leader.objects.exists()


@pytest.mark.django_db
def test_leader_pages_of_another_municipality_are_404(
    ufa_team_member: User, iglino_team_member: User
) -> None:
    community = _community(iglino_team_member, location=IGLINO)
    _client(iglino_team_member).post(reverse("team-leader-create", args=[community.pk]), _leader_form())
    leader = Leader.objects.get()
    other = _client(ufa_team_member)

    assert other.get(reverse("team-leader-create", args=[community.pk])).status_code == 404
    assert other.get(reverse("team-leader", args=[leader.pk])).status_code == 404
    assert other.post(reverse("team-consent-withdraw", args=[leader.pk, "publish_name"])).status_code == 404
    assert other.post(reverse("team-leader-erase", args=[leader.pk]), {"confirm": "on"}).status_code == 404
    assert Leader.objects.get().erased_at is None


@pytest.mark.django_db
def test_withdraw_and_erase_from_the_leader_page(ufa_team_member: User) -> None:
    community = _community(ufa_team_member)
    client = _client(ufa_team_member)
    client.post(reverse("team-leader-create", args=[community.pk]), _leader_form())
    leader = Leader.objects.get()

    client.post(reverse("team-consent-withdraw", args=[leader.pk, "publish_name"]))
    assert leader.consents.get(scope="publish_name").withdrawn_at is not None

    client.post(reverse("team-leader-erase", args=[leader.pk]))  # no confirmation: nothing happens
    assert Leader.objects.get().erased_at is None
    client.post(reverse("team-leader-erase", args=[leader.pk]), {"confirm": "on"})
    leader.refresh_from_db()
    assert leader.full_name == ERASED_NAME
    assert leader.phone == ""
