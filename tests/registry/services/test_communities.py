from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from geo.errors import DomainError
from registry.models import Community, TeamMembership, Verification
from registry.selectors.communities import (
    community_get,
    community_list,
    community_public_list,
    community_reverify_list,
)
from registry.services.community_creation import CommunityBatch, community_create, community_propose
from registry.services.community_edits import community_update
from registry.services.community_status import (
    EvidenceInput,
    community_archive,
    community_reject,
    community_verify,
)
from tests.registry.factories import BIRSK, IGLINO, UFA_CENTRE, sphere

EVIDENCE = [EvidenceInput(kind="meetings", text="Собрания раз в месяц, протоколы есть")]


def _create(
    user: User, name: str = "ТОС «Рассвет»", location: Point = UFA_CENTRE, **fields: Any
) -> Community:
    return community_create(user=user, name=name, sphere=sphere(), location=location, **fields)


def test_create_computes_municipality_from_the_point(ufa_team_member: User) -> None:
    community = _create(ufa_team_member)

    assert community.municipality.oktmo == "80701000"
    assert community.status == Community.Status.PROPOSED
    assert community.source == Community.Source.TEAM
    assert community.created_by == ufa_team_member
    assert community.slug


def test_create_rejects_point_outside_team_municipality(iglino_team_member: User) -> None:
    with pytest.raises(DomainError, match="location_outside_team"):
        _create(iglino_team_member, location=BIRSK)
    assert not Community.objects.exists()


def test_create_rejects_point_outside_programme_regions(ufa_team_member: User) -> None:
    with pytest.raises(DomainError, match="location_outside_programme"):
        _create(ufa_team_member, location=Point(37.62, 55.75, srid=4326))


def test_create_refuses_mass_assigned_fields(ufa_team_member: User) -> None:
    with pytest.raises(TypeError):
        _create(ufa_team_member, status=Community.Status.VERIFIED)
    assert not Community.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"name": "   "}, "name", "required"),
        ({"inn": "1234567890", "form": Community.Form.REGISTERED}, "inn", "inn_invalid"),
        ({"ogrn": "1027700132196", "form": Community.Form.REGISTERED}, "ogrn", "ogrn_invalid"),
        ({"links": ["javascript:alert(1)"]}, "links[0]", "url_invalid"),
        ({"links": ["ftp://example.org/x"]}, "links[0]", "url_invalid"),
        ({"founded_year": timezone.localdate().year + 1}, "founded_year", "year_out_of_range"),
        ({"founded_year": 1700}, "founded_year", "year_out_of_range"),
        ({"members_count": -1}, "members_count", "members_invalid"),
        ({"description": "x" * 10_001}, "description", "max_length"),
        ({"inn": "7707083893"}, "form", "form_mismatch"),
    ],
)
def test_create_names_the_bad_field(
    ufa_team_member: User, fields: dict[str, Any], field: str, code: str
) -> None:
    name = fields.pop("name", "ТОС «Рассвет»")
    with pytest.raises(DomainError) as error:
        _create(ufa_team_member, name=str(name), **fields)

    assert (field, code) in [(item.field, item.code) for item in error.value.items]
    assert all(item.message for item in error.value.items)
    assert not Community.objects.exists()


def test_valid_inn_and_ogrn_are_accepted(ufa_team_member: User) -> None:
    # Sberbank's public registration numbers: valid checksums.
    community = _create(
        ufa_team_member, form=Community.Form.REGISTERED, inn="7707083893", ogrn="1027700132195"
    )

    assert (community.inn, community.ogrn) == ("7707083893", "1027700132195")


def test_script_and_formula_names_are_stored_as_text(ufa_team_member: User) -> None:
    names = ["<script>alert(1)</script>", '=HYPERLINK("http://evil")']
    stored = [_create(ufa_team_member, name=name).name for name in names]

    assert stored == names


def test_verify_publishes_and_records_who_and_when(ufa_team_member: User) -> None:
    community = _create(ufa_team_member)

    verification = community_verify(user=ufa_team_member, community=community, evidence=EVIDENCE)

    community.refresh_from_db()
    assert community.status == Community.Status.VERIFIED
    assert verification.verified_by == ufa_team_member
    assert verification.valid_until == timezone.localdate() + timedelta(days=365)
    assert community.verified_until == verification.valid_until
    assert list(verification.evidence.values_list("kind", flat=True)) == ["meetings"]
    assert community_public_list().filter(pk=community.pk).exists()


