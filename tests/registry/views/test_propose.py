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

    assert response.status_code == 200
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
    assert community.contact == "+7 917 345-67-89"
    assert community.is_contact_public is False


@pytest.mark.django_db
def test_honeypot_pretends_success_and_keeps_nothing(client: Client) -> None:
    response = client.post(reverse("propose"), _proposal(website="http://spam.example"))

    assert response.status_code == 200
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
        assert client.post(reverse("propose"), _proposal()).status_code == 200

    response = client.post(reverse("propose"), _proposal())

    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Слишком много" in response.content.decode()
    assert Community.objects.count() == 2


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
