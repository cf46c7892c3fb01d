"""The case editor: one golden rule per line (a comma stays inside its rule), rules moved one at a
time, paragraphs kept, a preview, and publication only after a confirmation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import Case, Community
from tests.cockpit.conftest import logged_in
from tests.registry.factories import community

pytestmark = pytest.mark.django_db
RULE_WITH_COMMA = "Встречаемся каждую среду, даже зимой"
STORY = "Всё началось со двора.\nСоседи собрались вечером.\n\nЧерез год двор стал другим."


@pytest.fixture
def club() -> Community:
    return community(name="ТОС «Рассвет»")


def _rules(html: str) -> list[str]:
    return re.findall(r'name="rule" value="([^"]*)"', html)


def _save(client: Client, club: Community, rules: list[str], op: str = "save", pk: int | None = None) -> Any:
    url = f"/programme/cases/{pk}/" if pk else f"/programme/cases/new/?community={club.pk}"
    return client.post(url, {"title": "Как двор стал общим", "story": STORY, "rule": rules, "op": op})


def test_a_rule_with_a_comma_stays_one_rule_and_paragraphs_stay_apart(
    club: Community, programme_coordinator: User, client: Client
) -> None:
    coordinator = logged_in(programme_coordinator)
    assert not programme_coordinator.is_staff
    response = _save(coordinator, club, [RULE_WITH_COMMA, "Решаем вместе", ""])
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.golden_rules == [RULE_WITH_COMMA, "Решаем вместе"]
    assert case.story == (
        "<p>Всё началось со двора.<br>Соседи собрались вечером.</p><p>Через год двор стал другим.</p>"
    )
    editor = coordinator.get(f"/programme/cases/{case.pk}/").content.decode()
    assert _rules(editor) == [RULE_WITH_COMMA, "Решаем вместе"]
    assert "Золотые правила" in editor
    assert "Через год двор стал другим." in editor


def test_rules_are_added_moved_and_removed_one_at_a_time(
    club: Community, programme_coordinator: User
) -> None:
    coordinator = logged_in(programme_coordinator)
    moved = _save(coordinator, club, ["Первое", "Второе, с запятой", "Третье"], op="up:1")
    assert _rules(moved.content.decode()) == ["Второе, с запятой", "Первое", "Третье"]
    added = _save(coordinator, club, ["Первое"], op="add")
    assert _rules(added.content.decode()) == ["Первое", ""]
    removed = _save(coordinator, club, ["Первое", "Второе"], op="remove:0")
    assert _rules(removed.content.decode()) == ["Второе"]
    assert not Case.objects.exists()  # nothing saved until «Сохранить»


def test_preview_shows_the_case_as_published_without_saving(
    club: Community, programme_coordinator: User
) -> None:
    html = _save(logged_in(programme_coordinator), club, [RULE_WITH_COMMA], op="preview").content.decode()
    assert 'id="case-preview"' in html
    assert f"<li>{RULE_WITH_COMMA}</li>" in html
    assert "<p>Через год двор стал другим.</p>" in html
    assert not Case.objects.exists()


def test_publishing_asks_for_confirmation_then_shows_the_case(
    club: Community, programme_coordinator: User, client: Client
) -> None:
    coordinator = logged_in(programme_coordinator)
    _save(coordinator, club, [RULE_WITH_COMMA])
    case = Case.objects.get()
    confirm = coordinator.get(f"/programme/cases/{case.pk}/publish/")
    assert "Опубликовать кейс?" in confirm.content.decode()
    case.refresh_from_db()
    assert not case.is_published
    coordinator.post(f"/programme/cases/{case.pk}/publish/")
    case.refresh_from_db()
    assert case.is_published
    public = client.get(club.get_absolute_url()).content.decode()
    assert f"<li>{RULE_WITH_COMMA}</li>" in public
    assert "<p>Через год двор стал другим.</p>" in public
    assert (
        "Снять кейс с публикации?"
        in coordinator.get(f"/programme/cases/{case.pk}/unpublish/").content.decode()
    )
    coordinator.post(f"/programme/cases/{case.pk}/unpublish/")
    assert RULE_WITH_COMMA not in client.get(club.get_absolute_url()).content.decode()


def test_a_story_stored_as_plain_text_keeps_its_paragraphs_publicly(club: Community, client: Client) -> None:
    Case.objects.create(
        community=club, title="Старый кейс", story="Абзац один.\n\nАбзац два.", is_published=True
    )
    html = client.get(club.get_absolute_url()).content.decode()
    assert "<p>Абзац один.</p>" in html
    assert "<p>Абзац два.</p>" in html


def test_team_members_cannot_open_the_case_editor(club: Community, ufa_team_member: User) -> None:
    assert logged_in(ufa_team_member).get("/programme/cases/").status_code == 404
