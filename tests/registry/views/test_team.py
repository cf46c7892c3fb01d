from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from registry.models import Community, Evidence
from registry.services.community_creation import community_create
from registry.services.community_status import EvidenceInput, community_verify
from tests.registry.factories import IGLINO, UFA_CENTRE, sphere

PASSWORD = "correct-horse-battery"  # noqa: S105 -- the factories' test password


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _community(user: User, name: str = "ТОС «Рассвет»", location: object = UFA_CENTRE) -> Community:
    return community_create(user=user, name=name, sphere=sphere(), location=location)  # type: ignore[arg-type]


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "ТОС «Заря»",
        "sphere": str(sphere().pk),
        "form": "informal",
        "lon": "55.958",
        "lat": "54.735",
    }
    data.update(overrides)
    return data


ROUTES = ["team-community", "team-community-edit", "team-community-verify", "team-community-reject"]


@pytest.mark.django_db
def test_team_pages_need_sign_in(client: Client) -> None:
    response = client.get(reverse("team"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_other_municipality_community_is_404_on_every_team_page(
    ufa_team_member: User, iglino_team_member: User, route: str
) -> None:
    community = _community(iglino_team_member, location=IGLINO)

    assert _client(ufa_team_member).get(reverse(route, args=[community.pk])).status_code == 404
    assert _client(iglino_team_member).get(reverse(route, args=[community.pk])).status_code == 200


@pytest.mark.django_db
def test_other_municipality_cannot_archive_by_post(ufa_team_member: User, iglino_team_member: User) -> None:
    community = _community(iglino_team_member, location=IGLINO)
    community_verify(
        user=iglino_team_member, community=community, evidence=[EvidenceInput("meetings", "есть")]
    )

    response = _client(ufa_team_member).post(reverse("team-community-archive", args=[community.pk]))

    assert response.status_code == 404
    assert Community.objects.get(pk=community.pk).status == Community.Status.VERIFIED


@pytest.mark.django_db
def test_coordinator_reaches_every_municipality(
    programme_coordinator: User, iglino_team_member: User
) -> None:
    community = _community(iglino_team_member, location=IGLINO)

    for route in ROUTES:
        assert _client(programme_coordinator).get(reverse(route, args=[community.pk])).status_code == 200


@pytest.mark.django_db
def test_team_home_lists_only_my_pending_communities(ufa_team_member: User, iglino_team_member: User) -> None:
    _community(ufa_team_member, name="ТОС «Уфимский»")
    _community(iglino_team_member, name="ТОС «Иглинский»", location=IGLINO)

    html = _client(ufa_team_member).get(reverse("team")).content.decode()

    assert "ТОС «Уфимский»" in html
    assert "Иглинский»" not in html


@pytest.mark.django_db
def test_create_from_coordinates_computes_municipality(ufa_team_member: User) -> None:
    response = _client(ufa_team_member).post(reverse("team-community-create"), _form())

    community = Community.objects.get()
    assert response.status_code == 302
    assert community.municipality.oktmo == "80701000"
    assert community.status == Community.Status.PROPOSED


@pytest.mark.django_db
def test_create_from_a_place_name(iglino_team_member: User) -> None:
    response = _client(iglino_team_member).post(
        reverse("team-community-create"), _form(lon="", lat="", place="д. Ленинское (Кальтовский с/с)")
    )

    assert response.status_code == 302
    community = Community.objects.get()
    assert community.settlement is not None
    assert community.settlement.rural_municipality.name == "Кальтовский сельсовет"  # type: ignore[union-attr]
    assert community.municipality.oktmo == "80628000"


@pytest.mark.django_db
def test_ambiguous_place_asks_which_one_then_accepts_the_choice(iglino_team_member: User) -> None:
    client = _client(iglino_team_member)
    response = client.post(reverse("team-community-create"), _form(lon="", lat="", place="д. Ленинское"))

    assert response.status_code == 200
    assert not Community.objects.exists()
    choices = response.context["form"].fields["settlement_choice"].choices
    assert len(choices) == 2
    chosen = choices[1][0]

    response = client.post(
        reverse("team-community-create"),
        _form(lon="", lat="", place="д. Ленинское", settlement_choice=chosen),
    )

    assert response.status_code == 302
    assert Community.objects.get().settlement.oktmo == chosen  # type: ignore[union-attr]


@pytest.mark.django_db
def test_post_cannot_mass_assign_status_or_municipality(ufa_team_member: User) -> None:
    _client(ufa_team_member).post(
        reverse("team-community-create"),
        _form(
            status="verified", municipality="1", created_by="1", source="import", verified_until="2099-01-01"
        ),
    )

    community = Community.objects.get()
    assert community.status == Community.Status.PROPOSED
    assert community.source == Community.Source.TEAM
    assert community.verified_until is None
    assert community.created_by == ufa_team_member


@pytest.mark.django_db
def test_point_outside_my_municipality_is_a_form_error(iglino_team_member: User) -> None:
    response = _client(iglino_team_member).post(reverse("team-community-create"), _form())

    assert response.status_code == 200
    assert "Точка вне вашего муниципалитета" in response.content.decode()
    assert not Community.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lon": "abc"}, "ожидается число"),
        ({"lat": "95"}, "от −90 до 90"),
        ({"inn": "123", "form": "registered"}, "ИНН"),
        ({"links": "javascript:alert(1)"}, "http://"),
        ({"founded_year": "2999"}, "Год создания"),
        ({"name": "   "}, "Обязательное поле"),
    ],
)
def test_bad_input_is_shown_next_to_the_field(
    ufa_team_member: User, overrides: dict[str, str], message: str
) -> None:
    response = _client(ufa_team_member).post(reverse("team-community-create"), _form(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Community.objects.exists()


@pytest.mark.django_db
def test_possible_duplicate_is_shown_before_saving(ufa_team_member: User) -> None:
    _community(ufa_team_member, name="ТОС «Рассвет»")
    client = _client(ufa_team_member)

    response = client.post(
        reverse("team-community-create"), _form(name="Территориальное общественное самоуправление Рассвет")
    )

    assert response.status_code == 200
    assert "Возможно, такое сообщество уже есть" in response.content.decode()
    assert Community.objects.count() == 1
    response = client.post(
        reverse("team-community-create"),
        _form(name="Территориальное общественное самоуправление Рассвет", not_a_duplicate="on"),
    )
    assert response.status_code == 302
    assert Community.objects.count() == 2


@pytest.mark.django_db
def test_verify_page_publishes_with_evidence(ufa_team_member: User) -> None:
    community = _community(ufa_team_member)
    client = _client(ufa_team_member)

    assert (
        client.post(reverse("team-community-verify", args=[community.pk]), {"meetings": ""}).status_code
        == 200
    )
    response = client.post(
        reverse("team-community-verify", args=[community.pk]), {"meetings": "Собрания каждый месяц"}
    )

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.status == Community.Status.VERIFIED
    assert Client().get(community.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_xss_canary_is_escaped_in_team_pages(ufa_team_member: User) -> None:
    community = _community(ufa_team_member, name="<script>alert(1)</script>")
    client = _client(ufa_team_member)

    for url in (reverse("team"), reverse("team-community", args=[community.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_login_locks_out_after_repeated_failures(ufa_team_member: User) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "ufa-ngo", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "ufa-ngo", "password": PASSWORD})

    assert response.status_code == 429
    assert "заблокирован" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_with_the_right_password_opens_the_workspace(ufa_team_member: User) -> None:
    client = Client()

    response = client.post(reverse("login"), {"username": "ufa-ngo", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("team")).status_code == 200


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.django_db
def test_verification_keeps_an_evidence_file_recognised_by_content(
    ufa_team_member: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    community = _community(ufa_team_member)
    photo = SimpleUploadedFile("../../etc/протокол собрания.png", PNG_BYTES, content_type="image/png")

    response = _client(ufa_team_member).post(
        reverse("team-community-verify", args=[community.pk]), {"meetings": "Собрание 12 мая", "file": photo}
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file.name.endswith(".png")
    assert "etc" not in evidence.file.name
    assert "протокол" not in evidence.file.name
    assert (tmp_path / evidence.file.name).read_bytes() == PNG_BYTES


@pytest.mark.django_db
def test_evidence_file_of_another_type_is_refused_whatever_its_name(
    ufa_team_member: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    community = _community(ufa_team_member)
    fake = SimpleUploadedFile("protocol.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = _client(ufa_team_member).post(
        reverse("team-community-verify", args=[community.pk]), {"meetings": "Собрание", "file": fake}
    )

    assert response.status_code == 200
    assert "PDF, JPEG или PNG" in response.content.decode()
    community.refresh_from_db()
    assert community.status == Community.Status.PROPOSED
    assert not Evidence.objects.exists()
