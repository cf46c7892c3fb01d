"""Each role × create / read / update / verify × own and other municipality, through the pages.

Team members act only inside their municipalities and get 404 elsewhere (never 403: the record
is not theirs to know about); coordinators act everywhere; the public reads published records only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Community
from registry.services.community_creation import community_create
from tests.registry.factories import IGLINO, UFA_CENTRE, coordinator, sphere, team_member

# Ufa is "own" for the team member, Иглинский район is "other".
PLACES = {"own": ("80701000", UFA_CENTRE), "other": ("80628000", IGLINO)}
ROLES = ["anonymous", "member", "coordinator"]
# (role, place) → whether the action succeeds; otherwise the status the page must answer.
ALLOWED = {
    ("member", "own"): True,
    ("member", "other"): False,
    ("coordinator", "own"): True,
    ("coordinator", "other"): True,
    ("anonymous", "own"): False,
    ("anonymous", "other"): False,
}


def _client(role: str) -> Client:
    client = Client()
    if role == "member":
        client.force_login(team_member("80701000", username="matrix-member"))
    elif role == "coordinator":
        client.force_login(coordinator(username="matrix-coordinator"))
    return client


def _proposed(place: str) -> Community:
    author = team_member(PLACES[place][0], username=f"author-{place}")
    return community_create(user=author, name=f"ТОС «{place}»", sphere=sphere(), location=PLACES[place][1])


def _denied(response_status: int, role: str) -> bool:
    # Anonymous users are sent to sign in; signed-in users outside their scope get 404.
    return response_status == 302 if role == "anonymous" else response_status == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", ["own", "other"])
def test_create(role: str, place: str) -> None:
    lon, lat = PLACES[place][1].coords
    response = _client(role).post(
        reverse("team-community-create"),
        {"name": "ТОС «Новый»", "sphere": sphere().pk, "form": "informal", "lon": lon, "lat": lat},
    )

    created = Community.objects.filter(name="ТОС «Новый»").exists()
    assert created is ALLOWED[(role, place)]
    if role == "anonymous":
        assert response.status_code == 302
    elif not created:
        assert response.status_code == 200  # the form says the point is outside the team's area
        assert "Точка вне вашего муниципалитета" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", ["own", "other"])
def test_read_unpublished(role: str, place: str) -> None:
    community = _proposed(place)
    client = _client(role)

    team_page = client.get(reverse("team-community", args=[community.pk]))
    public_page = client.get(community.get_absolute_url())

    if ALLOWED[(role, place)]:
        assert team_page.status_code == 200
        assert public_page.status_code == 200
    else:
        assert _denied(team_page.status_code, role)
        assert public_page.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", ["own", "other"])
def test_update(role: str, place: str) -> None:
    community = _proposed(place)

    response = _client(role).post(
        reverse("team-community-edit", args=[community.pk]),
        {"name": "ТОС «Переименованный»", "sphere": sphere().pk, "form": "informal"},
    )

    renamed = Community.objects.get(pk=community.pk).name == "ТОС «Переименованный»"
    assert renamed is ALLOWED[(role, place)]
    if not renamed:
        assert _denied(response.status_code, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", ["own", "other"])
def test_verify(role: str, place: str) -> None:
    community = _proposed(place)

    response = _client(role).post(
        reverse("team-community-verify", args=[community.pk]), {"meetings": "Встречи по средам"}
    )

    verified = Community.objects.get(pk=community.pk).status == Community.Status.VERIFIED
    assert verified is ALLOWED[(role, place)]
    if not verified:
        assert _denied(response.status_code, role)


def test_matrix_covers_every_role_and_place() -> None:
    assert {(role, place) for role in ROLES for place in PLACES} == set(ALLOWED)
