"""The region's printable map: the programme's municipalities coloured by their published
communities (the region map's classes), the communities as dots at their public points, on an A4 or
A3 sheet, landscape or portrait, with title, legend, date and attribution."""

from __future__ import annotations

import re

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from registry.maps.builders import OUTSIDE_FILL, count_fill
from registry.models import Community, Programme
from registry.views_print import REGION_DOTS_MAX
from tests.cockpit.conftest import logged_in
from tests.registry.factories import IGLINO, UFA_CENTRE, community, coordinator, municipality, sphere

pytestmark = pytest.mark.django_db
DOT = re.compile(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" fill="(#[0-9a-f]{6})"')


def _svg(page: str) -> str:
    return page.split('class="print-map"')[1].split("</svg>")[0]


def _published(programme: Programme) -> dict[str, Community]:
    ufa, iglino = municipality("80701000"), municipality("80628000")
    home = community(
        name="Клуб «Дом»",
        location=Point(IGLINO.x + 0.15, IGLINO.y - 0.08, srid=4326),
        municipality=iglino,
        hide_exact_location=True,
        sphere=sphere("sport"),
    )
    home.refresh_from_db()
    assert home.public_point is not None
    assert home.public_point.distance(home.location) > 0.01  # really somewhere else
    return {
        "ufa": community(name="ТОС «Уфимский»", location=UFA_CENTRE, municipality=ufa),
        "iglino": community(
            name="ТОС «Иглинский»", location=IGLINO, municipality=iglino, sphere=sphere("culture")
        ),
        "home": home,
        "draft": community(
            name="ТОС «Черновик»", location=IGLINO, municipality=iglino, status=Community.Status.PROPOSED
        ),
    }


def test_the_region_sheet_has_title_legend_date_attribution_and_coloured_municipalities(
    client: Client, programme: Programme
) -> None:
    _published(programme)
    response = client.get(reverse("region-map-print"))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Сообщества программы: {programme.name}" in page
    assert "Республика Башкортостан" in page
    assert f"данные на {date_format(timezone.localdate(), 'j E Y')}" in page
    assert "3 опубликованных сообщества" in page
    assert "участники OpenStreetMap" in page
    assert "ODbL" in page
    legend = page.split('id="legend-heading"')[1].split("</aside>")[0]
    assert "Опубликованных сообществ в муниципалитете" in legend
    assert "не участвует в программе" in legend
    assert f"{sphere('sport').name} — 1" in legend
    assert f"{sphere().name} — 1" in legend
    assert f"{sphere('culture').name} — 1" in legend
    svg = _svg(page)
    fills = re.findall(r'<path d="M[^"]+" fill="(#[0-9a-f]{6})"', svg)
    assert len(fills) > 50  # the home region's districts and okrugs
    # Ufa (one community) and Iglino (two: the draft does not count) are in the «1–4» class
    assert count_fill(1) == count_fill(2) != count_fill(0)
    assert fills.count(count_fill(1)) == 2
    assert fills.count(OUTSIDE_FILL) == len(fills) - 2
    assert len(DOT.findall(svg)) == 3
    assert "Черновик" not in page
    assert 'class="print-sheet sheet-a4 landscape"' in page


def test_a_hidden_place_is_drawn_at_its_public_point_never_at_home(
    client: Client, programme: Programme
) -> None:
    places = _published(programme)
    svg = _svg(client.get(reverse("region-map-print")).content.decode())
    # each place has its own sphere, so its dot is known by its colour
    dots = {fill: (float(x), float(y)) for x, y, fill in DOT.findall(svg)}
    assert len(dots) == 3
    (ux, uy) = dots[sphere().color]
    (ix, iy) = dots[sphere("culture").color]
    (hx, hy) = dots[sphere("sport").color]
    ufa, iglino = places["ufa"].location, places["iglino"].location

    def project(point: Point) -> tuple[float, float]:
        """The drawing is affine in lon and lat: the two exact places fix it."""
        return (
            ux + (point.x - ufa.x) * (ix - ux) / (iglino.x - ufa.x),
            uy + (point.y - ufa.y) * (iy - uy) / (iglino.y - ufa.y),
        )

    home = places["home"]
    assert home.public_point is not None
    public, private = project(home.public_point), project(home.location)
    assert abs(hx - public[0]) < 0.5
    assert abs(hy - public[1]) < 0.5
    # and that is not where the home is (the two lie apart on the sheet by more than a dot)
    assert abs(public[0] - private[0]) + abs(public[1] - private[1]) > 5
    assert abs(hx - private[0]) + abs(hy - private[1]) > 5


@pytest.mark.parametrize(
    ("query", "page_name", "width"),
    [
        ("", "a4 landscape", 760),
        ("?size=a3", "a3 landscape", 1120),
        ("?size=a4&orientation=portrait", "a4-portrait portrait", 710),
        ("?size=a3&orientation=portrait", "a3-portrait portrait", 1040),
        ("?size=a5&orientation=<b>", "a4 landscape", 760),
    ],
)
def test_each_sheet_renders_with_title_legend_date_and_attribution(
    client: Client, programme: Programme, query: str, page_name: str, width: int
) -> None:
    page = client.get(reverse("region-map-print") + query).content.decode()
    assert f'class="print-sheet sheet-{page_name}"' in page
    assert f'width="{width}"' in page
    for expected in ("Сообщества программы", "Условные обозначения", "данные на", "участники OpenStreetMap"):
        assert expected in page, expected
    assert "<b>" not in page.split("<main", 1)[1]


def test_too_many_communities_print_as_counts_only(
    client: Client, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    _published(programme)
    monkeypatch.setattr("registry.views_print.REGION_DOTS_MAX", 2)
    page = client.get(reverse("region-map-print")).content.decode()
    assert len(DOT.findall(_svg(page))) == 0
    assert "Сообществ больше 2: точки не показаны" in page
    assert REGION_DOTS_MAX >= 1000


def test_the_dashboard_and_the_home_page_link_the_region_sheet(client: Client, programme: Programme) -> None:
    url = reverse("region-map-print")
    dashboard = logged_in(coordinator(username="coordinator")).get(reverse("programme-dashboard"))
    assert url in dashboard.content.decode()
    assert url in client.get(reverse("home")).content.decode()