def test_verify_without_evidence_is_refused(ufa_team_member: User) -> None:
    community = _create(ufa_team_member)

    with pytest.raises(DomainError, match="evidence_required"):
        community_verify(
            user=ufa_team_member, community=community, evidence=[EvidenceInput("meetings", "  ")]
        )
    community.refresh_from_db()
    assert community.status == Community.Status.PROPOSED
    assert not Verification.objects.exists()


def test_verify_names_an_unknown_evidence_kind(ufa_team_member: User) -> None:
    community = _create(ufa_team_member)

    with pytest.raises(DomainError, match="evidence_kind_invalid"):
        community_verify(
            user=ufa_team_member, community=community, evidence=[EvidenceInput("rumours", "говорят")]
        )


def test_lifecycle_allowed_transitions(ufa_team_member: User) -> None:
    community = _create(ufa_team_member)
    community_verify(user=ufa_team_member, community=community, evidence=EVIDENCE)
    community_archive(user=ufa_team_member, community=community, reason="Не собирается")
    assert community.status == Community.Status.ARCHIVED
    assert not community_public_list().filter(pk=community.pk).exists()

    community_verify(user=ufa_team_member, community=community, evidence=EVIDENCE)

    assert community.status == Community.Status.VERIFIED
    assert community.verifications.count() == 2


def test_reject_requires_a_reason_and_is_final(ufa_team_member: User) -> None:
    community = _create(ufa_team_member)
    with pytest.raises(DomainError, match="required"):
        community_reject(user=ufa_team_member, community=community, reason=" ")

    community_reject(user=ufa_team_member, community=community, reason="Группа не собирается")

    assert community.status == Community.Status.REJECTED
    with pytest.raises(DomainError, match="transition_forbidden"):
        community_verify(user=ufa_team_member, community=community, evidence=EVIDENCE)


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ("proposed", "archive"),
        ("verified", "reject"),
        ("archived", "reject"),
        ("archived", "archive"),
        ("rejected", "archive"),
    ],
)
def test_forbidden_transitions_are_clear_errors(ufa_team_member: User, setup: str, action: str) -> None:
    community = _create(ufa_team_member)
    if setup in {"verified", "archived"}:
        community_verify(user=ufa_team_member, community=community, evidence=EVIDENCE)
    if setup == "archived":
        community_archive(user=ufa_team_member, community=community, reason="Не собирается")
    if setup == "rejected":
        community_reject(user=ufa_team_member, community=community, reason="нет")
    before = Community.objects.get(pk=community.pk).status

    actions = {
        "archive": lambda: community_archive(
            user=ufa_team_member, community=community, reason="Не собирается"
        ),
        "reject": lambda: community_reject(user=ufa_team_member, community=community, reason="нет"),
    }

    with pytest.raises(DomainError, match="transition_forbidden") as error:
        actions[action]()

    assert "Нельзя перевести" in error.value.items[0].message
    assert Community.objects.get(pk=community.pk).status == before


