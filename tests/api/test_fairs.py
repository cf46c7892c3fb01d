from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from fairs.models import Fair, Signup, SignupImport

URL = "/api/v1/fairs/"
HEADER = "Название сообщества;Сфера;Населённый пункт;ФИО лидера;Телефон;E-mail;Численность;Год создания\n"
BODY = (
    "ТОС «Рассвет»;ТОС;с. Иглино;;;;25;2019\n"
    "тос Рассвет;ТОС;Иглино;;;;;\n"
    "Волонтёры;волонтёры;Иглино;;8-34-7;;;\n"
)


def _codes(response: Any) -> list[str]:
    return [item["code"] for item in response.json()["errors"]]


def _upload(client: APIClient, fair: Fair, content: bytes, name: str = "sheet.csv") -> Any:
    return client.post(
        f"{URL}{fair.pk}/imports/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


@pytest.fixture
def iglino_client(iglino_team_member: User) -> APIClient:
    client = APIClient()
    client.force_login(iglino_team_member)
    return client


@pytest.mark.django_db
def test_create_fair_in_own_municipality(iglino_client: APIClient, iglino_team_member: User) -> None:
    response = iglino_client.post(
        URL, {"municipality": "80628000", "date": "2026-06-01", "title": "Ярмарка в Иглино"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["municipality"] == {"oktmo": "80628000", "name": body["municipality"]["name"]}
    assert body["title"] == "Ярмарка в Иглино"
    assert body["date"] == "2026-06-01"
    assert body["status"] == "planned"
    fair = Fair.objects.get(pk=body["id"])
    assert list(fair.organisers.all()) == [iglino_team_member]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"municipality": "99999999", "date": "2026-06-01"}, "municipality", "municipality_unknown"),
        ({"municipality": "8062", "date": "2026-06-01"}, "municipality", "invalid"),
        ({"municipality": "80628000", "date": "15.05.2026"}, "date", "invalid"),
        ({"municipality": "80628000", "date": 42}, "date", "invalid"),
        ({"municipality": "80628000"}, "date", "required"),
    ],
)
def test_bad_input_is_400_with_the_error_shape(
    iglino_client: APIClient, payload: dict, field: str, code: str
) -> None:
    response = iglino_client.post(URL, payload, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"field": field, "code": code} == {key: errors[0][key] for key in ("field", "code")}
    assert errors[0]["message"]
    assert not Fair.objects.exists()


@pytest.mark.django_db
def test_other_teams_municipality_is_404(iglino_client: APIClient) -> None:
    response = iglino_client.post(URL, {"municipality": "80701000", "date": "2026-06-01"}, format="json")

    assert response.status_code == 404
    assert _codes(response) == ["not_found"]
    assert not Fair.objects.exists()


@pytest.mark.django_db
def test_anonymous_cannot_create_a_fair(api_client: APIClient) -> None:
    response = api_client.post(URL, {"municipality": "80628000", "date": "2026-06-01"}, format="json")

    assert response.status_code in {401, 403}
    assert _codes(response) == ["not_authenticated"]
    assert not Fair.objects.exists()


@pytest.mark.django_db
def test_session_writes_need_csrf(iglino_team_member: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(iglino_team_member)

    response = client.post(URL, {"municipality": "80628000", "date": "2026-06-01"}, format="json")

    assert response.status_code == 403
    assert response.json()["errors"]
    assert not Fair.objects.exists()


@pytest.mark.django_db
def test_mine_keeps_the_users_own_fairs(
    iglino_client: APIClient, ufa_team_member: User, api_client: APIClient, iglino_fair: Fair
) -> None:
    assert [fair["id"] for fair in iglino_client.get(URL, {"mine": "true"}).json()["results"]] == [
        iglino_fair.pk
    ]

    api_client.force_login(ufa_team_member)
    assert api_client.get(URL, {"mine": "true"}).json()["results"] == []
    assert [fair["id"] for fair in api_client.get(URL).json()["results"]] == [iglino_fair.pk]


@pytest.mark.django_db
def test_anonymous_list_shows_public_fields_of_every_fair(api_client: APIClient, iglino_fair: Fair) -> None:
    response = api_client.get(URL)
    elsewhere = api_client.get(URL, {"municipality": "80701000"})

    assert response.status_code == 200
    assert [fair["id"] for fair in response.json()["results"]] == [iglino_fair.pk]
    assert set(response.json()["results"][0]) == {
        "id", "municipality", "title", "date", "venue_name", "status", "visitor_count",
    }  # fmt: skip
    assert response.json()["results"][0]["municipality"] == {"oktmo": "80628000", "name": "Иглинский район"}
    assert elsewhere.json()["count"] == 0
    assert api_client.get(URL, {"municipality": "abc"}).json()["errors"][0]["field"] == "municipality"


@pytest.mark.django_db
def test_fair_outside_scope_is_404(api_client: APIClient, ufa_team_member: User, iglino_fair: Fair) -> None:
    api_client.force_login(ufa_team_member)

    assert api_client.get(f"{URL}{iglino_fair.pk}/").status_code == 404
    assert api_client.get(f"{URL}{iglino_fair.pk}/imports/").status_code == 404
    response = _upload(api_client, iglino_fair, (HEADER + BODY).encode())
    assert response.status_code == 404
    assert not SignupImport.objects.exists()


@pytest.mark.django_db
def test_upload_csv_returns_201_with_the_report(iglino_client: APIClient, iglino_fair: Fair) -> None:
    response = _upload(iglino_client, iglino_fair, (HEADER + BODY).encode())

    assert response.status_code == 201
    report = response.json()
    assert report["file"] == "sheet.csv"
    assert report["already_imported"] is False
    assert report["rows"] == 3
    assert (report["new"], report["duplicates_in_file"], report["invalid"]) == (1, 1, 1)
    assert [result["row"] for result in report["results"]] == [2, 3, 4]
    assert report["results"][2]["errors"][0]["field"] == "phone"


@pytest.mark.django_db
def test_same_file_again_is_already_imported(iglino_client: APIClient, iglino_fair: Fair) -> None:
    first = _upload(iglino_client, iglino_fair, (HEADER + BODY).encode()).json()

    response = _upload(iglino_client, iglino_fair, (HEADER + BODY).encode(), name="copy.csv")

    assert response.status_code == 200
    body = response.json()
    assert body["already_imported"] is True
    assert body["import"] == first["import"]
    assert SignupImport.objects.count() == 1
    assert Signup.objects.count() == 3


@pytest.mark.django_db
def test_cp1251_upload_is_read_without_mojibake(iglino_client: APIClient, iglino_fair: Fair) -> None:
    response = _upload(iglino_client, iglino_fair, (HEADER + BODY).encode("cp1251"))

    assert response.status_code == 201
    assert Signup.objects.filter(name="ТОС «Рассвет»").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "sheet.csv", "file_empty"),
        (b"a;b\n1;2\n", "sheet.xls", "format_unsupported"),
        (b"a;b\n1;2\n", "sheet.ods", "format_unsupported"),
        (b"\x00\x01\x02", "sheet.xlsx", "xlsx_invalid"),
    ],
)
def test_bad_files_are_400_with_the_services_code(
    iglino_client: APIClient, iglino_fair: Fair, content: bytes, name: str, code: str
) -> None:
    response = _upload(iglino_client, iglino_fair, content, name=name)

    assert response.status_code == 400
    assert code in _codes(response)
    assert not SignupImport.objects.exists()


