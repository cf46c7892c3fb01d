from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Community
from tests.registry.factories import IGLINO, community, municipality, sphere


def _proposal(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Клуб скандинавской ходьбы «Бодрость»",
        "sphere": str(sphere("sport").pk),
        "description": "Гуляем по набережной по субботам",
        "place": "с. Иглино",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_proposal_goes_to_moderation_and_is_not_public(client: Client) -> None:
    response = client.post(reverse("propose"), _proposal())

    assert response.status_code == 302  # Post/Redirect/Get: a refresh does not send it again
    community = Community.objects.get()
    assert community.status == Community.Status.PROPOSED
    assert community.source == Community.Source.PUBLIC_PROPOSAL
    assert community.municipality.oktmo == "80628000"
    assert client.get(community.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_contact_needs_consent(client: Client) -> None:
    response = client.post(reverse("propose"), _proposal(contact="+7 917 345-67-89"))

    assert "Без согласия" in response.content.decode()
    assert not Community.objects.exists()
    client.post(reverse("propose"), _proposal(contact="+7 917 345-67-89", contact_consent="on"))
    community = Community.objects.get()
    assert community.contact == "+79173456789"  # checked as a phone, kept normalised
    assert community.is_contact_public is False


@pytest.mark.django_db
def test_honeypot_pretends_success_and_keeps_nothing(client: Client) -> None:
    response = client.post(reverse("propose"), _proposal(website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == reverse("propose-thanks")
    assert not Community.objects.exists()


@pytest.mark.django_db
def test_unknown_place_is_an_error_with_suggestions(client: Client) -> None:
    response = client.post(reverse("propose"), _proposal(place="Иглена"))

    html = response.content.decode()
    assert "не найдено" in html
    assert "Иглино" in html
    assert not Community.objects.exists()


@pytest.mark.django_db
def test_rate_limit_answers_429_in_russian(client: Client, settings: object) -> None:
    settings.PUBLIC_FORM_RATE = "2/h"  # type: ignore[attr-defined]
    for _attempt in range(2):
        assert client.post(reverse("propose"), _proposal()).status_code == 302

    response = client.post(reverse("propose"), _proposal(description="Ходим по вторникам"))

    assert response.status_code == 429
    assert response["Retry-After"]
    html = response.content.decode()
    assert "много предложений" in html
    assert "Ходим по вторникам" in html  # what was typed is kept
    assert Community.objects.count() == 2


@pytest.mark.django_db
def test_failed_attempts_do_not_count_towards_the_limit(client: Client, settings: object) -> None:
    settings.PUBLIC_FORM_RATE = "1/h"  # type: ignore[attr-defined]
    for _typo in range(5):
        assert client.post(reverse("propose"), _proposal(place="Иглена")).status_code == 200

    assert client.post(reverse("propose"), _proposal()).status_code == 302
    assert Community.objects.count() == 1


@pytest.mark.django_db
def test_success_page_shows_where_it_was_placed_and_only_its_link_moves_it(client: Client) -> None:
    done = client.post(reverse("propose"), _proposal(), follow=True)
    html = done.content.decode()
    community = Community.objects.get()

    assert "Иглинский район" in html
    assert 'id="proposal-map-data"' in html
    fix_url = html.split('<a href="/propose/fix/')[1].split('"')[0]
    moved = client.post(f"/propose/fix/{fix_url}", {"lat": "54.7300", "lon": "55.9600"})
    community.refresh_from_db()

    assert moved.status_code == 302
    assert community.municipality.oktmo == "80701000"  # Уфа
    assert client.get(f"/propose/fix/{fix_url[:-3]}xyz/").status_code == 404  # tampered
    Community.objects.filter(pk=community.pk).update(status=Community.Status.VERIFIED)
    assert client.get(f"/propose/fix/{fix_url}").status_code == 404  # reviewed: the team decides


@pytest.mark.django_db
def test_latitude_comes_first_and_contact_is_checked(client: Client) -> None:
    html = client.get(reverse("propose")).content.decode()
    assert html.index('name="lat"') < html.index('name="lon"')

    response = client.post(reverse("propose"), _proposal(contact="спросите у соседей", contact_consent="on"))

    assert "Укажите телефон" in response.content.decode()
    assert not Community.objects.exists()


@pytest.mark.django_db
def test_proposal_form_requires_csrf() -> None:
    client = Client(enforce_csrf_checks=True)

    assert client.post(reverse("propose"), _proposal()).status_code == 403


@pytest.mark.django_db
def test_published_look_alike_is_shown_before_proposing(client: Client) -> None:
    published = community(
        name="Клуб скандинавской ходьбы «Бодрость»", location=IGLINO, municipality=municipality("80628000")
    )
    hidden = community(
        name="Клуб скандинавской ходьбы «Бодрость» 2",
        location=IGLINO,
        municipality=municipality("80628000"),
        status=Community.Status.PROPOSED,
    )

    response = client.post(reverse("propose"), _proposal())

    html = response.content.decode()
    assert "Похожие сообщества уже есть на карте" in html
    assert published.get_absolute_url() in html
    assert hidden.get_absolute_url() not in html  # unverified ones never leak
    assert Community.objects.count() == 2
    client.post(reverse("propose"), _proposal(not_a_duplicate="on"))
    assert Community.objects.count() == 3
