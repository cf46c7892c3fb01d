"""The maps, server side: our assets only, the right communities, no user text in markup or script,
the CSP with its nonce, the cache, the embed and the offline file."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from fairs.models import Fair
from registry.models import Community
from tests.registry.factories import community, municipality, sphere

pytestmark = pytest.mark.django_db
CANARIES = ('<img src=x onerror="window.__xss=1">', "${window.__xss=1}", '"><script>window.__xss=1</script>')
IGLINO = Point(56.43, 54.83, srid=4326)


def _page(client: Client, url: str) -> tuple[Any, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return response, response.content.decode()


def _data(html: str, element_id: str) -> dict[str, Any]:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def _iglino_page() -> str:
    return municipality("80628000").get_absolute_url()


def _in_iglino(**fields: Any) -> Community:
    fields.setdefault("location", IGLINO)
    return community(municipality=municipality("80628000"), **fields)


@pytest.mark.parametrize("url", ["/", "/m/iglinskii-raion/", "/embed/m/iglinskii-raion/"])
def test_pages_load_assets_from_this_site_only(client: Client, url: str) -> None:
    _in_iglino(name="ТОС «Рассвет»")
    _, html = _page(client, url)

    sources = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources, "the page loads its map assets"
    assert all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    assert "/static/vendor/leaflet/1.9.4/leaflet.js" in sources


def test_every_inline_script_carries_the_responses_nonce(client: Client) -> None:
    _in_iglino()
    response, html = _page(client, _iglino_page())

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce, policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    inline = [attrs for attrs in re.findall(r"<script([^>]*)>", html) if "src=" not in attrs]
    executable = [attrs for attrs in inline if 'type="application/json"' not in attrs]
    assert executable, "folium's script is inline"
    assert all(f'nonce="{nonce.group(1)}"' in attrs for attrs in executable), executable


def test_municipality_map_holds_exactly_the_published_communities(client: Client) -> None:
    shown = [_in_iglino(name=f"Клуб «Точка {number}»", sphere=sphere("sport")) for number in range(3)]
    hidden = _in_iglino(name="Клуб «Черновик»", status=Community.Status.PROPOSED)
    elsewhere = community(name="ТОС «Уфимский»")  # another municipality

    _, html = _page(client, _iglino_page())

    data = _data(html, "community-map-data")
    ids = {point[3] for point in data["points"]}
    assert ids == {item.pk for item in shown}
    assert hidden.pk not in ids
    assert elsewhere.pk not in ids
    codes = [sphere["code"] for sphere in data["spheres"]]
    assert {codes[point[2]] for point in data["points"]} == {"sport"}


def test_a_hidden_location_is_drawn_at_its_settlement(client: Client) -> None:
    from geo.models import Settlement

    settlement = Settlement.objects.filter(municipality__oktmo="80628000").exclude(point=None).first()
    assert settlement is not None
    assert settlement.point is not None
    home = _in_iglino(hide_exact_location=True, settlement=settlement, location=Point(56.5, 54.9, srid=4326))

    _, html = _page(client, _iglino_page())

    [point] = [point for point in _data(html, "community-map-data")["points"] if point[3] == home.pk]
    assert (point[0], point[1]) == (round(settlement.point.x, 5), round(settlement.point.y, 5))


@pytest.mark.parametrize("canary", CANARIES)
def test_names_never_reach_the_markup_or_the_map_script(client: Client, canary: str) -> None:
    hostile = _in_iglino(name=f"Клуб {canary}", description=canary)

    _, html = _page(client, _iglino_page())

    assert "<img src=x" not in html
    assert "<script>window.__xss" not in html
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)  # code and data alike
    assert not any("__xss" in script for script in scripts)  # the map data carries ids, not names
    assert f"Клуб {canary}".replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in html
    popup = client.get(f"/c/{hostile.pk}/popup.json").json()
    assert popup["name"] == f"Клуб {canary}"  # plain data: the browser sets it as text


def test_popup_exists_for_published_communities_only(client: Client) -> None:
    published = _in_iglino(name="ТОС «Открытый»", members_count=12)
    proposed = _in_iglino(name="ТОС «Закрытый»", status=Community.Status.PROPOSED)

    response = client.get(f"/c/{published.pk}/popup.json")

    assert response.json() == {
        "name": "ТОС «Открытый»",
        "sphere": sphere().name,
        "settlement": "",
        "members": 12,
        "url": published.get_absolute_url(),
        "place": "",
    }
    assert client.get(f"/c/{proposed.pk}/popup.json").status_code == 404
    assert client.get("/c/999999999/popup.json").status_code == 404


def test_page_filters_change_the_map_and_the_list_together(client: Client) -> None:
    sport = _in_iglino(name="Клуб «Бег»", sphere=sphere("sport"))
    _in_iglino(name="ТОС «Двор»", sphere=sphere("territorial"))

    _, html = _page(client, _iglino_page() + "?sphere=sport")

    assert [point[3] for point in _data(html, "community-map-data")["points"]] == [sport.pk]
    assert "Клуб «Бег»" in html
    assert "ТОС «Двор»" not in html


def test_a_saved_community_changes_the_cached_map(client: Client) -> None:
    first = _in_iglino(name="ТОС «Первый»")
    _, before = _page(client, _iglino_page())
    _, cached = _page(client, _iglino_page())
    assert _data(before, "community-map-data")["points"] == _data(cached, "community-map-data")["points"]

    second = _in_iglino(name="ТОС «Второй»")
    _, after = _page(client, _iglino_page())
    first.status = Community.Status.ARCHIVED
    first.save()
    _, archived = _page(client, _iglino_page())

    assert {point[3] for point in _data(after, "community-map-data")["points"]} == {first.pk, second.pk}
    assert {point[3] for point in _data(archived, "community-map-data")["points"]} == {second.pk}


def test_only_the_embed_may_be_framed(client: Client) -> None:
    embed, _ = _page(client, "/embed/m/iglinskii-raion/")
    page, html = _page(client, _iglino_page())

    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    assert "/embed/m/iglinskii-raion/" in html  # the snippet to copy


def test_the_embed_snippet_generator_offers_heights_and_escapes_the_name(client: Client) -> None:
    _, html = _page(client, _iglino_page())

    assert '<select id="embed-height">' in html
    for height in (300, 400, 480, 600):
        assert f'<option value="{height}"' in html
    snippet = re.search(
        r'<textarea id="embed-snippet"[^>]*data-template="([^"]+)"[^>]*>([^<]+)</textarea>', html
    )
    assert snippet
    template, shown = (
        value.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        for value in snippet.groups()
    )
    assert 'height="{height}"' in template
    assert template.replace("{height}", "480") == shown
    assert 'src="http://testserver/embed/m/iglinskii-raion/"' in shown
    assert 'title="Карта сообществ: Иглинский район"' in shown


def test_the_offline_file_inlines_everything(client: Client) -> None:
    hostile = _in_iglino(name=f"Клуб {CANARIES[2]}")

    response = client.get("/m/iglinskii-raion/map.html")

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="karta-iglinskii-raion-')
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=", html)
    assert "L.markerClusterGroup" in html
    assert "L.map(" in html
    data = _data(html, "community-map-data")
    assert data["popups"][str(hostile.pk)]["name"] == f"Клуб {CANARIES[2]}"
    assert CANARIES[2] not in html  # json_script escapes <, > and &


def test_the_offline_file_links_to_the_site_and_carries_its_images_and_outline(
    client: Client, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["karta.example.org"]
    published = _in_iglino(name="ТОС «Рассвет»")

    html = client.get("/m/iglinskii-raion/map.html", HTTP_HOST="karta.example.org").content.decode()

    data = _data(html, "community-map-data")
    assert (
        data["popups"][str(published.pk)]["url"] == f"http://karta.example.org{published.get_absolute_url()}"
    )
    assert data["popup_url"].startswith("http://karta.example.org/")
    # Leaflet's layer button and marker images: data: URLs, not images/… beside a file on disk.
    assert "url(images/" not in html
    assert html.count('url("data:image/png;base64,') >= 3
    assert "sans-serif" in html  # not the browser's serif default
    base = data["ui"]["base"]
    kinds = {feature["properties"]["kind"] for feature in base["features"]}
    assert kinds == {"district", "settlement"}
    districts = [feature for feature in base["features"] if feature["properties"]["kind"] == "district"]
    assert [feature["properties"]["name"] for feature in districts] == ["Иглинский район"]


def test_region_map_colours_programme_municipalities_and_lists_them(client: Client) -> None:
    from django.core.management import call_command

    call_command("seed_programme", verbosity=0)
    _in_iglino(name="ТОС «Рассвет»")

    _, html = _page(client, "/")
    geojson_url = _data(html, "region-map-data")["geojson_url"]
    response = client.get(geojson_url)
    features = {
        feature["properties"]["name"]: feature["properties"] for feature in response.json()["features"]
    }

    assert "Иглинский район" in html  # the table
    assert len(html) < 120_000  # the boundaries are a file of their own, not inline (384 KB before)
    assert features["Иглинский район"]["label"] == "1 сообщество"  # its tooltip, Russian plural
    assert features["Иглинский район"]["url"] == "/m/iglinskii-raion/"
    assert "не участвует в программе" in html  # the legend
    assert "не участвует в программе" in {item["label"] for item in features.values()}


def test_region_json_revalidates_until_a_community_changes(client: Client) -> None:
    from django.core.management import call_command

    call_command("seed_programme", verbosity=0)
    first = client.get("/maps/region.json")
    etag = first["ETag"]

    unchanged = client.get("/maps/region.json", HTTP_IF_NONE_MATCH=etag)
    _in_iglino(name="ТОС «Новый»")
    changed = client.get("/maps/region.json", HTTP_IF_NONE_MATCH=etag)

    assert "public" in first["Cache-Control"]
    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_map_controls_speak_russian_with_a_metric_scale_and_one_credit(client: Client) -> None:
    _in_iglino(name="ТОС «Рассвет»")
    _, html = _page(client, _iglino_page())
    ui = _data(html, "community-map-data")["ui"]

    assert (ui["zoom_in"], ui["zoom_out"], ui["kilometre"]) == ("Приблизить", "Отдалить", "км")
    assert "участники OpenStreetMap" in ui["credit"]
    assert "contributors" not in ui["credit"]
    assert "controlScale" not in html
    assert '"zoomControl": false' in html

    def plural(table: dict[str, Any], count: int) -> str:
        return table["forms"][table["index"][count if count < 200 else 100 + count % 100]].replace(
            "{n}", str(count)
        )

    assert [plural(ui["communities"], n) for n in (1, 3, 5, 21, 111, 1022)] == [
        "1 сообщество", "3 сообщества", "5 сообществ", "21 сообщество", "111 сообществ", "1022 сообщества",
    ]  # fmt: skip
    assert plural(ui["members"], 22) == "22 участника"


def test_community_page_has_its_small_map_and_fairs(client: Client, iglino_team_member: Any) -> None:
    from fairs.services.fairs import fair_create

    shown = _in_iglino(name="ТОС «Рассвет»")
    fair = fair_create(
        user=iglino_team_member, municipality=municipality("80628000"), date=dt.date(2026, 6, 1)
    )
    Fair.objects.get(pk=fair.pk).presented_communities.add(shown)

    _, html = _page(client, shown.get_absolute_url())
    _, municipality_html = _page(client, _iglino_page())

    assert 'class="map-frame map-small"' in html
    assert "L.circleMarker" in html
    assert "1 июня 2026" in html
    assert f"/fairs/{fair.pk}/signup/" in municipality_html  # a planned fair takes sign-ups


def test_a_jobs_changes_invalidate_each_map_once_and_only_when_published(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache

    from registry.maps.cache import REGION
    from registry.services.community_creation import CommunityBatch
    from registry.signals import RegistryChanges

    iglino = municipality("80628000").pk
    kind = sphere()

    def versions() -> tuple[int, int]:
        return cache.get(f"maps:version:{REGION}", 0), cache.get(f"maps:version:{iglino}", 0)

    def batch(changes: RegistryChanges) -> CommunityBatch:
        return CommunityBatch(user=AnonymousUser(), source=Community.Source.FAIR_SIGNUP, changes=changes)

    before = versions()
    abandoned = batch(RegistryChanges())  # a job that fails never publishes its changes
    abandoned.create(name="ТОС «Отменённый»", sphere=kind, location=IGLINO)
    abandoned.flush()
    assert versions() == before

    changes = RegistryChanges()
    with django_capture_on_commit_callbacks() as stale_marks:
        communities = batch(changes)
        for number in range(3):
            communities.create(name=f"ТОС «Пакет-{number}»", sphere=kind, location=IGLINO)
            communities.flush()  # three writes
        assert versions() == before  # nothing until the job publishes
        changes.publish()

    assert versions() == (before[0] + 1, before[1] + 1)
    assert len(stale_marks) == 1  # the cluster cells are marked stale once, not per community
    changes.publish()  # published already: nothing more
    assert versions() == (before[0] + 1, before[1] + 1)
    _in_iglino(name="ТОС «После»")  # a single save invalidates at once
    assert versions() == (before[0] + 2, before[1] + 2)
