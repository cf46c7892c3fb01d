from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import Client

from geo.selectors import municipality_locate
from registry.models import Case, Community, Consent, Leader, Leadership, Verification
from registry.services.demo import DEMO_USERNAME, demo_load, demo_unload
from tests.registry.factories import community as new_community

SMALL = 40


def test_load_demo_creates_the_full_set_all_demo_and_inside_their_municipality(db: None) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)

    communities = Community.objects.all()
    assert communities.count() >= 250
    assert not communities.filter(is_demo=False).exists()
    assert Leader.objects.filter(is_demo=True).count() >= 100
    assert Case.objects.filter(is_demo=True, is_published=True).count() >= 5
    assert "сообществ 300" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_community c JOIN geo_municipality m ON m.id = c.municipality_id"
            " WHERE NOT ST_Intersects(m.boundary, c.location)"
        )
        assert cursor.fetchone()[0] == 0
    # ~80 % verified, ~15 % proposed, ~5 % archived
    verified = communities.filter(status=Community.Status.VERIFIED).count()
    proposed = communities.filter(status=Community.Status.PROPOSED).count()
    assert 0.7 < verified / 300 < 0.9
    assert 0.08 < proposed / 300 < 0.22


def test_demo_points_are_located_back_to_their_municipality(db: None) -> None:
    demo_load(count=SMALL)

    for community in Community.objects.select_related("municipality"):
        assert municipality_locate(point=community.location) == community.municipality, community.slug


def test_demo_is_reproducible_with_the_same_seed(db: None) -> None:
    demo_load(count=SMALL, seed=7)
    first = list(Community.objects.order_by("slug").values_list("slug", "status"))
    demo_unload()
    demo_load(count=SMALL, seed=7)

    assert list(Community.objects.order_by("slug").values_list("slug", "status")) == first


def test_verified_demo_communities_have_a_verification_by_the_demo_user(db: None) -> None:
    demo_load(count=SMALL)

    verified = Community.objects.filter(status=Community.Status.VERIFIED)
    assert verified.exists()
    assert not verified.filter(verifications__isnull=True).exists()
    assert set(Verification.objects.values_list("verified_by__username", flat=True)) == {DEMO_USERNAME}
    assert not Verification.objects.get(community=verified.first()).verified_by.has_usable_password()
    assert not verified.filter(verifications__evidence__isnull=True).exists()


def test_demo_leaders_have_consents_and_obviously_fake_contacts(db: None) -> None:
    demo_load(count=SMALL)

    leaders = Leader.objects.all()
    assert leaders.exists()
    assert not leaders.filter(leaderships__isnull=True).exists()
    for phone in leaders.exclude(phone="").values_list("phone", flat=True):
        assert phone.startswith("+7900000")
    for email in leaders.exclude(email="").values_list("email", flat=True):
        assert email.endswith("@example.org")
    with_contacts = leaders.exclude(phone="")
    assert not with_contacts.exclude(consents__scope=Consent.Scope.STORE_CONTACTS).exists()
    assert Consent.objects.filter(scope=Consent.Scope.PUBLISH_NAME).exists()


def test_load_demo_twice_does_not_duplicate(db: None) -> None:
    demo_load(count=SMALL)
    counts = (Community.objects.count(), Leader.objects.count(), Case.objects.count())

    out = StringIO()
    call_command("load_demo", "--count", str(SMALL), stdout=out)

    assert (Community.objects.count(), Leader.objects.count(), Case.objects.count()) == counts
    assert "уже загружены" in out.getvalue()


def test_unload_demo_removes_demo_rows_and_keeps_real_ones(db: None) -> None:
    real = new_community(name="ТОС «Настоящий»")
    demo_load(count=SMALL)

    out = StringIO()
    call_command("unload_demo", stdout=out)

    assert list(Community.objects.all()) == [real]
    assert not Leader.objects.exists()
    assert not Leadership.objects.exists()
    assert not Consent.objects.exists()
    assert not Verification.objects.exists()
    assert not Case.objects.exists()
    assert not Community.history.filter(is_demo=True).exists()
    assert f"сообществ {SMALL}" in out.getvalue()


def test_unload_demo_keeps_real_leaders_and_cases(db: None) -> None:
    real = new_community(name="ТОС «Настоящий»")
    leader = Leader.objects.create(full_name="Иванов Иван Иванович", municipality=real.municipality)
    case = Case.objects.create(
        community=real, title="Настоящий кейс", story="<p>История</p>", is_published=True
    )
    demo_load(count=SMALL)

    demo_unload()

    assert list(Leader.objects.all()) == [leader]
    assert list(Case.objects.all()) == [case]


def test_verified_demo_communities_appear_on_municipality_pages_with_the_demo_badge(
    db: None, client: Client
) -> None:
    demo_load(count=SMALL)
    community = (
        Community.objects.filter(status=Community.Status.VERIFIED).select_related("municipality").first()
    )
    assert community is not None

    html = client.get(community.municipality.get_absolute_url()).content.decode()

    assert community.get_absolute_url() in html
    assert "badge-demo" in html
    assert "демо" in html


def test_proposed_demo_communities_stay_off_municipality_pages(db: None, client: Client) -> None:
    demo_load(count=SMALL)
    community = (
        Community.objects.filter(status=Community.Status.PROPOSED).select_related("municipality").first()
    )
    assert community is not None

    html = client.get(community.municipality.get_absolute_url()).content.decode()

    assert community.get_absolute_url() not in html


def test_demo_has_lapsed_and_soon_lapsing_verifications_to_try_the_reverify_list(db: None) -> None:
    import datetime as dt

    from django.utils import timezone

    demo_load()

    today = timezone.localdate()
    verified = Community.objects.filter(status=Community.Status.VERIFIED)
    lapsed = verified.filter(verified_until__lt=today)
    assert lapsed.count() >= 10
    assert not lapsed.filter(verified_until__lt=today - dt.timedelta(days=59)).exists()  # still public
    assert (
        verified.filter(verified_until__gte=today, verified_until__lte=today + dt.timedelta(days=60)).count()
        >= 10
    )
    assert not Community.objects.filter(
        status=Community.Status.ARCHIVED, verified_until__isnull=False
    ).exists()
