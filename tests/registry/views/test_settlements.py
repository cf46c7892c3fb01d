"""Villages on the map: a team places its district's settlements without a point (inside the
district only, recording who and when), a reload of the gazetteer keeps such points and reports a
conflicting source point, and a community hiding its place moves to the placed village."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from geo.models import POINT_SOURCE_TEAM, Settlement
from registry.models import Community
from tests.registry.factories import community, municipality

IGLINO_INSIDE = Point(56.35, 54.78, srid=4326)  # inside Иглинский район
UFA_POINT = Point(55.958, 54.735, srid=4326)  # Уфа: outside it


def _village_without_point() -> Settlement:
    return Settlement.objects.filter(municipality__oktmo="80628000", point__isnull=True).order_by("oktmo")[0]


@pytest.fixture
def member_client(client: Client, iglino_team_member: User) -> Client:
    client.force_login(iglino_team_member)
    return client


@pytest.mark.django_db
def test_the_list_shows_the_districts_settlements_without_a_point(member_client: Client) -> None:
    village = _village_without_point()

    html = member_client.get(reverse("team-settlements")).content.decode()

    assert reverse("team-settlement", args=[village.pk]) in html
    ufa_village = Settlement.objects.filter(municipality__oktmo="80701000")[0]
    assert member_client.get(reverse("team-settlement", args=[ufa_village.pk])).status_code == 404


@pytest.mark.django_db
def test_placing_a_village_inside_the_district_records_who_and_when(
    member_client: Client, iglino_team_member: User
) -> None:
    village = _village_without_point()
    url = reverse("team-settlement", args=[village.pk])

    outside = member_client.post(url, {"lon": UFA_POINT.x, "lat": UFA_POINT.y})
    assert "Точка вне района" in outside.content.decode()
    member_client.post(url, {"lon": IGLINO_INSIDE.x, "lat": IGLINO_INSIDE.y})

    village.refresh_from_db()
    assert _point(village).equals_exact(IGLINO_INSIDE, 1e-9)
    assert village.source == POINT_SOURCE_TEAM
    assert village.point_set_by == iglino_team_member
    assert village.point_set_at is not None


@pytest.mark.django_db
def test_a_reload_keeps_team_points_and_reports_a_far_source_point(iglino_team_member: User) -> None:
    from geo.placement import settlement_point_set

    bare = _village_without_point()
    sourced = (
        Settlement.objects.filter(municipality__oktmo="80628000", point__isnull=False)
        .exclude(source=POINT_SOURCE_TEAM)
        .order_by("oktmo")[0]
    )
    settlement_point_set(settlement=bare, point=IGLINO_INSIDE, user=iglino_team_member)
    far = Point(_point(sourced).x + 0.2, _point(sourced).y, srid=4326)  # ~13 km east
    settlement_point_set(settlement=sourced, point=far, user=iglino_team_member)
    out = StringIO()

    call_command("load_geodata", stdout=out)

    bare.refresh_from_db()
    sourced.refresh_from_db()
    assert _point(bare).equals_exact(IGLINO_INSIDE, 1e-9)
    assert _point(sourced).equals_exact(far, 1e-9)
    assert (bare.source, sourced.source) == (POINT_SOURCE_TEAM, POINT_SOURCE_TEAM)
    assert f"Точка команды сохранена: {sourced.name} ({sourced.oktmo})" in out.getvalue()
    assert bare.oktmo not in out.getvalue()


@pytest.mark.django_db
def test_a_hidden_location_community_moves_to_the_placed_village(member_client: Client) -> None:
    village = _village_without_point()
    hidden = community(
        name="Клуб «Скрытный»",
        municipality=municipality("80628000"),
        location=Point(56.40, 54.80, srid=4326),
        hide_exact_location=True,
        settlement=village,
    )

    def public_point() -> tuple[str, list[float]]:
        """The page's words about the place, and the public [lat, lon] its map caption carries."""
        html = Client().get(hidden.get_absolute_url()).content.decode()
        summary = re.search(r'id="community-map-summary"[^>]*>', html)
        assert summary is not None, "no map caption on the community page"
        data = dict(re.findall(r'data-(\w+)="([^"]*)"', summary.group(0)))
        words = "settlement" if "место скрыто: показан населённый пункт" in html.lower() else "other"
        return words, [round(float(data["lat"]), 4), round(float(data["lon"]), 4)]

    before = public_point()
    member_client.post(
        reverse("team-settlement", args=[village.pk]), {"lon": IGLINO_INSIDE.x, "lat": IGLINO_INSIDE.y}
    )

    assert before[1] != [54.78, 56.35]
    assert before[0] == "other"
    assert public_point() == ("settlement", [54.78, 56.35])
    assert Community.objects.get(pk=hidden.pk).location.equals_exact(Point(56.40, 54.80), 1e-9)


def _point(settlement: Settlement) -> Point:
    assert settlement.point is not None
    return settlement.point
