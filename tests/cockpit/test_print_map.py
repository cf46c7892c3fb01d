"""A municipality's printable map: title, legend, date and attribution on a landscape A4 or A3 sheet,
published communities only, linked from the coordinator's dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from registry.maps.printable import printable_map
from registry.models import Programme
from registry.services.community_creation import community_create
from registry.services.community_status import community_verify
from tests.cockpit.conftest import EVIDENCE, logged_in
from tests.registry.factories import IGLINO, coordinator, municipality, sphere, team_member

pytestmark = pytest.mark.django_db


def test_the_sheet_has_title_legend_date_attribution_and_published_dots_only(client: Client) -> None:
    team = team_member("80628000")
    published = community_create(user=team, name="Клуб «Бодрость»", sphere=sphere("sport"), location=IGLINO)
    community_verify(user=team, community=published, evidence=EVIDENCE)
    community_create(user=team, name="ТОС «Черновик»", sphere=sphere(), location=IGLINO)  # not published
    iglino = municipality("80628000")

    response = client.get(reverse("municipality-map-print", args=[iglino.slug]))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Сообщества: {iglino.name}" in page
    assert f"данные на {date_format(timezone.localdate(), 'j E Y')}" in page
    assert "участники OpenStreetMap" in page
    legend = page.split('id="legend-heading"')[1].split("</aside>")[0]
    assert f"{sphere('sport').name} — 1" in legend
    assert sphere().name not in legend  # the draft's sphere: nothing published in it
    svg = page.split('class="print-map"')[1].split("</svg>")[0]
    assert len(re.findall(r"<circle ", svg)) == 1
    assert re.search(r'cx="\d+(\.\d+)?" cy="\d+(\.\d+)?"', svg)  # a decimal point, not the Russian comma
    assert '<path d="M' in svg  # the boundary
    assert "Черновик" not in page
    assert 'class="print-sheet sheet-a4 landscape"' in page


def test_a3_is_chosen_by_the_link_and_the_css_sizes_the_page(client: Client) -> None:
    iglino = municipality("80628000")
    page = client.get(reverse("municipality-map-print", args=[iglino.slug]) + "?size=a3").content.decode()
    assert 'class="print-sheet sheet-a3 landscape"' in page
    assert 'width="1120"' in page
    css = (Path(settings.BASE_DIR) / "static/css/print-map.css").read_text()
    assert "@page a3 { size: A3 landscape" in css
    assert "@page a4 { size: A4 landscape" in css
    bad = client.get(reverse("municipality-map-print", args=[iglino.slug]) + "?size=<b>").content.decode()
    assert 'sheet-a4 landscape"' in bad  # an unknown size: A4, the parameter never echoed
    assert "<b>" not in bad.split("<main", 1)[1]


def test_the_drawing_fits_the_frame() -> None:
    drawing = printable_map(
        areas=[
            (
                {
                    "type": "Polygon",
                    "coordinates": [[[56.0, 54.5], [57.0, 54.5], [57.0, 55.0], [56.0, 54.5]]],
                },
                "#eee",
            )
        ],
        points=[(56.5, 54.75, "#ff0000")],
        width=400,
        height=300,
    )
    (area,) = drawing.areas
    assert area.fill == "#eee"
    numbers = [float(value) for value in re.findall(r"[\d.]+", area.path)]
    assert all(0 <= value <= 400 for value in numbers)
    (dot,) = drawing.dots
    assert 20 <= dot.x <= 380
    assert 20 <= dot.y <= 280
    assert dot.color == "#ff0000"


def test_the_dashboard_links_each_municipality_to_its_printable_map(programme: Programme) -> None:
    page = logged_in(coordinator(username="coordinator")).get(reverse("programme-dashboard")).content.decode()
    assert reverse("municipality-map-print", args=[municipality("80628000").slug]) in page
