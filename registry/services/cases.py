"""Registry writes: cases — a successful community's story with its golden rules, published by a coordinator.

Stories are rich text: sanitised with nh3 on the way in (and again when rendered), never raw HTML."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape, unescape

import nh3
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from registry.models import Case, Community
from registry.publication import public_q
from registry.selectors.teams import user_is_coordinator

STORY_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "blockquote"}
STORY_ATTRIBUTES = {"a": {"href"}}
STORY_MAX_LENGTH = 50_000
RULE_MAX_LENGTH = 500


def story_sanitise(html: str) -> str:
    """Only simple formatting and http(s) links survive; scripts, styles and handlers are removed."""
    return nh3.clean(
        html,
        tags=STORY_TAGS,
        attributes=STORY_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer",
    )


def story_from_text(text: str) -> str:
    """A story typed as text: paragraphs split by a blank line become <p>, a single line break <br>."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()]
    return "".join(
        "<p>" + "<br>".join(escape(line.strip()) for line in part.split("\n")) + "</p>" for part in paragraphs
    )


def story_to_text(html: str) -> str:
    """The editor's text for a stored story: paragraphs apart by a blank line, formatting dropped."""
    text = re.sub(r"<br\s*/?>", "\n", html or "")
    text = re.sub(r"</(p|li|h3|blockquote)>", "\n\n", text)
    text = nh3.clean(text, tags=set())
    text = unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def story_is_html(story: str) -> bool:
    return bool(re.search(r"<(p|br|ul|ol|h3|blockquote)\b", story))


def _require_coordinator(user: User) -> None:
    if not user_is_coordinator(user=user):
        raise PermissionDenied


@transaction.atomic
def case_save(
    *,
    user: User,
    community: Community,
    title: str,
    story: str,
    golden_rules: Sequence[str],
    case: Case | None = None,
) -> Case:
    _require_coordinator(user)
    errors: list[ErrorItem] = []
    title = " ".join(title.split())
    if not title:
        errors.append(ErrorItem("title", _("Укажите заголовок кейса"), "required"))
    if not story_sanitise(story).strip():
        errors.append(ErrorItem("story", _("Расскажите историю сообщества"), "required"))
    if len(story) > STORY_MAX_LENGTH:
        errors.append(
            ErrorItem("story", _("История: не длиннее {} символов").format(STORY_MAX_LENGTH), "max_length")
        )
    rules = [" ".join(rule.split()) for rule in golden_rules if rule.strip()]
    if not rules:
        errors.append(ErrorItem("golden_rules", _("Нужно хотя бы одно золотое правило"), "required"))
    errors += [
        ErrorItem(
            f"golden_rules[{index}]",
            _("Правило: не длиннее {} символов").format(RULE_MAX_LENGTH),
            "max_length",
        )
        for index, rule in enumerate(rules)
        if len(rule) > RULE_MAX_LENGTH
    ]
    if errors:
        raise DomainError(*errors)
    case = case or Case(community=community)
    case.community = community
    case.title = title
    case.story = story_sanitise(story if story_is_html(story) else story_from_text(story))
    case.golden_rules = rules
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_publish(*, user: User, case: Case) -> Case:
    """Publish a case; only a published (verified) community's case can be shown."""
    _require_coordinator(user)
    if not Community.objects.filter(public_q(), pk=case.community_id).exists():
        raise DomainError(
            ErrorItem(
                "community",
                _("Кейс можно опубликовать только для подтверждённого сообщества"),
                "community_not_public",
            )
        )
    case.is_published = True
    case.published_by = user
    case.published_at = timezone.now()
    case.save()
    return case


@transaction.atomic
def case_unpublish(*, user: User, case: Case) -> Case:
    _require_coordinator(user)
    case.is_published = False
    case.save()
    return case
