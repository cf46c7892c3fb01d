"""The district at a glance: the team home checklist, the community list (filters, typo-tolerant
search, CSV/XLSX), bulk actions with confirmation, archive reasons, evidence downloads."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registry.models import Community, Evidence
from registry.services.community_status import EvidenceInput, community_verify
from tests.registry.factories import community, municipality, sphere

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _iglino(name: str, **kwargs: object) -> Community:
    return community(name=name, municipality=municipality("80628000"), **kwargs)


@pytest.fixture
def member_client(client: Client, iglino_team_member: User) -> Client:
    client.force_login(iglino_team_member)
    return client


@pytest.mark.django_db
def test_home_checklist_tells_a_new_member_what_to_do_and_links_counts(member_client: Client) -> None:
    _iglino("ТОС «Рассвет»", status=Community.Status.PROPOSED)

    html = member_client.get(reverse("team")).content.decode()

    assert "Пригласите свою команду" in html
    assert "Запланируйте ярмарку сообществ" in html
    assert 'class="done"><a href="/team/communities/new/">Добавьте известные вам сообщества' in html
    assert 'class="todo"><a href="/team/fairs/">Запланируйте ярмарку' in html
    assert 'href="/team/communities/?status=proposed">ждут проверки: 1' in html


@pytest.mark.django_db
def test_the_list_filters_by_status_sphere_and_due_and_stays_in_the_district(member_client: Client) -> None:
    today = timezone.localdate()
    _iglino("Клуб «Лыжня»", sphere=sphere("sport"), verified_until=today + dt.timedelta(days=10))
    _iglino("ТОС «Лапсед»", verified_until=today - dt.timedelta(days=3))
    _iglino("ТОС «Новый»", status=Community.Status.PROPOSED)
    community(name="ТОС «Уфимский»")  # Ufa: another team's

    def names(query: str) -> str:
        return member_client.get(f"{reverse('team-district')}?{query}").content.decode()

    everything = names("")
    assert "Лыжня" in everything
    assert "Уфимский" not in everything
    assert "Новый" in names("status=proposed")
    assert "Лыжня" not in names("status=proposed")
    assert "Лыжня" in names(f"sphere={sphere('sport').pk}")
    assert "Лапсед" not in names(f"sphere={sphere('sport').pk}")
    assert "Лапсед" in names("due=lapsed")
    assert "Лыжня" not in names("due=lapsed")
    assert "Лыжня" in names("due=soon")


@pytest.mark.django_db
def test_search_forgives_a_typo(member_client: Client) -> None:
    _iglino("ТОС «Рассвет»")
    _iglino("Клуб «Лыжня»")

    html = member_client.get(f"{reverse('team-district')}?q=расвет").content.decode()

    assert "Рассвет" in html
    assert "Лыжня" not in html


@pytest.mark.django_db
def test_csv_and_xlsx_downloads_hold_the_filtered_list(member_client: Client) -> None:
    _iglino("=ТОС «Формула»", status=Community.Status.PROPOSED)
    _iglino("Клуб «Лыжня»")

    csv_text = member_client.get(f"{reverse('team-district-csv')}?status=proposed").content.decode(
        "utf-8-sig"
    )
    xlsx = member_client.get(f"{reverse('team-district-xlsx')}?status=proposed")

    assert "'=ТОС «Формула»" in csv_text
    assert "Лыжня" not in csv_text
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["'=ТОС «Формула»"]


@pytest.mark.django_db
def test_bulk_verify_records_one_evidence_in_each_ticked_communitys_own_verification(
    member_client: Client,
) -> None:
    first, second, unticked = (
        _iglino(name, status=Community.Status.PROPOSED) for name in ("ТОС «А»", "ТОС «Б»", "ТОС «В»")
    )
    ids = [first.pk, second.pk, unticked.pk]

    confirm = member_client.post(reverse("team-bulk"), {"action": "verify", "ids": ids}).content.decode()
    assert "Отметьте каждое сообщество" in confirm
    assert "checked" not in confirm  # nothing ticked for the person
    response = member_client.post(
        reverse("team-bulk"),
        {
            "action": "verify",
            "stage": "apply",
            "ids": ids,
            "confirm_ids": [first.pk, second.pk],
            "kind": "meetings",
            "text": "Все представили свою работу на ярмарке 15 июня",
            "file": SimpleUploadedFile("protocol.pdf", PDF, content_type="application/pdf"),
        },
    )

    assert response.status_code == 302
    for item in (first, second, unticked):
        item.refresh_from_db()
    assert (first.status, second.status, unticked.status) == ("verified", "verified", "proposed")
    evidence = Evidence.objects.filter(verification__community__in=[first, second])
    assert evidence.count() == 2
    assert {item.verification.community_id for item in evidence} == {first.pk, second.pk}
    assert len({item.file.name for item in evidence}) == 1  # one file, stored once
    assert first.history.filter(status="verified").exists()
    follow = member_client.get(reverse("team-district")).content.decode()
    assert "Подтверждено 2 сообщества." in follow


@pytest.mark.django_db
def test_bulk_verify_with_nothing_ticked_changes_nothing(member_client: Client) -> None:
    proposed = _iglino("ТОС «А»", status=Community.Status.PROPOSED)

    html = member_client.post(
        reverse("team-bulk"),
        {"action": "verify", "stage": "apply", "ids": [proposed.pk], "kind": "meetings", "text": "Были"},
    ).content.decode()

    assert "Отметьте каждое сообщество, которое подтверждает" in html
    proposed.refresh_from_db()
    assert proposed.status == "proposed"


@pytest.mark.django_db
def test_bulk_archive_asks_a_reason_and_confirmation_and_is_all_or_nothing(member_client: Client) -> None:
    first, second = _iglino("Клуб «А»"), _iglino("Клуб «Б»")
    data = {"action": "archive", "stage": "apply", "ids": [first.pk, second.pk]}

    member_client.post(reverse("team-bulk"), {**data, "reason": "Не собираются"})  # no confirmation
    assert Community.objects.filter(status="archived").count() == 0
    member_client.post(reverse("team-bulk"), {**data, "reason": "Не собираются", "confirm": "on"})

    for item in (first, second):
        item.refresh_from_db()
        assert item.status == "archived"
        assert item.archive_reason == "Не собираются"
        assert item.history.first().history_change_reason == "Не собираются"
    page = member_client.get(reverse("team-community", args=[first.pk])).content.decode()
    assert "подтверждено до" not in page
    assert "Не собираются" in page


@pytest.mark.django_db
def test_another_teams_community_cannot_be_slipped_into_a_bulk_action(
    member_client: Client,
) -> None:
    foreign = community(name="ТОС «Уфимский»", status=Community.Status.PROPOSED)

    member_client.post(
        reverse("team-bulk"),
        {"action": "reject", "stage": "apply", "ids": [foreign.pk], "reason": "x", "confirm": "on"},
    )

    foreign.refresh_from_db()
    assert foreign.status == "proposed"


@pytest.mark.django_db
def test_single_archive_needs_a_reason(member_client: Client) -> None:
    verified = _iglino("Клуб «А»")
    url = reverse("team-community-archive", args=[verified.pk])

    assert "Причина переноса в архив" in member_client.get(url).content.decode()
    member_client.post(url, {"reason": " "})
    verified.refresh_from_db()
    assert verified.status == "verified"
    member_client.post(url, {"reason": "Объединились с соседями"})
    verified.refresh_from_db()
    assert verified.status == "archived"


@pytest.mark.django_db
def test_evidence_file_is_listed_and_sent_as_an_attachment_to_the_team_only(
    member_client: Client, ufa_team_member: User, iglino_team_member: User
) -> None:
    proposed = _iglino("ТОС «Документ»", status=Community.Status.PROPOSED)
    community_verify(
        user=iglino_team_member,
        community=proposed,
        evidence=[
            EvidenceInput(
                "documents",
                "Протокол собрания",
                file=SimpleUploadedFile("protocol.pdf", PDF, content_type="application/pdf"),
            )
        ],
    )
    evidence = Evidence.objects.get(verification__community=proposed)
    url = reverse("team-evidence-file", args=[evidence.pk])

    assert url in member_client.get(reverse("team-community", args=[proposed.pk])).content.decode()
    response = member_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    other = Client()
    other.force_login(ufa_team_member)
    assert other.get(url).status_code == 404
    assert not evidence.file.url.startswith("/media/") or Client().get(evidence.file.url).status_code == 404
