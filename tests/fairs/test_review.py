from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fairs.models import Fair, Signup, SignupDismissal
from fairs.services.imports import signup_import
from registry.models import Community
from registry.services.community_creation import community_create
from tests.registry.factories import IGLINO, sphere

HEADER = "Название сообщества;Сфера;Населённый пункт;ФИО лидера\n"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _uncertain(user: User, fair: Fair) -> tuple[Community, Signup]:
    existing = community_create(
        user=user, name="Клуб любителей шахмат «Ладья»", sphere=sphere("interest"), location=IGLINO
    )
    signup_import(
        user=user,
        fair=fair,
        data=(HEADER + "Шахматный клуб Ладья;по интересам;;Иванов Пётр\n").encode(),
        file_name="a.csv",
    )
    return existing, Signup.objects.get(status=Signup.Status.NEEDS_REVIEW)


@pytest.mark.django_db
def test_review_page_lists_the_row_beside_its_candidates(iglino_team_member: User, iglino_fair: Fair) -> None:
    existing, _signup = _uncertain(iglino_team_member, iglino_fair)

    html = _client(iglino_team_member).get(reverse("fair-review", args=[iglino_fair.pk])).content.decode()

    assert "Шахматный клуб Ладья" in html
    assert existing.name.replace("«", "&laquo;") in html or "Клуб любителей шахмат" in html
    assert 'name="action" value="merge"' in html


@pytest.mark.django_db
def test_merge_links_the_signup_and_its_leader(iglino_team_member: User, iglino_fair: Fair) -> None:
    existing, signup = _uncertain(iglino_team_member, iglino_fair)

    _client(iglino_team_member).post(
        reverse("fair-review", args=[iglino_fair.pk]),
        {"signup": signup.pk, "action": "merge", "community": existing.pk},
    )

    signup.refresh_from_db()
    assert signup.status == Signup.Status.MATCHED
    assert signup.community == existing
    assert signup.resolved_by == iglino_team_member
    assert signup.leader is not None
    assert existing.leaders.get().full_name == "Иванов Пётр"
    assert Community.objects.count() == 1


@pytest.mark.django_db
def test_new_is_remembered_so_a_reimport_does_not_ask_again(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    existing, signup = _uncertain(iglino_team_member, iglino_fair)

    _client(iglino_team_member).post(
        reverse("fair-review", args=[iglino_fair.pk]), {"signup": signup.pk, "action": "new"}
    )

    signup.refresh_from_db()
    assert signup.status == Signup.Status.NEW
    assert signup.community is not None
    assert signup.community != existing
    assert SignupDismissal.objects.filter(community=existing).exists()
    report = signup_import(
        user=iglino_team_member,
        fair=iglino_fair,
        data=(HEADER + "Шахматный клуб Ладья;по интересам;;\n").encode(),
        file_name="b.csv",
    ).as_json()
    assert report["results"][0]["status"] == "matched"  # the new community, not a question again
    assert report["results"][0]["community"] == signup.community.pk


@pytest.mark.django_db
def test_reject_needs_a_reason(iglino_team_member: User, iglino_fair: Fair) -> None:
    _existing, signup = _uncertain(iglino_team_member, iglino_fair)
    client = _client(iglino_team_member)

    client.post(
        reverse("fair-review", args=[iglino_fair.pk]), {"signup": signup.pk, "action": "reject", "reason": ""}
    )
    assert Signup.objects.get(pk=signup.pk).status == Signup.Status.NEEDS_REVIEW
    client.post(
        reverse("fair-review", args=[iglino_fair.pk]),
        {"signup": signup.pk, "action": "reject", "reason": "Дубль"},
    )

    signup.refresh_from_db()
    assert signup.status == Signup.Status.REJECTED
    assert signup.rejection_reason == "Дубль"


@pytest.mark.django_db
def test_fair_pages_of_another_municipality_are_404(ufa_team_member: User, iglino_fair: Fair) -> None:
    client = _client(ufa_team_member)

    for name in ("fair-detail", "fair-review", "fair-import"):
        assert client.get(reverse(name, args=[iglino_fair.pk])).status_code == 404


@pytest.mark.django_db
def test_upload_page_shows_the_report(iglino_team_member: User, iglino_fair: Fair) -> None:
    sheet = SimpleUploadedFile(
        "anketa.csv", (HEADER + "ТОС «Рассвет»;ТОС;Иглино;\nКлуб;;Иглена;\n").encode("cp1251")
    )

    response = _client(iglino_team_member).post(
        reverse("fair-import", args=[iglino_fair.pk]), {"file": sheet}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Отчёт об импорте" in html
    assert "Строка 3, столбец «Населённый пункт»" in html
    assert Community.objects.filter(name="ТОС «Рассвет»").exists()


@pytest.mark.django_db
def test_upload_of_a_wrong_format_is_a_form_error(iglino_team_member: User, iglino_fair: Fair) -> None:
    sheet = SimpleUploadedFile("anketa.ods", b"PK\x03\x04 not really")

    response = _client(iglino_team_member).post(
        reverse("fair-import", args=[iglino_fair.pk]), {"file": sheet}
    )

    assert response.status_code == 200
    assert "принимаются .csv, .xlsx" in response.content.decode()


@pytest.mark.django_db
def test_team_creates_a_fair_only_in_its_municipality(iglino_team_member: User) -> None:
    from tests.registry.factories import municipality

    client = _client(iglino_team_member)
    client.post(reverse("fair-list"), {"municipality": municipality("80701000").pk, "date": "2026-06-01"})
    assert not Fair.objects.exists()
    response = client.post(
        reverse("fair-list"), {"municipality": municipality("80628000").pk, "date": "2026-06-01"}
    )
    assert response.status_code == 302
    assert Fair.objects.get().organisers.get() == iglino_team_member
