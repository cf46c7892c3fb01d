"""Region-wide search from the home page (name, settlement, sphere) and case photos with alt text."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from geo.models import Settlement
from registry.models import Case, Community
from tests.registry.factories import community, municipality, sphere

pytestmark = pytest.mark.django_db
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def _results(client: Client, **params: str) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_has_a_region_search_box(client: Client) -> None:
    html = client.get("/").content.decode()

    assert 'action="/search/"' in html
    assert 'role="search"' in html
    assert '<label for="region-search">' in html


def test_search_finds_by_name_across_municipalities_and_only_published(client: Client) -> None:
    community(name="ТОС «Рассвет»", municipality=municipality("80628000"))
    ufa = community(name="Клуб «Рассвет»", municipality=municipality("80701000"))
    community(name="Совет «Рассвет»", municipality=municipality("80701000"), status=Community.Status.PROPOSED)
    community(name="Клуб «Закат»", municipality=municipality("80701000"))

    html = _results(client, q="рассвет")

    assert "ТОС «Рассвет»" in html
    assert "Клуб «Рассвет»" in html
    assert "Совет «Рассвет»" not in html
    assert "Клуб «Закат»" not in html
    assert f'href="{ufa.get_absolute_url()}"' in html
    assert "Найдено 2 сообщества." in html


def test_search_finds_by_settlement_and_filters_by_sphere(client: Client) -> None:
    iglino = municipality("80628000")
    village = Settlement.objects.filter(municipality=iglino).exclude(name="").order_by("name").first()
    assert village is not None
    sport = community(name="Клуб «Старт»", municipality=iglino, settlement=village, sphere=sphere("sport"))
    community(name="Клуб «Досуг»", municipality=iglino, settlement=village, sphere=sphere("interest"))
    community(name="Клуб «Далеко»", municipality=municipality("80701000"), sphere=sphere("sport"))

    by_place = _results(client, q=village.name)
    assert "Клуб «Старт»" in by_place
    assert "Клуб «Досуг»" in by_place
    assert "Клуб «Далеко»" not in by_place

    sport_only = _results(client, q=village.name, sphere="sport")
    assert sport.name in sport_only
    assert "Клуб «Досуг»" not in sport_only


def test_an_empty_search_shows_the_form_and_a_miss_says_so(client: Client) -> None:
    assert "Найдено" not in _results(client)
    assert "Ничего не найдено" in _results(client, q="несуществующее")


def test_a_case_photo_is_shown_with_its_alt_text_and_served(
    client: Client, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    target = community(
        name="Клуб «Старт»", municipality=municipality("80628000"), location=Point(56.43, 54.83)
    )
    case = Case.objects.create(
        community=target, title="Каток во дворе", story="<p>История</p>", is_published=True,
        published_at=timezone.now(), photo_alt="Дети катаются на залитом катке",
    )  # fmt: skip
    case.photo.save("katok.png", ContentFile(PNG))
    untitled = Case.objects.create(
        community=target, title="Сад", story="<p>История</p>", is_published=True, published_at=timezone.now()
    )
    untitled.photo.save("sad.png", ContentFile(PNG))

    for url in ("/cases/", target.get_absolute_url()):
        html = client.get(url).content.decode()
        assert f'<img src="/cases/{case.pk}/photo" alt="Дети катаются на залитом катке"' in html, url
        assert f'<img src="/cases/{untitled.pk}/photo" alt="Сад"' in html, url
    photo = client.get(f"/cases/{case.pk}/photo")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content) == PNG  # type: ignore[attr-defined]


def test_an_unpublished_case_photo_or_another_upload_is_never_served(
    client: Client, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    target = community(municipality=municipality("80628000"))
    draft = Case.objects.create(community=target, title="Черновик", story="<p>x</p>")
    draft.photo.save("draft.png", ContentFile(PNG))
    document = Case.objects.create(
        community=target, title="Документ", story="<p>x</p>", is_published=True, published_at=timezone.now()
    )
    document.photo.save("scan.pdf", ContentFile(b"%PDF-1.4"))

    assert client.get(f"/cases/{draft.pk}/photo").status_code == 404
    assert client.get(f"/cases/{document.pk}/photo").status_code == 404
