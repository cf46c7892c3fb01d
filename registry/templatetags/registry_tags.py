"""Template helpers for the public registry pages: the one place case stories become HTML."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
import phonenumbers
from django import template
from django.conf import settings
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from registry.maps.render import map_ui
from registry.models import Leader

register = template.Library()

STORY_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "blockquote"})
STORY_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https"})


def story_clean(html: str) -> str:
    """Case stories are sanitised when saved; this second pass at render time keeps a row written
    any other way (admin, SQL, an old import) from reaching the page with scripts or javascript: links."""
    return nh3.clean(
        html or "",
        tags=set(STORY_TAGS),
        attributes={tag: set(names) for tag, names in STORY_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


@register.filter
def story_html(value: str) -> SafeString:
    """A story kept as plain text (written before the case editor) keeps its paragraphs too."""
    if value and not re.search(r"<(p|br|ul|ol|h3|blockquote)\b", value):
        value = linebreaks(value, autoescape=True)
    return mark_safe(story_clean(value))  # noqa: S308 -- the output of nh3 with an allow-list, not raw user text


@register.filter
def is_web_link(value: str) -> bool:
    """Only http(s) links become <a href>: a javascript: or data: URL written past the validators stays text."""
    return urlsplit(str(value).strip()).scheme.lower() in URL_SCHEMES


@register.filter
def phone_display(value: str) -> str:
    """+79000000027 → +7 900 000-00-27; anything unparsable is shown as stored."""
    try:
        number = phonenumbers.parse(str(value), "RU")
    except phonenumbers.NumberParseException:
        return str(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@register.inclusion_tag("includes/point_picker.html")
def point_picker(lon_input: str = "id_lon", lat_input: str = "id_lat") -> dict[str, object]:
    """A click-to-place map filling the form's longitude and latitude inputs (Leaflet, self-hosted)."""
    return {
        "lon_input": lon_input,
        "lat_input": lat_input,
        "tile_url": settings.MAP_TILE_URL,
        "ui": map_ui(),
        "center": "54.6,56.0",  # the middle of Bashkortostan, lat,lon
        "zoom": 7,
    }


@register.simple_tag
def citizen_role_explanations() -> list[tuple[str, str]]:
    """What each citizen role of the self-government model means (shown where roles are shown)."""
    explained = {
        Leader.CitizenRole.STAKEHOLDER: _(
            "заинтересованный житель: его касаются решения, и он в них участвует"
        ),
        Leader.CitizenRole.ADVOCATE: _("говорит от имени группы жителей и отстаивает её интересы"),
        Leader.CitizenRole.DIALOGUE_INITIATOR: _(
            "зовёт к разговору власть, бизнес и соседей, собирает встречи"
        ),
        Leader.CitizenRole.EVALUATOR: _("оценивает, что сделано: следит за результатами и говорит о них"),
        Leader.CitizenRole.PARTNER: _(
            "делает общее дело вместе с властью или организациями, вкладывает силы"
        ),
    }
    return [(str(role.label), str(explained[role])) for role in Leader.CitizenRole]
