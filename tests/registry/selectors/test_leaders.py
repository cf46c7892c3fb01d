from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from registry.models import Community, Consent, Leader, Leadership
from registry.selectors.leaders import leader_get, leader_list, leader_public_list
from tests.registry.factories import community as new_community
from tests.registry.factories import municipality


def _leader(community: Community, *scopes: str, **fields: object) -> Leader:
    values: dict[str, object] = {
        "full_name": "Гарипова Алсу Рашитовна",
        "phone": "+79173456789",
        "email": "alsu@example.ru",
    }
    values.update(fields)
    leader = Leader.objects.create(municipality=community.municipality, **values)
    Leadership.objects.create(leader=leader, community=community)
    for scope in scopes:
        Consent.objects.create(
            leader=leader,
            scope=scope,
            purpose="Публикация на карте",
            method="team_member",
            collected_at=timezone.now(),
        )
    return leader


def test_leader_without_consent_to_publish_name_is_absent(db: None) -> None:
    community = new_community()
    _leader(community, Consent.Scope.STORE_CONTACTS)

    assert leader_public_list(community=community) == []


def test_leader_with_consent_is_listed_by_display_name(db: None) -> None:
    community = new_community()
    _leader(community, Consent.Scope.PUBLISH_NAME, display_name="Алсу Гарипова")

    (person,) = leader_public_list(community=community)
    assert person.name == "Алсу Гарипова"
    assert person.role == "координатор"


def test_contacts_without_publish_contacts_consent_are_none(db: None) -> None:
    community = new_community()
    _leader(community, Consent.Scope.STORE_CONTACTS, Consent.Scope.PUBLISH_NAME)

    (person,) = leader_public_list(community=community)
    assert person.name == "Гарипова Алсу Рашитовна"
    assert person.phone is None
    assert person.email is None


def test_contacts_with_publish_contacts_consent_are_shown(db: None) -> None:
    community = new_community()
    _leader(community, Consent.Scope.PUBLISH_NAME, Consent.Scope.PUBLISH_CONTACTS)

    (person,) = leader_public_list(community=community)
    assert person.phone == "+79173456789"
    assert person.email == "alsu@example.ru"


def test_withdrawing_name_consent_hides_the_leader_at_once(db: None) -> None:
    community = new_community()
    leader = _leader(community, Consent.Scope.PUBLISH_NAME, Consent.Scope.PUBLISH_CONTACTS)
    assert len(leader_public_list(community=community)) == 1

    leader.consents.filter(scope=Consent.Scope.PUBLISH_NAME).update(withdrawn_at=timezone.now())

    assert leader_public_list(community=community) == []


def test_withdrawing_contacts_consent_hides_contacts_at_once(db: None) -> None:
    community = new_community()
    leader = _leader(community, Consent.Scope.PUBLISH_NAME, Consent.Scope.PUBLISH_CONTACTS)

    leader.consents.filter(scope=Consent.Scope.PUBLISH_CONTACTS).update(withdrawn_at=timezone.now())

    (person,) = leader_public_list(community=community)
    assert (person.phone, person.email) == (None, None)


def test_erased_leader_is_absent_even_with_consent(db: None) -> None:
    community = new_community()
    _leader(community, Consent.Scope.PUBLISH_NAME, erased_at=timezone.now())

    assert leader_public_list(community=community) == []


def test_leader_list_is_empty_for_the_public(db: None) -> None:
    _leader(new_community(), Consent.Scope.PUBLISH_NAME)

    assert not leader_list(user=AnonymousUser()).exists()


def test_leader_list_shows_team_members_their_municipality_only(db: None, ufa_team_member: User) -> None:
    ufa_leader = _leader(new_community())
    iglino = new_community(municipality=municipality("80628000"))
    _leader(iglino, full_name="Иванов Иван Иванович")

    assert list(leader_list(user=ufa_team_member)) == [ufa_leader]


def test_coordinator_sees_leaders_of_every_municipality(db: None, programme_coordinator: User) -> None:
    _leader(new_community())
    _leader(new_community(municipality=municipality("80628000")), full_name="Иванов Иван Иванович")

    assert leader_list(user=programme_coordinator).count() == 2


def test_leader_get_refuses_a_leader_outside_the_team(db: None, iglino_team_member: User) -> None:
    leader = _leader(new_community())

    assert leader_get(user=iglino_team_member, pk=leader.pk) is None
    assert leader_get(user=AnonymousUser(), pk=leader.pk) is None