def test_other_municipality_team_cannot_act(ufa_team_member: User, iglino_team_member: User) -> None:
    community = _create(ufa_team_member)

    for action in (
        lambda: community_verify(user=iglino_team_member, community=community, evidence=EVIDENCE),
        lambda: community_reject(user=iglino_team_member, community=community, reason="x"),
        lambda: community_update(user=iglino_team_member, community=community, name="Захват"),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert Community.objects.get(pk=community.pk).name == "ТОС «Рассвет»"


def test_coordinator_may_verify_anywhere(ufa_team_member: User, programme_coordinator: User) -> None:
    community = _create(ufa_team_member)

    community_verify(user=programme_coordinator, community=community, evidence=EVIDENCE)

    assert community.status == Community.Status.VERIFIED


def test_update_ignores_mass_assignment(ufa_team_member: User, iglino_team_member: User) -> None:
    community = _create(ufa_team_member)

    community_update(
        user=ufa_team_member,
        community=community,
        name="ТОС «Заря»",
        status=Community.Status.VERIFIED,
        municipality=TeamMembership.objects.get(user=iglino_team_member).municipality,
        created_by=iglino_team_member,
        source=Community.Source.IMPORT,
    )

    community.refresh_from_db()
    assert community.name == "ТОС «Заря»"
    assert community.status == Community.Status.PROPOSED
    assert community.municipality.oktmo == "80701000"
    assert community.created_by == ufa_team_member
    assert community.source == Community.Source.TEAM


def test_update_moving_the_point_recomputes_the_municipality(programme_coordinator: User) -> None:
    community = _create(programme_coordinator)

    community_update(user=programme_coordinator, community=community, location=IGLINO)

    assert community.municipality.oktmo == "80628000"


def test_update_cannot_move_a_community_out_of_the_team_area(ufa_team_member: User) -> None:
    community = _create(ufa_team_member)

    with pytest.raises(DomainError, match="location_outside_team"):
        community_update(user=ufa_team_member, community=community, location=IGLINO)
    assert Community.objects.get(pk=community.pk).municipality.oktmo == "80701000"


def test_public_proposal_goes_to_moderation_and_is_not_public(ufa_team_member: User) -> None:
    community = community_propose(
        name="Клуб «Шахматы»", sphere=sphere("interest"), location=UFA_CENTRE, status="verified"
    )

    assert community.status == Community.Status.PROPOSED
    assert community.source == Community.Source.PUBLIC_PROPOSAL
    assert community.created_by is None
    assert community_get(user=AnonymousUser(), pk=community.pk) is None
    assert community_get(user=ufa_team_member, pk=community.pk) == community


def test_expired_verification_goes_to_reverify_list_then_leaves_the_map(
    ufa_team_member: User, settings: object
) -> None:
    community = _create(ufa_team_member)
    community_verify(user=ufa_team_member, community=community, evidence=EVIDENCE, valid_days=30)
    today = timezone.localdate()
    grace = 60
    settings.REGISTRY_VERIFICATION_GRACE_DAYS = grace  # type: ignore[attr-defined]

    assert not community_reverify_list(user=ufa_team_member, today=today).exists()
    lapsed = today + timedelta(days=31)
    assert list(community_reverify_list(user=ufa_team_member, today=lapsed)) == [community]
    # Within the grace period it stays public; after it, it leaves the map (status unchanged).
    Community.objects.filter(pk=community.pk).update(verified_until=today - timedelta(days=grace - 1))
    assert community_public_list().filter(pk=community.pk).exists()
    Community.objects.filter(pk=community.pk).update(verified_until=today - timedelta(days=grace + 1))
    assert not community_public_list().filter(pk=community.pk).exists()
    assert community_list(user=ufa_team_member).filter(pk=community.pk).exists()


def test_history_records_actor_of_each_change(ufa_team_member: User) -> None:
    community = _create(ufa_team_member)
    community_verify(user=ufa_team_member, community=community, evidence=EVIDENCE)

    statuses = list(community.history.order_by("history_date").values_list("status", flat=True))

    assert statuses == ["proposed", "verified"]


def test_a_batch_writes_its_communities_with_unique_addresses_and_their_history(
    ufa_team_member: User,
) -> None:
    earlier = _create(ufa_team_member, name="Клуб «Маяк»")
    batch = CommunityBatch(user=ufa_team_member, source=Community.Source.FAIR_SIGNUP, size=3)
    created = [
        batch.create(name="Клуб «Маяк»", sphere=sphere(), location=UFA_CENTRE, members_count=number)
        for number in range(4)
    ]
    # ids at once, so that callers can link to them; three written by the first automatic flush
    assert len({community.pk for community in created}) == 4
    assert Community.objects.filter(pk__in=[community.pk for community in created]).count() == 3
    batch.flush()

    stored = list(Community.objects.filter(name="Клуб «Маяк»").order_by("pk"))
    assert len(stored) == 5
    assert len({community.slug for community in stored}) == 5
    assert {community.slug for community in stored} >= {earlier.slug, f"{earlier.slug}-2"}
    for community in stored[1:]:
        assert community.status == Community.Status.PROPOSED
        assert community.source == Community.Source.FAIR_SIGNUP
        assert community.municipality.oktmo == "80701000"
        assert community.name_normalized == "маяк"
        (record,) = community.history.all()
        assert record.history_type == "+"
        assert record.history_user == ufa_team_member
        assert (record.slug, record.members_count, record.municipality_id) == (
            community.slug,
            community.members_count,
            community.municipality_id,
        )


def test_a_batch_checks_each_community_like_create_does(ufa_team_member: User) -> None:
    batch = CommunityBatch(user=ufa_team_member, source=Community.Source.FAIR_SIGNUP)
    with pytest.raises(DomainError) as error:
        batch.create(name="Клуб", sphere=sphere(), location=Point(37.62, 55.75, srid=4326))
    assert error.value.items[0].field == "location"
    with pytest.raises(DomainError) as error:
        batch.create(name="Клуб", sphere=sphere(), location=UFA_CENTRE, founded_year=1700)
    assert error.value.items[0].field == "founded_year"
    batch.flush()
    assert not Community.objects.filter(name="Клуб").exists()
