"""The maps in a real browser: they load cleanly, show exactly the published communities, open
escaped popups, request nothing but the app and the tile server, and run no injected script."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo.models import Settlement
from registry.models import Community
from tests.browser.conftest import Recorder
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, municipality, sphere

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
CANARY_NAME = 'Клуб <img src=x onerror="window.__xss=1"> ${window.__xss=1}'
CANARY_TEXT = '"><script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def _iglino(number: int) -> Point:
    return Point(56.30 + 0.02 * number, 54.80 + 0.01 * number, srid=4326)


def _communities() -> tuple[list[Community], Community]:
    iglino = municipality("80628000")
    published = [
        community(
            name=f"Клуб «Точка {number}»",
            municipality=iglino,
            location=_iglino(number),
            sphere=sphere("sport"),
        )
        for number in range(5)
    ]
    published.append(
        community(
            name=CANARY_NAME,
            description=CANARY_TEXT,
            municipality=iglino,
            location=Point(56.9, 55.05, srid=4326),
        )
    )
    hidden = community(
        name="Клуб «Черновик»", municipality=iglino, location=_iglino(9), status=Community.Status.PROPOSED
    )
    return published, hidden


def _open_popup(page: Any) -> None:
    """Clicks the marker until its popup shows: right after setView the cluster layer may still be
    replacing the marker elements, and a click on one being replaced is lost (seen on a loaded machine)."""
    popup = page.locator(".leaflet-popup-content .community-popup-name")
    for _attempt in range(3):
        page.locator(".community-marker").first.click()
        try:
            popup.wait_for(timeout=5_000)
            return
        except PlaywrightTimeout:
            continue
    popup.wait_for()


def _ready(page: Any, flag: str) -> None:
    page.wait_for_function(f"() => window.{flag} !== undefined")


class _Tiles(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 -- the http.server API
        type(self).seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tile_stub(settings: Any) -> Iterator[str]:
    """A local tile server; the maps are pointed at it (and the CSP lets its images in)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    _Tiles.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    settings.MAP_TILE_URL = origin + "/{z}/{x}/{y}.png"
    policy = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'", "data:", origin]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": policy}
    try:
        yield origin
    finally:
        server.shutdown()


def test_region_map_loads_cleanly_and_links_municipalities(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path, tile_stub: str
) -> None:
    call_command("seed_programme", verbosity=0)
    _communities()

    page.goto(f"{live_server.url}/")
    _ready(page, "regionMapReady")

    shapes = page.evaluate("() => window.regionMapReady.layer.getLayers().length")
    assert shapes >= 63  # every district and okrug of Bashkortostan, plus the two neighbours
    # A click on a municipality opens its page.
    page.evaluate(
        "() => { const layer = window.regionMapReady.layer.getLayers().find("
        "   shape => shape.feature.properties.url.endsWith('/m/iglinskii-raion/'));"
        " window.__target = layer.feature.properties.url; }"
    )
    page.screenshot(path=str(screenshots / "region-map.png"), full_page=False)
    assert recorder.console_errors == []
    with page.expect_navigation():
        page.evaluate(
            "() => window.regionMapReady.layer.getLayers()"
            "   .find(shape => shape.feature.properties.url === window.__target).fire('click')"
        )
    assert page.url.endswith("/m/iglinskii-raion/")


def test_municipality_map_shows_published_markers_and_escaped_popups(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path, tile_stub: str
) -> None:
    published, hidden = _communities()

    page.goto(f"{live_server.url}/m/iglinskii-raion/")
    _ready(page, "communityMapReady")

    assert page.evaluate("() => window.communityMapReady.markers") == len(published)
    ids = page.evaluate(
        "() => JSON.parse(document.getElementById('community-map-data').textContent).points.map(p => p[3])"
    )
    assert hidden.pk not in ids
    page.screenshot(path=str(screenshots / "municipality-map.png"), full_page=False)

    # Zoom onto the canary community, alone at its point, and click its marker.
    page.evaluate(
        "() => { const data = JSON.parse(document.getElementById('community-map-data').textContent);"
        " window[data.map].setView([55.05, 56.9], 18, {animate: false}); }"
    )
    _open_popup(page)
    popup = page.locator(".leaflet-popup-content .community-popup-name")
    assert popup.text_content() == CANARY_NAME
    assert page.evaluate("() => window.__xss") is None
    assert recorder.console_errors == []
    # Nothing but the app and the tile server, and the tiles were asked for.
    assert all(url.startswith((live_server.url, tile_stub)) for url in recorder.requests), recorder.requests
    assert _Tiles.seen