@pytest.mark.django_db
def test_a_60_mb_sheet_is_refused_whole_with_the_limit_named(
    iglino_client: APIClient, iglino_fair: Fair
) -> None:
    row = "ТОС «Рассвет»;ТОС;Иглино;Иванова Анна;+79170000000;anna@example.ru;12;2019\n".encode()
    content = HEADER.encode() + row * (60 * 2**20 // len(row))  # 60 MB at the default 10 MB limit

    response = _upload(iglino_client, iglino_fair, content)

    assert response.status_code == 400
    assert _codes(response) == ["file_too_large"]
    assert "10" in response.json()["errors"][0]["message"]  # says what the limit is
    assert not SignupImport.objects.exists()
    assert not Signup.objects.exists()


@pytest.mark.django_db
def test_upload_over_the_limit_is_400_file_too_large(
    iglino_client: APIClient, iglino_fair: Fair, settings: Any
) -> None:
    settings.FAIRS_IMPORT_MAX_BYTES = 1_000_000
    content = (HEADER + "ТОС «Рассвет»;ТОС;Иглино;;;;;\n" * 100_000).encode()  # ~3 MB: a temporary file

    response = _upload(iglino_client, iglino_fair, content)

    assert response.status_code == 400
    assert _codes(response) == ["file_too_large"]
    assert not SignupImport.objects.exists()


@pytest.mark.django_db
def test_upload_without_a_file_is_400(iglino_client: APIClient, iglino_fair: Fair) -> None:
    response = iglino_client.post(f"{URL}{iglino_fair.pk}/imports/", {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


@pytest.mark.django_db
def test_anonymous_cannot_upload(api_client: APIClient, iglino_fair: Fair) -> None:
    response = _upload(api_client, iglino_fair, (HEADER + BODY).encode())

    assert response.status_code in {401, 403}
    assert _codes(response) == ["not_authenticated"]


@pytest.mark.django_db
def test_imports_list_shows_counts(iglino_client: APIClient, iglino_fair: Fair) -> None:
    report = _upload(iglino_client, iglino_fair, (HEADER + BODY).encode()).json()

    response = iglino_client.get(f"{URL}{iglino_fair.pk}/imports/")

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == report["import"]
    assert item["file_name"] == "sheet.csv"
    assert item["sha256"] == report["sha256"]
    assert item["uploaded_at"]
    assert item["counts"] == {
        "rows": 3, "new": 1, "matched": 0, "duplicates_in_file": 1, "needs_review": 0, "invalid": 1,
    }  # fmt: skip


@pytest.mark.django_db
def test_fair_detail_shows_signup_counters_in_one_query(
    iglino_client: APIClient, iglino_fair: Fair, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _upload(iglino_client, iglino_fair, (HEADER + BODY).encode())

    with django_assert_max_num_queries(6):
        response = iglino_client.get(f"{URL}{iglino_fair.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == iglino_fair.pk
    assert body["municipality"]["oktmo"] == "80628000"
    assert set(body) >= {"title", "date", "status", "visitor_count", "signups"}
    assert body["signups"]["total"] == 3
    assert body["signups"]["by_status"] == {
        "new": 1, "matched": 0, "duplicate_in_file": 1, "needs_review": 0, "invalid": 1, "rejected": 0,
    }  # fmt: skip
