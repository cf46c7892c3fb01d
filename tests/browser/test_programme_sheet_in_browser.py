"""In a real browser: the coordinator (no staff status) adds a municipality to the programme with the
grouped picker and sets its targets; the printable maps (a municipality's, the region's) print on one sheet."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from pypdf import PdfReader

from registry.models import Programme, Sphere
from registry.services.community_creation import community_create
from registry.services.community_status import community_verify
from tests.browser.conftest import Recorder
from tests.cockpit.conftest import EVIDENCE, make_programme
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import IGLINO, coordinator, municipality, sphere, team_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
PASSWORD = "correct-horse-battery"  # noqa: S105 -- the factories' test password


def _sign_in(page: Any, live_server: Any, user: User) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/team/")


def test_the_coordinator_adds_a_municipality_and_its_targets(
    page: Any, live_server: Any, recorder: Recorder, screenshots: Path
) -> None:
    programme: Programme = make_programme()
    boss = coordinator(username="coordinator")
    assert not boss.is_staff
    _sign_in(page, live_server, boss)
    page.goto(f"{live_server.url}/programme/dashboard/")
    page.click("text=Изменить программу")
    blagoveshchensk = municipality("80615000")
    page.check(f"#municipality-picker input[value='{blagoveshchensk.pk}']")
    page.click("#programme-form button[type=submit]")
    page.screenshot(path=str(screenshots / "programme-edit-1.png"), full_page=True)
    page.fill(f"input[name=target_{blagoveshchensk.pk}_communities]", "6")
    page.click("#programme-form button[type=submit]")
    page.screenshot(path=str(screenshots / "programme-edit.png"), full_page=False)
    assert page.locator("text=Программа сохранена.").count() == 1
    assert set(programme.municipalities.values_list("oktmo", flat=True)) == {
        "80701000",
        "80628000",
        "80615000",
    }
    assert programme.municipal_targets.get().communities == 6
    assert recorder.console_errors == []


def test_the_printable_map_fits_one_landscape_a4_sheet(
    page: Any, live_server: Any, recorder: Recorder, screenshots: Path
) -> None:
    team = team_member("80628000")
    for index in range(3):
        found = community_create(
            user=team, name=f"Клуб №{index + 1}", sphere=sphere("sport"), location=IGLINO
        )
        community_verify(user=team, community=found, evidence=EVIDENCE)
    page.goto(f"{live_server.url}/m/{municipality('80628000').slug}/print/")
    page.screenshot(path=str(screenshots / "print-map.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert round(float(box.width)) == 842  # A4 landscape in points
    assert round(float(box.height)) == 595
    assert recorder.console_errors == []


@pytest.mark.parametrize(
    ("query", "points"),
    [
        ("", (842, 595)),
        ("?size=a3&orientation=portrait", (842, 1191)),
        ("?size=a4&orientation=portrait", (595, 842)),
    ],
)
def test_the_printable_region_map_fits_one_sheet(
    page: Any, live_server: Any, recorder: Recorder, screenshots: Path, query: str, points: tuple[int, int]
) -> None:
    make_programme()
    team = team_member("80628000")
    spheres = list(Sphere.objects.order_by("pk"))  # every sphere in the legend: the longest one
    for index, each in enumerate(spheres):
        found = community_create(user=team, name=f"Клуб №{index + 1}", sphere=each, location=IGLINO)
        community_verify(user=team, community=found, evidence=EVIDENCE)
    page.goto(f"{live_server.url}/maps/region/print/{query}")
    name = "print-region-map" + query.replace("?", "-").replace("&", "-").replace("=", "-")
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    assert page.locator(".print-map path").count() > 50
    assert page.locator(".print-map circle").count() == len(spheres)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".print-attribution").is_visible()
    assert page.locator(".print-legend").is_visible()
    page.screenshot(path=str(screenshots / f"{name}-print.png"), full_page=True)
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points
    text = pdf.pages[0].extract_text()
    assert "Сообщества программы" in text
    assert "OpenStreetMap" in text
    assert recorder.console_errors == []
