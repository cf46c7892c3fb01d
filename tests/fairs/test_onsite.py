from __future__ import annotations

import pytest
import segno
from django.test import Client
from django.urls import reverse

from fairs.models import Fair, Signup
from registry.models import Community, Consent, Leader
from tests.registry.factories import sphere


def _signup(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Клуб скандинавской ходьбы «Бодрость»",
        "sphere": str(sphere("sport").pk),
        "place": "с. Иглино",
        "leader": "Иванова Мария Петровна",
        "members": "12",
    }
    data.update(overrides)
    return data


def _url(fair: Fair) -> str:
    return reverse("fair-signup", args=[fair.pk])


@pytest.mark.django_db
def test_form_is_public_and_mobile_first(client: Client, iglino_fair: Fair) -> None:
    response = client.get(_url(iglino_fair))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'name="website"' in html
    assert "152-ФЗ" in html


@pytest.mark.django_db
def test_submission_becomes_a_signup_and_a_proposed_community(client: Client, iglino_fair: Fair) -> None:
    response = client.post(_url(iglino_fair), _signup())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Спасибо! Заявка принята" in html
    signup = Signup.objects.get(fair=iglino_fair)
    assert signup.status == Signup.Status.NEW
    assert signup.source_import is None
    community = Community.objects.get()
    assert signup.community == community
    assert community.status == Community.Status.PROPOSED
    assert community.source == Community.Source.FAIR_SIGNUP
    assert community.settlement is not None
    assert community.settlement.name == "Иглино"


@pytest.mark.django_db
def test_free_text_sphere_is_read_by_the_pipeline(client: Client, iglino_fair: Fair) -> None:
    client.post(_url(iglino_fair), _signup(sphere="", sphere_text="спорт"))

    assert Signup.objects.get().sphere == sphere("sport")


@pytest.mark.django_db
def test_success_page_does_not_show_the_registry_match(client: Client, iglino_fair: Fair) -> None:
    client.post(_url(iglino_fair), _signup())

    response = client.post(_url(iglino_fair), _signup(leader="", members=""))

    html = response.content.decode()
    assert "Спасибо! Заявка принята" in html
    assert "Бодрость" not in html
    assert Signup.objects.filter(fair=iglino_fair).count() == 2


@pytest.mark.django_db
def test_phone_without_storage_consent_is_an_error_and_nothing_is_written(
    client: Client, iglino_fair: Fair
) -> None:
    response = client.post(_url(iglino_fair), _signup(phone="+7 917 345-67-89"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Без согласия мы не можем сохранить телефон и почту" in html
    assert 'class="field has-error"' in html
    assert response.context["form"].errors["contact_consent"]
    assert not Signup.objects.exists()
    assert not Community.objects.exists()
    assert not Leader.objects.exists()


@pytest.mark.django_db
def test_contacts_with_consent_are_stored_with_the_leader(client: Client, iglino_fair: Fair) -> None:
    client.post(_url(iglino_fair), _signup(phone="8 (917) 345-67-89", contact_consent="on"))

    leader = Leader.objects.get()
    assert leader.phone == "+79173456789"
    consent = Consent.objects.get(leader=leader)
    assert consent.scope == Consent.Scope.STORE_CONTACTS
    assert consent.method == Consent.Method.ONLINE_FORM


@pytest.mark.django_db
def test_publish_consent_is_recorded_as_an_online_form_consent(client: Client, iglino_fair: Fair) -> None:
    client.post(_url(iglino_fair), _signup(publish_consent="on"))

    signup = Signup.objects.get()
    assert signup.has_publish_consent is True
    consent = Consent.objects.get(leader=signup.leader)
    assert consent.scope == Consent.Scope.PUBLISH_NAME
    assert consent.method == Consent.Method.ONLINE_FORM
    assert "онлайн-форме" in consent.purpose


@pytest.mark.django_db
def test_pipeline_errors_land_on_the_form_fields(client: Client, iglino_fair: Fair) -> None:
    response = client.post(
        _url(iglino_fair),
        _signup(place="Нигдеевка-на-Луне", email="not-an-email", members="-5", contact_consent="on"),
    )

    errors = response.context["form"].errors
    assert set(errors) >= {"place", "email", "members"}
    assert not errors["place"][0].startswith("Строка")
    assert not Signup.objects.exists()
    assert not Community.objects.exists()


@pytest.mark.django_db
def test_honeypot_pretends_success_and_stores_nothing(client: Client, iglino_fair: Fair) -> None:
    response = client.post(_url(iglino_fair), _signup(website="http://spam.example"))

    assert response.status_code == 200
    assert "Спасибо! Заявка принята" in response.content.decode()
    assert not Signup.objects.exists()
    assert not Community.objects.exists()


@pytest.mark.django_db
def test_rate_limit_answers_429_in_russian(client: Client, iglino_fair: Fair, settings: object) -> None:
    settings.PUBLIC_FORM_RATE = "2/h"  # type: ignore[attr-defined]
    for _attempt in range(2):
        assert client.post(_url(iglino_fair), _signup(name=f"Клуб {_attempt}")).status_code == 200

    response = client.post(_url(iglino_fair), _signup(name="Клуб 3"))

    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Слишком много" in response.content.decode()
    assert Signup.objects.count() == 2


@pytest.mark.django_db
def test_signup_requires_csrf(iglino_fair: Fair) -> None:
    client = Client(enforce_csrf_checks=True)

    assert client.post(_url(iglino_fair), _signup()).status_code == 403
    assert not Signup.objects.exists()


@pytest.mark.django_db
def test_unknown_fair_is_404(client: Client) -> None:
    assert client.get(reverse("fair-signup", args=[999999])).status_code == 404
    assert client.post(reverse("fair-signup", args=[999999]), _signup()).status_code == 404
    assert client.get(reverse("fair-poster", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_poster_has_an_svg_qr_code_with_the_absolute_signup_url(client: Client, iglino_fair: Fair) -> None:
    response = client.get(reverse("fair-poster", args=[iglino_fair.pk]))

    html = response.content.decode()
    signup_url = f"http://testserver/fairs/{iglino_fair.pk}/signup/"
    assert response.status_code == 200
    assert "<svg" in html
    assert signup_url in html
    assert segno.make(signup_url, error="m").svg_inline(omitsize=True, border=2, svgclass="qr") in html
    assert "@page" in html
    assert iglino_fair.title in html


@pytest.mark.django_db
def test_poster_escapes_the_fair_title(client: Client, iglino_fair: Fair) -> None:
    Fair.objects.filter(pk=iglino_fair.pk).update(title="<script>alert(1)</script>")

    html = client.get(reverse("fair-poster", args=[iglino_fair.pk])).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
