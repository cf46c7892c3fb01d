"""Every public page at a 360-px phone and a 1366-px desktop: no sideways scroll, the menu folded on
the phone and opening from its button, the privacy notice linked. The pages are taken from the URL
configuration (every route that is not the team's, the admin's, an API's or a file), not listed
by hand, so a new public page is checked the day it appears."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from registry.models import Community
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, municipality

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
# Not pages for the public: the team's workspace, the admin, machine interfaces, files, redirects.
NOT_PUBLIC = (
    "team", "login", "logout", "admin", "api", "ogc", "tiles", "i18n", "healthz", "data/", "maps/",
    "programme/", "propose/done", "propose/fix", "privacy/sent", "propose/thanks",
)  # fmt: skip
FILES = (".json", ".html", ".mvt", ".csv", ".xlsx", ".pdf", ".png", ".svg", ".txt", ".ics")
VIEWPORTS = [(360, 740), (1366, 900)]


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    routes: list[str] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            routes.append(prefix + str(entry.pattern))
    return routes


def _public_urls(samples: dict[str, str]) -> list[str]:
    urls = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith("^") or any(route.startswith(word) or f"/{word}" in route for word in NOT_PUBLIC):
            continue
        if route.endswith(FILES):
            continue
        url = "/" + route
        for placeholder, value in samples.items():
            url = url.replace(placeholder, value)
        if "<" in url:
            continue  # a parameter we have no sample for (a fair's QR page, say)
        urls.append(url)
    return sorted(set(urls))


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_no_public_page_scrolls_sideways(
    live_server: Any, chromium: Any, screenshots: Any, width: int, height: int
) -> None:
    iglino = municipality("80628000")
    club = community(
        name="Клуб «Очень длинное название сообщества, которое не помещается в строку»", municipality=iglino
    )
    for number in range(4):
        community(name=f"Клуб {number}", municipality=iglino)
    assert Community.objects.count() == 5
    urls = _public_urls({"<slug:slug>": "iglinskii-raion", "c/iglinskii-raion": f"c/{club.slug}"})
    assert {"/", "/m/iglinskii-raion/", f"/c/{club.slug}/", "/propose/", "/privacy/", "/cases/"} <= set(urls)

    context = chromium.new_context(viewport={"width": width, "height": height}, locale="ru-RU")
    page = context.new_page()
    wide = {}
    try:
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("load")
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            if scroll > width:
                wide[url] = scroll
                page.screenshot(
                    path=str(screenshots / f"wide-{width}-{url.strip('/').replace('/', '_')}.png")
                )
            if not url.startswith("/embed/"):  # the embed is a map alone, framed by another site
                assert page.locator("footer a[href='/privacy/']").count() == 1, url
    finally:
        context.close()
    assert wide == {}


def test_the_phone_menu_folds_behind_its_button(live_server: Any, chromium: Any, screenshots: Any) -> None:
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    button = page.locator(".menu-toggle")

    assert button.is_visible()
    assert not page.locator("#site-menu").is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-menu a", has_text="Предложить сообщество").is_visible()
    page.screenshot(path=str(screenshots / "menu-360.png"))
    page.keyboard.press("Escape")
    assert not page.locator("#site-menu").is_visible()
    context.close()


def test_municipality_list_and_map_are_one_tap_apart_on_a_phone(live_server: Any, chromium: Any) -> None:
    iglino = municipality("80628000")
    community(name="Клуб «Рядом»", municipality=iglino)
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    page = context.new_page()
    page.goto(f"{live_server.url}/m/iglinskii-raion/")

    assert page.locator("#community-map-panel .leaflet-container").is_visible()
    assert not page.locator("#community-list-panel a", has_text="Клуб «Рядом»").is_visible()
    page.locator(".view-switch button", has_text="Список").click()
    assert page.locator("#community-list-panel a", has_text="Клуб «Рядом»").is_visible()
    assert not page.locator("#community-map-panel .leaflet-container").is_visible()
    context.close()


def test_without_javascript_the_phone_shows_the_menu_and_both_panels(live_server: Any, chromium: Any) -> None:
    """The fold is CSS (`scripting: enabled`, so the page never shifts when site.js runs): a phone
    without JavaScript must get the menu and the list, not a button and a switch that do nothing."""
    iglino = municipality("80628000")
    community(name="Клуб «Рядом»", municipality=iglino)
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale="ru-RU", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/m/iglinskii-raion/")

    assert not page.locator(".menu-toggle").is_visible()
    assert page.locator("#site-menu a", has_text="Предложить сообщество").is_visible()
    assert not page.locator(".view-switch").is_visible()
    assert page.locator("#community-list-panel a", has_text="Клуб «Рядом»").is_visible()
    context.close()


@pytest.mark.parametrize("height", [300, 480, 600])
def test_the_embed_shows_its_credit_and_list_link_at_any_height(
    live_server: Any, chromium: Any, height: int
) -> None:
    context = chromium.new_context(viewport={"width": 400, "height": height}, locale="ru-RU")
    page = context.new_page()
    page.goto(f"{live_server.url}/embed/m/iglinskii-raion/")
    page.wait_for_load_state("load")

    for selector in (".leaflet-control-attribution", ".embed-bar a"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["y"] >= 0, (selector, box)
        assert box["y"] + box["height"] <= height, (selector, box)
    hidden = page.locator("#embed-summary").bounding_box()
    assert hidden is not None
    assert hidden["width"] <= 1  # the screen-reader text stays visually hidden
    context.close()