@pytest.mark.parametrize("where", ["community", "embed", "municipality"])
def test_injected_text_never_runs(
    live_server: Any, page: Any, recorder: Recorder, where: str, tile_stub: str
) -> None:
    published, _ = _communities()
    canary = published[-1]
    settlement = Settlement.objects.filter(municipality__oktmo="80628000").exclude(point=None).first()
    assert settlement is not None
    original = settlement.name
    Settlement.objects.filter(pk=settlement.pk).update(name=CANARY_TEXT)  # a hostile gazetteer name too
    Community.objects.filter(pk=canary.pk).update(settlement=settlement)
    try:
        url = {
            "community": canary.get_absolute_url(),
            "embed": "/embed/m/iglinskii-raion/",
            "municipality": "/m/iglinskii-raion/",
        }[where]
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        if where != "community":
            _ready(page, "communityMapReady")
            page.evaluate(
                "() => { const data = JSON.parse(document.getElementById('community-map-data').textContent);"
                " window[data.map].setView([55.05, 56.9], 18, {animate: false}); }"
            )
            _open_popup(page)
            assert CANARY_TEXT in (page.locator(".leaflet-popup-content").text_content() or "")
        else:
            assert CANARY_NAME in (page.locator("h1").text_content() or "")
        assert page.evaluate("() => window.__xss") is None
        assert not [error for error in recorder.console_errors if "__xss" in error]
    finally:
        Settlement.objects.filter(pk=settlement.pk).update(name=original)


def test_without_tiles_the_map_still_draws_boundary_and_markers(
    live_server: Any, page: Any, recorder: Recorder, settings: Any
) -> None:
    published, _ = _communities()
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # the discard port: nothing answers

    page.goto(f"{live_server.url}/m/iglinskii-raion/")
    _ready(page, "communityMapReady")

    assert page.evaluate("() => window.communityMapReady.markers") == len(published)
    assert page.locator(".community-marker, .marker-cluster").count() > 0
    # The project's own districts and settlements become the base, with a word on why.
    page.locator(".leaflet-container.map-fallback").wait_for()
    page.locator(".map-notice").wait_for()
    page.wait_for_function(
        "() => { const data = JSON.parse(document.getElementById('community-map-data').textContent);"
        " const base = window[data.map].kartaBase; return base && base.getLayers().length > 10; }"
    )
    assert not [
        error for error in recorder.console_errors if "127.0.0.1:9" not in error and "ERR_" not in error
    ]


def test_every_community_at_one_shared_point_is_reachable_by_keyboard(
    live_server: Any, page: Any, recorder: Recorder, screenshots: Path, tile_stub: str
) -> None:
    """Communities of different spheres at one point: one marker, a list popup, every one a link."""
    iglino = municipality("80628000")
    spot = Point(56.5, 54.9, srid=4326)
    together = [
        community(name=f"Клуб «{name}»", municipality=iglino, location=spot, sphere=sphere(code))
        for name, code in (("Спорт", "sport"), ("Досуг", "interest"), ("Соседи", "territorial"))
    ]
    community(name="Клуб «Поодаль»", municipality=iglino, location=Point(56.9, 55.05, srid=4326))

    page.goto(f"{live_server.url}/m/iglinskii-raion/")
    _ready(page, "communityMapReady")
    assert page.evaluate("() => window.communityMapReady.places") == 2
    page.evaluate(
        "() => { const data = JSON.parse(document.getElementById('community-map-data').textContent);"
        " window[data.map].setView([54.9, 56.5], 18, {animate: false}); }"
    )
    stack = page.locator(".leaflet-marker-icon:has(.community-marker-stack)")
    stack.wait_for()
    assert stack.get_attribute("title") == "3 сообщества"
    stack.focus()
    page.keyboard.press("Enter")
    links = page.locator(".community-popup-list a")
    links.first.wait_for()

    assert sorted(links.all_text_contents()) == sorted(item.name for item in together)
    assert page.evaluate("() => document.activeElement.textContent") in {item.name for item in together}
    page.screenshot(path=str(screenshots / "same-point-popup.png"), full_page=False)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.community-popup-list') !== null")
    assert recorder.console_errors == []


