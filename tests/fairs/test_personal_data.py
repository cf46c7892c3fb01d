"""152-FZ duties: everything about a person on request, the consent log, the purge of raw rows — audited."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from fairs.models import Fair, Signup
from fairs.services.erasure import leader_erase
from fairs.services.personal_data import leader_subject_access, signups_purge
from registry.models import Leader, PrivacyEvent
from tests.fairs.test_signup_import import _import

pytestmark = pytest.mark.django_db
ROW = "ТОС «Рассвет»;ТОС;Иглино;Гарипова Алсу;8 (917) 345-67-89;alsu@example.org;;;да\n"


@pytest.fixture
def alsu(iglino_team_member: User, iglino_fair: Fair) -> Leader:
    _import(iglino_team_member, iglino_fair, ROW)
    return Leader.objects.get()


def test_subject_access_holds_every_record_about_the_person(iglino_team_member: User, alsu: Leader) -> None:
    document = leader_subject_access(user=iglino_team_member, leader=alsu)

    assert document["leader"]["full_name"] == "Гарипова Алсу"
    assert document["leader"]["phone"] == "+79173456789"
    assert document["leader"]["email"] == "alsu@example.org"
    assert [item["name"] for item in document["communities"]] == ["ТОС «Рассвет»"]
    assert {item["scope"] for item in document["consents"]} == set(
        alsu.consents.values_list("scope", flat=True)
    )
    assert document["history"][0]["full_name"] == "Гарипова Алсу"
    [row] = document["fair_signups"]
    assert row["leader_name"] == "Гарипова Алсу"
    assert "Гарипова Алсу" in json.dumps(row["raw"], ensure_ascii=False)
    event = PrivacyEvent.objects.get(action=PrivacyEvent.Action.SUBJECT_ACCESS)
    assert (event.actor, event.leader_id, event.details["fair_signups"]) == (iglino_team_member, alsu.pk, 1)


def test_subject_access_of_another_team_is_refused(ufa_team_member: User, alsu: Leader) -> None:
    with pytest.raises(PermissionDenied):
        leader_subject_access(user=ufa_team_member, leader=alsu)
    assert not PrivacyEvent.objects.exists()


def test_subject_access_download_is_json_for_the_team_and_404_for_others(
    client: Client, iglino_team_member: User, ufa_team_member: User, alsu: Leader
) -> None:
    client.force_login(iglino_team_member)
    response = client.get(f"/team/leaders/{alsu.pk}/export.json")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="leader-{alsu.pk}-')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["leader"]["email"] == "alsu@example.org"

    client.force_login(ufa_team_member)
    assert client.get(f"/team/leaders/{alsu.pk}/export.json").status_code == 404


def test_after_erasure_the_export_holds_nothing_personal_and_the_erasure_is_audited(
    iglino_team_member: User, alsu: Leader
) -> None:
    leader_erase(user=iglino_team_member, leader=alsu)

    text = json.dumps(leader_subject_access(user=iglino_team_member, leader=alsu), ensure_ascii=False)
    for trace in ("Гарипова", "79173456789", "alsu@example.org"):
        assert trace not in text
    erasure = PrivacyEvent.objects.get(action=PrivacyEvent.Action.ERASURE)
    assert (erasure.leader_id, erasure.details) == (alsu.pk, {"fair_signups": 1, "proposals": 0})
    assert "Гарипова" not in json.dumps(list(PrivacyEvent.objects.values("details")), ensure_ascii=False)


def test_consent_log_lists_own_municipalities_only_and_is_audited(
    client: Client, iglino_team_member: User, ufa_team_member: User, alsu: Leader
) -> None:
    alsu.full_name = "=HYPERLINK(1)"  # a formula canary in a name
    alsu.save()
    client.force_login(iglino_team_member)
    response = client.get("/team/consents.csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + alsu.consents.count()
    assert {row[0] for row in rows[1:]} == {str(alsu.pk)}
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert PrivacyEvent.objects.get(action=PrivacyEvent.Action.CONSENT_LOG).details == {
        "consents": alsu.consents.count()
    }

    client.force_login(ufa_team_member)
    other = list(
        csv.reader(io.StringIO(client.get("/team/consents.csv").content.decode("utf-8-sig")), delimiter=";")
    )
    assert other[1:] == []


def test_consent_log_is_not_for_the_public(client: Client) -> None:
    assert client.get("/team/consents.csv").status_code == 302  # to the sign-in page


def test_purge_shreds_rows_resolved_before_the_retention_only(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    _import(
        iglino_team_member,
        iglino_fair,
        ROW
        + "Клуб «Ладья»;по интересам;Иглино;Юсупов Азат;;;;;\nВолонтёры;волонтёры;Иглино;Сафин Ильдар;;;;;\n",
    )
    old, recent, open_row = Signup.objects.order_by("row_number")
    now = timezone.now()
    Signup.objects.filter(pk=old.pk).update(resolved_at=now - timedelta(days=181))
    Signup.objects.filter(pk=recent.pk).update(resolved_at=now - timedelta(days=10))
    Signup.objects.filter(pk=open_row.pk).update(resolved_at=None)

    assert signups_purge(now=now) == 1
    assert signups_purge(now=now) == 0  # already shredded

    old.refresh_from_db()
    recent.refresh_from_db()
    open_row.refresh_from_db()
    assert (old.raw, old.leader_name, old.phone, old.email) == ({"shredded": True}, "", "", "")
    assert old.name == "ТОС «Рассвет»"  # the community side stays
    assert recent.leader_name == "Юсупов Азат"
    assert open_row.leader_name == "Сафин Ильдар"
    assert PrivacyEvent.objects.get(action=PrivacyEvent.Action.SIGNUP_PURGE).details == {"rows": 1}


def test_purge_command_reports_its_count(iglino_team_member: User, iglino_fair: Fair) -> None:
    _import(iglino_team_member, iglino_fair, ROW)
    Signup.objects.update(resolved_at=timezone.now() - timedelta(days=400))
    out = io.StringIO()

    call_command("purge_signups", stdout=out)

    assert "Sign-up rows shredded: 1" in out.getvalue()
