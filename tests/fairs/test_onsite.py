from __future__ import annotations

import time

import pytest
import segno
from django.test import Client
from django.urls import reverse

from fairs.limits import FormStart
from fairs.models import Fair, Signup
from registry.models import Community, Consent, Leader
from tests.registry.factories import sphere


def _started(device: str = "test-device", seconds_ago: float = 60) -> str:
    """The signed start a shown form carries: a person who took a minute to fill it in."""
    return FormStart(device=device, started_at=time.time() - seconds_ago).token()


def _signup(**overrides: str) -> dict[str, str]:
    data = {
        "started": _started(),
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
def test_hundreds_of_devices_behind_one_address_all_get_in(
    client: Client, iglino_fair: Fair, settings: object
) -> None:
    """A venue's Wi-Fi or a carrier's NAT: one address, many phones; no address limit applies."""
    settings.PUBLIC_FORM_RATE = "2/h"  # type: ignore[attr-defined]
    statuses = {
        client.post(
            _url(iglino_fair),
            _signup(name=f"Клуб «Звезда-{number}»", started=_started(device=f"phone-{number}")),
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        for number in range(25)
    }

    assert statuses == {200}
    assert Signup.objects.filter(fair=iglino_fair).count() == 25


@pytest.mark.django_db
def test_one_device_is_limited_and_keeps_what_was_typed(
    client: Client, iglino_fair: Fair, settings: object
) -> None:
    settings.FAIR_SIGNUP_DEVICE_RATE = "2/h"  # type: ignore[attr-defined]
    for attempt in range(2):
        assert client.post(_url(iglino_fair), _signup(name=f"Клуб {attempt}")).status_code == 200

    response = client.post(_url(iglino_fair), _signup(name="Клуб «Третий»", leader="Петрова Анна"))
    other_device = client.post(_url(iglino_fair), _signup(name="Клуб 4", started=_started(device="другой")))

    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "С этого устройства только что отправлено много заявок" in html
    assert 'value="Клуб «Третий»"' in html.replace("&laquo;", "«").replace("&raquo;", "»")
    assert 'value="Петрова Анна"' in html
    assert other_device.status_code == 200
    assert Signup.objects.count() == 3


@pytest.mark.django_db
def test_a_fair_has_a_ceiling_across_devices(client: Client, iglino_fair: Fair, settings: object) -> None:
    settings.FAIR_SIGNUP_FAIR_RATE = "2/h"  # type: ignore[attr-defined]
    for number in range(2):
        data = _signup(name=f"Клуб {number}", started=_started(device=f"d{number}"))
        assert client.post(_url(iglino_fair), data).status_code == 200

    response = client.post(_url(iglino_fair), _signup(name="Клуб 3", started=_started(device="d3")))

    assert response.status_code == 429
    assert Signup.objects.count() == 2


@pytest.mark.django_db
def test_refused_and_invalid_submissions_cost_nothing(
    client: Client, iglino_fair: Fair, settings: object
) -> None:
    settings.FAIR_SIGNUP_DEVICE_RATE = "1/h"  # type: ignore[attr-defined]
    for _attempt in range(3):
        assert client.post(_url(iglino_fair), _signup(email="not-an-email")).status_code == 200

    assert client.post(_url(iglino_fair), _signup()).status_code == 200
    assert Signup.objects.count() == 1


@pytest.mark.django_db
def test_a_form_sent_faster_than_a_person_types_is_kept_nowhere(client: Client, iglino_fair: Fair) -> None:
    response = client.post(_url(iglino_fair), _signup(started=_started(seconds_ago=0.5)))

    assert response.status_code == 200
    assert "Спасибо! Заявка принята" in response.content.decode()
    assert not Signup.objects.exists()
    assert not Community.objects.exists()


@pytest.mark.parametrize("started", ["", "forged-token"])
@pytest.mark.django_db
def test_a_form_without_its_start_asks_again_and_keeps_what_was_typed(
    client: Client, iglino_fair: Fair, started: str
) -> None:
    response = client.post(_url(iglino_fair), _signup(started=started, leader="Сидоров Пётр"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Форма устарела" in html
    assert 'value="Сидоров Пётр"' in html
    assert not Signup.objects.exists()


@pytest.mark.django_db
def test_the_device_id_stays_in_a_cookie_across_page_loads(client: Client, iglino_fair: Fair) -> None:
    from fairs.limits import form_start_read

    first = client.get(_url(iglino_fair))
    second = client.get(_url(iglino_fair))

    starts = [form_start_read(response.context["started"]) for response in (first, second)]
    assert starts[0] is not None
    assert starts[1] is not None
    assert starts[0].device == starts[1].device
    assert second.cookies["karta_fair_device"]["httponly"]


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