def test_clusters_say_how_many_in_russian_and_sphere_filters_filter_them(
    live_server: Any, page: Any, tile_stub: str
) -> None:
    iglino = municipality("80628000")
    for number, code in enumerate(("sport", "sport", "interest", "interest", "territorial")):
        community(
            name=f"Клуб {number}", municipality=iglino, sphere=sphere(code),
            location=Point(56.5 + 0.001 * number, 54.9, srid=4326),
        )  # fmt: skip

    page.goto(f"{live_server.url}/m/iglinskii-raion/")
    _ready(page, "communityMapReady")
    cluster = page.locator(".marker-cluster").first
    cluster.wait_for()
    assert cluster.locator("div").get_attribute("title") == "5 сообществ"
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Приблизить"
    assert "км" in (page.locator(".leaflet-control-scale").text_content() or "")
    assert page.locator(".leaflet-control-layers-toggle").get_attribute("title") == "Слои: сферы сообществ"

    # Switching a sphere off in the layer control takes its communities out of the one cluster.
    page.locator(".leaflet-control-layers").hover()
    page.locator(".leaflet-control-layers-overlays label", has_text="Спортивное").locator("input").uncheck()
    assert cluster.locator("div").get_attribute("title") == "3 сообщества"


def test_the_downloaded_file_opened_from_disk_links_to_the_site_and_misses_no_image(
    page: Any, recorder: Recorder, settings: Any, tmp_path: Path, screenshots: Path
) -> None:
    from django.test import Client

    published, _ = _communities()
    settings.ALLOWED_HOSTS = ["karta.example.org"]
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # no network: nothing answers
    saved = tmp_path / "map.html"
    saved.write_bytes(Client().get("/m/iglinskii-raion/map.html", HTTP_HOST="karta.example.org").content)

    page.goto(saved.as_uri())
    _ready(page, "communityMapReady")
    page.evaluate(
        "() => { const data = JSON.parse(document.getElementById('community-map-data').textContent);"
        " window[data.map].setView([54.80, 56.30], 16, {animate: false}); }"
    )
    _open_popup(page)

    link = page.locator(".leaflet-popup-content .community-popup-name")
    site_links = {f"http://karta.example.org{item.get_absolute_url()}" for item in published}
    assert link.get_attribute("href") in site_links
    # The layer button's image is inlined; no image, script or style was fetched from anywhere.
    toggle = page.locator(".leaflet-control-layers-toggle")
    background = toggle.evaluate("element => getComputedStyle(element).backgroundImage")
    assert background.startswith('url("data:image/png')
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Приблизить"
    family = page.evaluate("() => getComputedStyle(document.querySelector('.leaflet-container')).fontFamily")
    assert "serif" not in family.replace("sans-serif", "")
    # Without tiles the outline and the settlements it carries are drawn as the base.
    page.wait_for_function(
        "() => { const data = JSON.parse(document.getElementById('community-map-data').textContent);"
        " const base = window[data.map].kartaBase; return base && base.getLayers().length === data.ui.base.features.length; }"
    )
    fetched = [
        url for url in recorder.requests if not url.startswith(("file:", "data:", "http://127.0.0.1:9/"))
    ]
    assert fetched == []
    page.screenshot(path=str(screenshots / "standalone-from-disk.png"))
    assert not [
        error for error in recorder.console_errors if "127.0.0.1:9" not in error and "ERR_" not in error
    ]


def test_the_embed_snippet_follows_the_chosen_height(
    live_server: Any, page: Any, recorder: Recorder, tile_stub: str
) -> None:
    page.goto(f"{live_server.url}/m/iglinskii-raion/")
    page.locator(".embed-snippet summary").click()
    snippet = page.locator("#embed-snippet")
    assert 'height="480"' in snippet.input_value()

    page.select_option("#embed-height", "300")

    assert 'height="300"' in snippet.input_value()
    assert f'src="{live_server.url}/embed/m/iglinskii-raion/"' in snippet.input_value()
    assert recorder.console_errors == []
