from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from geo.errors import DomainError
from registry.models import Community
from registry.services.cases import case_publish, case_save, story_sanitise
from tests.registry.factories import community


def test_story_sanitiser_keeps_formatting_and_drops_scripts() -> None:
    html = story_sanitise(
        '<p onclick="x()">Мы <strong>собрались</strong><script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">плохо</a><a href="https://example.org">хорошо</a><img src=x onerror=alert(1)>'
    )

    assert "<script" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<img" not in html
    assert "<strong>собрались</strong>" in html
    assert 'href="https://example.org"' in html


@pytest.mark.django_db
def test_coordinator_saves_and_publishes_a_case(programme_coordinator: User) -> None:
    published = community()

    case = case_save(
        user=programme_coordinator,
        community=published,
        title="Как ТОС «Рассвет» построил детскую площадку",
        story="<p>История</p><script>x</script>",
        golden_rules=["  Договаривайтесь заранее ", "", "Считайте деньги открыто"],
    )
    case_publish(user=programme_coordinator, case=case)

    assert case.golden_rules == ["Договаривайтесь заранее", "Считайте деньги открыто"]
    assert case.story == "<p>История</p>"
    assert case.is_published
    assert case.published_by == programme_coordinator


@pytest.mark.django_db
def test_team_member_cannot_publish_cases(ufa_team_member: User) -> None:
    with pytest.raises(PermissionDenied):
        case_save(
            user=ufa_team_member,
            community=community(),
            title="Кейс",
            story="",
            golden_rules=["Правило"],
        )


@pytest.mark.django_db
def test_case_needs_rules_and_a_title(programme_coordinator: User) -> None:
    with pytest.raises(DomainError) as error:
        case_save(
            user=programme_coordinator,
            community=community(),
            title=" ",
            story="<script>x</script>",
            golden_rules=[" "],
        )

    assert {item.field for item in error.value.items} == {"title", "story", "golden_rules"}


@pytest.mark.django_db
def test_unverified_community_case_cannot_be_published(programme_coordinator: User) -> None:
    proposed = community(status=Community.Status.PROPOSED)
    case = case_save(
        user=programme_coordinator,
        community=proposed,
        title="Кейс",
        story="<p>Было</p>",
        golden_rules=["Правило"],
    )

    with pytest.raises(DomainError, match="community_not_public"):
        case_publish(user=programme_coordinator, case=case)
