"""XSS canaries in every user text field, rendered by every page that shows them — public pages, maps,
popups, embeds, the OGC HTML, team pages, the fair review and the admin — in headless Chromium under
the site's real Content-Security-Policy: none executes, and the text shows as text where it is shown.

A canary that ran would set window.__xss; the CSP would also report a blocked inline handler as a
console error naming it, which the recorder catches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.test import Client

from fairs.models import Fair, Signup
from fairs.services.fairs import fair_create
from registry.models import Case, Community, Consent, Leader, Leadership, Verification
from tests.browser.conftest import Recorder
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, coordinator, municipality, team_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]


def canary(field: str) -> str:
    """A payload per field, so a hit names the field it came through."""
    return f'{field}"><script>window.__xss="{field}"</script><img src=x onerror="window.__xss=\'{field}\'">'


@pytest.fixture
def planted() -> dict[str, Any]:
    iglino = municipality("80628000")
    member = team_member("80628000", username="iglino-xss")
    published = community(
        name=canary("name"),
        description=canary("description"),
        address=canary("address"),
        activities=canary("activities"),
        contact=canary("contact"),
        internal_notes=canary("internal_notes"),
        municipality=iglino,
        location=Point(56.43, 54.83, srid=4326),
    )
    proposed = community(
        name=canary("proposed_name"), municipality=iglino, status=Community.Status.PROPOSED,
        rejection_reason=canary("rejection_reason"), location=Point(56.44, 54.84, srid=4326),
    )  # fmt: skip
    Verification.objects.create(
        community=published, verified_by=member, comment=canary("verification"),
        verified_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC), valid_until=dt.date(2027, 5, 1),
    )  # fmt: skip
    leader = Leader.objects.create(
        full_name=canary("full_name"), name_normalized="x", display_name=canary("display_name"),
        bio=canary("bio"), municipality=iglino,
    )  # fmt: skip
    Leadership.objects.create(leader=leader, community=published)
    for scope in (Consent.Scope.PUBLISH_NAME, Consent.Scope.STORE_CONTACTS):
        Consent.objects.create(
            leader=leader, scope=scope, purpose=canary("purpose"), method=Consent.Method.PAPER_FAIR,
            collected_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        )  # fmt: skip
    fair: Fair = fair_create(
        user=member, municipality=iglino, date=dt.date(2026, 6, 1), title=canary("fair_title")
    )
    Fair.objects.filter(pk=fair.pk).update(venue_name=canary("venue_name"))
    fair.presented_communities.add(published)
    Signup.objects.create(
        fair=fair, row_hash="x" * 64, name=canary("signup_name"), sphere_text=canary("sphere_text"),
        place_text=canary("place_text"), leader_name=canary("leader_name"), comment=canary("comment"),
        status=Signup.Status.NEEDS_REVIEW, municipality=iglino,
    )  # fmt: skip
    case = Case.objects.create(
        community=published, title=canary("case_title"), story=f"<p>{canary('story')}</p>",
        golden_rules=[canary("rule")], is_published=True,
    )  # fmt: skip
    return {"member": member, "published": published, "proposed": proposed, "leader": leader, "fair": fair,
            "case": case, "iglino": iglino}  # fmt: skip


def _sign_in(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def _visit(page: Any, recorder: Recorder, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.__xss") is None, url
    assert not [
        error for error in recorder.console_errors if "__xss" in error or "Content Security" in error
    ], url


def test_public_pages(live_server: Any, page: Any, recorder: Recorder, planted: dict[str, Any]) -> None:
    published, fair, iglino = planted["published"], planted["fair"], planted["iglino"]
    for path in (
        "/", f"/m/{iglino.slug}/", published.get_absolute_url(), "/cases/", "/programme/", "/data/",
        f"/embed/m/{iglino.slug}/", f"/fairs/{fair.pk}/signup/",
        f"/fairs/{fair.pk}/poster/", "/ogc/collections/communities/items?f=html",
        f"/ogc/collections/communities/items/{published.pk}?f=html", "/ogc/collections/fairs/items?f=html",
    ):  # fmt: skip
        _visit(page, recorder, f"{live_server.url}{path}")
    page.goto(f"{live_server.url}{published.get_absolute_url()}")
    assert canary("name") in (page.locator("h1").text_content() or "")
    assert canary("description") in (page.locator("main").text_content() or "")


def test_the_downloaded_standalone_map_opened_from_disk_without_any_csp(
    page: Any, recorder: Recorder, planted: dict[str, Any], tmp_path: Any
) -> None:
    response = Client().get(f"/m/{planted['iglino'].slug}/map.html")
    assert response.status_code == 200
    saved = tmp_path / "map.html"
    saved.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)  # type: ignore[attr-defined]

    page.goto(saved.as_uri())
    page.wait_for_load_state("load")

    assert page.evaluate("() => window.__xss") is None
    assert canary("name").encode() not in saved.read_bytes()  # escaped in the file itself


def test_team_pages(live_server: Any, page: Any, recorder: Recorder, planted: dict[str, Any]) -> None:
    _sign_in(page, live_server, planted["member"])
    fair, leader = planted["fair"], planted["leader"]
    for path in (
        "/team/", f"/team/communities/{planted['published'].pk}/", f"/team/communities/{planted['proposed'].pk}/",
        f"/team/communities/{planted['published'].pk}/edit/", f"/team/leaders/{leader.pk}/", "/team/fairs/",
        f"/team/fairs/{fair.pk}/", f"/fairs/{fair.pk}/review/", "/programme/",
    ):  # fmt: skip
        _visit(page, recorder, f"{live_server.url}{path}")
    page.goto(f"{live_server.url}/fairs/{fair.pk}/review/")
    assert canary("signup_name") in (page.locator("main").text_content() or "")


def test_admin_pages(live_server: Any, page: Any, recorder: Recorder, planted: dict[str, Any]) -> None:
    admin = coordinator(username="xss-admin", is_staff=True, is_superuser=True)
    _sign_in(page, live_server, admin)
    objects = {
        "registry/community": planted["published"], "registry/leader": planted["leader"],
        "registry/case": planted["case"], "registry/consent": Consent.objects.first(),
        "registry/verification": Verification.objects.first(),
    }  # fmt: skip
    for model, instance in objects.items():
        _visit(page, recorder, f"{live_server.url}/admin/{model}/")
        _visit(page, recorder, f"{live_server.url}/admin/{model}/{instance.pk}/change/")
    _visit(page, recorder, f"{live_server.url}/admin/registry/community/{planted['published'].pk}/history/")
