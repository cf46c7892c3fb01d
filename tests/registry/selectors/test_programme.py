from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from geo.models import Region
from registry.models import Community, Leader, Leadership, Programme
from registry.selectors.programme import Measure, programme_current, programme_progress
from tests.registry.factories import BIRSK, IGLINO, CommunityFactory, municipality

pytestmark = pytest.mark.django_db

UFA, IGLINO_DISTRICT, BIRSK_DISTRICT = "80701000", "80628000", "80613000"


def make_programme(*oktmo: str, is_current: bool = True) -> Programme:
    programme = Programme.objects.create(
        name="Конструктор сообществ",
        region=Region.objects.get(iso_code="RU-BA"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        is_current=is_current,
    )
    programme.municipalities.set([municipality(code) for code in oktmo])
    return programme


def leader(*communities: Community, erased: bool = False) -> Leader:
    person = Leader.objects.create(
        full_name="Иванова Анна Петровна",
        name_normalized="иванова анна петровна",
        municipality=communities[0].municipality,
        erased_at=timezone.now() if erased else None,
    )
    for community in communities:
        Leadership.objects.create(leader=person, community=community)
    return person


def in_iglino(**kwargs: object) -> Community:
    return CommunityFactory.create(municipality=municipality(IGLINO_DISTRICT), location=IGLINO, **kwargs)


def test_programme_current_returns_the_current_programme_or_none() -> None:
    assert programme_current() is None
    make_programme(UFA, is_current=False)
    assert programme_current() is None
    Programme.objects.update(is_current=True)
    assert programme_current() == Programme.objects.get()


def test_programme_progress_counts_published_communities_and_linked_leaders() -> None:
    programme = make_programme(UFA, IGLINO_DISTRICT)
    ufa_first, ufa_second = CommunityFactory.create(), CommunityFactory.create()
    proposed = CommunityFactory.create(status=Community.Status.PROPOSED)
    rejected = CommunityFactory.create(status=Community.Status.REJECTED, rejection_reason="Нет встреч")
    archived = CommunityFactory.create(status=Community.Status.ARCHIVED)
    iglino = in_iglino()
    birsk = CommunityFactory.create(
        municipality=municipality(BIRSK_DISTRICT), location=BIRSK
    )  # not in the programme
    leader(ufa_first)
    leader(ufa_first, ufa_second)  # two communities in one municipality: once
    leader(proposed)
    leader(ufa_first, erased=True)
    leader(ufa_second, iglino)  # two municipalities: once in each row, once in the total
    leader(rejected, archived)
    leader(birsk)

    progress = programme_progress(programme=programme)

    rows = {row.municipality.oktmo: row for row in progress.rows}
    assert [row.municipality.oktmo for row in progress.rows] == [IGLINO_DISTRICT, UFA]  # by name
    assert rows[UFA].communities == Measure(2, 50)  # 100 shared by 2, rounded up
    assert rows[IGLINO_DISTRICT].communities == Measure(1, 50)
    assert rows[UFA].leaders == Measure(3, 5)
    assert rows[IGLINO_DISTRICT].leaders == Measure(1, 5)
    assert rows[UFA].has_map
    assert rows[IGLINO_DISTRICT].has_map
    assert rows[UFA].fairs == Measure(0, 14)
    assert rows[UFA].fair_participants == Measure(0, 1500)
    assert progress.communities == Measure(3, 100)
    assert progress.leaders == Measure(3, 10)  # 5 per municipality × 2
    assert progress.fairs == Measure(0, 27)
    assert progress.fair_participants == Measure(0, 3000)
    assert progress.municipalities_with_map == Measure(2, 2)


def test_leader_linked_only_to_a_proposed_community_is_not_counted() -> None:
    programme = make_programme(UFA)
    leader(CommunityFactory.create(status=Community.Status.PROPOSED))

    progress = programme_progress(programme=programme)

    assert progress.leaders.value == 0
    assert progress.rows[0].leaders.value == 0


def test_leader_linked_to_a_verified_community_is_counted() -> None:
    programme = make_programme(UFA)
    leader(CommunityFactory.create())

    progress = programme_progress(programme=programme)

    assert progress.leaders.value == 1
    assert progress.rows[0].leaders.value == 1


def test_leader_of_verified_communities_in_two_municipalities_counts_once_in_total() -> None:
    programme = make_programme(UFA, IGLINO_DISTRICT)
    leader(CommunityFactory.create(), in_iglino())

    progress = programme_progress(programme=programme)

    assert [row.leaders.value for row in progress.rows] == [1, 1]
    assert progress.leaders.value == 1


def test_erased_leader_is_not_counted() -> None:
    programme = make_programme(UFA)
    leader(CommunityFactory.create(), erased=True)

    assert programme_progress(programme=programme).leaders.value == 0


def test_community_whose_verification_lapsed_beyond_grace_stops_counting() -> None:
    programme = make_programme(UFA)
    grace = timedelta(days=settings.REGISTRY_VERIFICATION_GRACE_DAYS)
    today = timezone.localdate()
    lapsed = CommunityFactory.create(verified_until=today - grace - timedelta(days=1))
    CommunityFactory.create(verified_until=today - grace)  # last day of grace: still published
    leader(lapsed)

    progress = programme_progress(programme=programme)

    assert progress.communities.value == 1
    assert progress.leaders.value == 0


def test_municipality_without_published_communities_has_no_map() -> None:
    programme = make_programme(UFA, IGLINO_DISTRICT)
    CommunityFactory.create()
    in_iglino(status=Community.Status.PROPOSED)

    progress = programme_progress(programme=programme)

    assert {row.municipality.oktmo: row.has_map for row in progress.rows} == {
        UFA: True,
        IGLINO_DISTRICT: False,
    }
    assert progress.municipalities_with_map == Measure(1, 2)


def test_programme_progress_query_count_does_not_grow_with_data(django_assert_max_num_queries) -> None:
    programme = make_programme(UFA, IGLINO_DISTRICT, BIRSK_DISTRICT)
    for _ in range(5):
        leader(CommunityFactory.create(), in_iglino())
        leader(CommunityFactory.create(municipality=municipality(BIRSK_DISTRICT), location=BIRSK))
    programme = Programme.objects.get(pk=programme.pk)

    with django_assert_max_num_queries(6):  # the sixth: per-municipality targets (MunicipalTarget)
        progress = programme_progress(programme=programme)
        [row.municipality.region.name for row in progress.rows]

    assert progress.leaders.value == 10


def test_measure_percent_rounds_down_and_handles_no_target() -> None:
    assert Measure(2, 3).percent == 66
    assert Measure(7, 5).percent == 140
    assert Measure(7, 5).bar_value == 5
    assert Measure(1, 0).percent is None
