"""GET /api/v1/leaders/ (consents decide what is shown), /api/v1/programme/progress/, and the
published-community counts of /api/v1/municipalities/."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from geo.models import Region
from registry.models import Community, Consent, Leader, Leadership, Programme
from registry.services.leaders import ConsentInput, consent_withdraw, leader_create, leader_purge
from tests.registry.factories import community, coordinator, municipality

pytestmark = pytest.mark.django_db
LEADERS = "/api/v1/leaders/"
PROGRESS = "/api/v1/programme/progress/"


def _consent(scope: str) -> ConsentInput:
    return ConsentInput(scope=scope, purpose="Карта сообществ", method=Consent.Method.PAPER_FAIR)


@pytest.fixture
def people(iglino_team_member: User, ufa_team_member: User) -> dict[str, Leader]:
    iglino, ufa = municipality("80628000"), municipality("80701000")
    everything = [_consent(scope) for scope in Consent.Scope.values]
    made = {
        "public": leader_create(
            user=iglino_team_member, municipality=iglino, full_name="Гарипова Алсу Ринатовна",
            display_name="Алсу Гарипова", phone="+79173456789", email="alsu@example.ru", consents=everything,
        ),
        "name_only": leader_create(
            user=iglino_team_member, municipality=iglino, full_name="Иванов Иван Иванович", phone="+79170000001",
            consents=[_consent(Consent.Scope.STORE_CONTACTS), _consent(Consent.Scope.PUBLISH_NAME)],
        ),
        "private": leader_create(
            user=iglino_team_member, municipality=iglino, full_name="Тайная Мария", phone="+79170000002",
            consents=[_consent(Consent.Scope.STORE_CONTACTS)],
        ),
        "ufa": leader_create(
            user=ufa_team_member, municipality=ufa, full_name="Уфимцев Олег", consents=everything,
        ),
    }  # fmt: skip
    Leadership.objects.create(
        leader=made["public"], community=community(municipality=iglino), role=Leadership.Role.FOUNDER
    )
    return made


def _listed(client: APIClient, **params: str) -> dict[int, dict[str, object]]:
    response = client.get(LEADERS, params)
    assert response.status_code == 200, response.content
    return {item["id"]: item for item in response.json()["results"]}


def test_leaders_need_sign_in(api_client: APIClient, people: dict[str, Leader]) -> None:
    assert api_client.get(LEADERS).status_code in (401, 403)


def test_team_sees_own_leaders_as_their_consents_allow(
    api_client: APIClient, iglino_team_member: User, people: dict[str, Leader]
) -> None:
    api_client.force_authenticate(iglino_team_member)
    listed = _listed(api_client)

    assert set(listed) == {people[key].pk for key in ("public", "name_only", "private")}
    public = listed[people["public"].pk]
    assert (public["name"], public["phone"], public["email"]) == (
        "Алсу Гарипова",
        "+79173456789",
        "alsu@example.ru",
    )
    assert public["communities"] == [
        {"community": people["public"].leaderships.get().community_id, "role": "founder"}
    ]
    assert public["municipality"] == "80628000"
    name_only = listed[people["name_only"].pk]
    assert (name_only["name"], name_only["phone"], name_only["email"]) == ("Иванов Иван Иванович", None, None)
    private = listed[people["private"].pk]
    assert (private["name"], private["phone"]) == (None, None)
    assert private["consents"] == ["store_contacts"]
    assert "Тайная" not in str(api_client.get(LEADERS).content, "utf-8")


def test_withdrawal_and_erasure_take_effect_at_once(
    api_client: APIClient, iglino_team_member: User, people: dict[str, Leader]
) -> None:
    consent_withdraw(user=iglino_team_member, leader=people["public"], scope=Consent.Scope.PUBLISH_CONTACTS)
    leader_purge(leader=people["name_only"])
    api_client.force_authenticate(iglino_team_member)
    listed = _listed(api_client)

    assert listed[people["public"].pk]["phone"] is None
    assert listed[people["public"].pk]["name"] == "Алсу Гарипова"
    assert people["name_only"].pk not in listed


def test_coordinator_sees_every_municipality_and_can_filter(
    api_client: APIClient, people: dict[str, Leader]
) -> None:
    api_client.force_authenticate(coordinator())

    assert set(_listed(api_client)) == {leader.pk for leader in people.values()}
    assert set(_listed(api_client, municipality="80701000")) == {people["ufa"].pk}
    assert api_client.get(LEADERS, {"municipality": "80701"}).json()["errors"][0]["field"] == "municipality"


@pytest.fixture
def programme() -> Programme:
    programme = Programme.objects.create(
        name="Конструктор сообществ", region=Region.objects.get(iso_code="RU-BA"),
        starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), is_current=True, target_communities=100,
    )  # fmt: skip
    programme.municipalities.set([municipality("80701000"), municipality("80628000")])
    community()
    community()
    community(municipality=municipality("80628000"), status=Community.Status.PROPOSED)
    return programme


def test_progress_totals_for_everyone_and_rows_for_teams(
    api_client: APIClient, programme: Programme, iglino_team_member: User
) -> None:
    public = api_client.get(PROGRESS).json()

    assert public["programme"]["region"] == "RU-BA"
    assert public["totals"]["communities"] == {"value": 2, "target": 100, "percent": 2, "reached": False}
    assert public["totals"]["municipalities_with_map"]["target"] == 2
    assert "municipalities" not in public
    api_client.force_authenticate(iglino_team_member)
    rows = {row["oktmo"]: row for row in api_client.get(PROGRESS).json()["municipalities"]}
    assert rows["80701000"]["communities"]["value"] == 2
    assert rows["80628000"]["communities"]["value"] == 0
    assert rows["80628000"]["has_map"] is False


def test_progress_without_a_current_programme_is_404(api_client: APIClient) -> None:
    assert api_client.get(PROGRESS).status_code == 404


def test_municipalities_carry_published_community_counts(api_client: APIClient) -> None:
    community()
    community(status=Community.Status.PROPOSED)
    community(municipality=municipality("80628000"))

    ufa = api_client.get("/api/v1/municipalities/80701000/").json()
    listed = api_client.get("/api/v1/municipalities/", {"level": 1, "page_size": 1000}).json()

    assert ufa["properties"]["communities_verified"] == 1
    counts = {
        item["properties"]["oktmo"]: item["properties"]["communities_verified"] for item in listed["features"]
    }
    assert counts["80628000"] == 1
    assert counts["80701000"] == 1
    assert sum(counts.values()) == 2
