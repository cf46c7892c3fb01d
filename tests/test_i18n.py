"""English as the second interface language: negotiation by Accept-Language, the footer language
switch (django's set_language view), and a complete, compiled English catalogue."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
HEADER_FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")


def _po_entries() -> list[tuple[list[str], dict[str, str]]]:
    """A minimal .po reader: (flag/comment lines, {keyword: text}) per entry, the header first."""
    entries: list[tuple[list[str], dict[str, str]]] = []
    for block in PO_PATH.read_text(encoding="utf-8").strip().split("\n\n"):
        comments: list[str] = []
        fields: dict[str, str] = {}
        keyword = ""
        for line in block.splitlines():
            if line.startswith("#"):
                comments.append(line)
            elif line.startswith('"'):
                fields[keyword] += ast.literal_eval(line)
            else:
                keyword, _, literal = line.partition(" ")
                assert keyword.startswith(HEADER_FIELDS), f"unexpected line in {PO_PATH}: {line!r}"
                fields[keyword] = ast.literal_eval(literal)
        entries.append((comments, fields))
    return entries


def _html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "no <html lang> attribute"
    return match.group(1)


@pytest.mark.django_db
def test_home_in_english_with_accept_language(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert _html_lang(html) == "en"
    assert "Community Map" in html
    assert "Skip to content" in html
    assert "Карта сообществ" not in html


@pytest.mark.django_db
def test_home_in_russian_by_default(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert _html_lang(html) == "ru"
    assert "Карта сообществ" in html
    assert "Community Map" not in html


@pytest.mark.django_db
def test_footer_has_an_accessible_language_switch(client: Client) -> None:
    """Links in a named navigation landmark, the current language marked, each link in its own
    language; no POST form, so the page carries no CSRF token (it may be compressed and cached)."""
    html = client.get("/about/?x=1").content.decode()
    switch = re.search(r'<nav class="language-switch".*?</nav>', html, re.DOTALL)
    assert switch, "no language switch"
    markup = switch.group(0)
    assert 'aria-label="Язык"' in markup
    assert '<span lang="ru" aria-current="true">Русский</span>' in markup
    assert (
        '<a href="/language/en/?next=/about/%3Fx%3D1" lang="en" hreflang="en" rel="nofollow">English</a>'
        in markup
    )
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.django_db
def test_the_language_link_switches_the_about_page_to_english(client: Client) -> None:
    before = client.get("/about/").content.decode()
    assert _html_lang(before) == "ru"
    assert "Источники геоданных" in before

    response = client.get("/language/en/", {"next": "/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    after = client.get("/about/").content.decode()
    assert _html_lang(after) == "en"
    assert "Geodata sources" in after
    assert "Источники геоданных" not in after
    assert '<span lang="en" aria-current="true">English</span>' in after

    client.get("/language/ru/", {"next": "/about/"})
    assert _html_lang(client.get("/about/").content.decode()) == "ru"


@pytest.mark.django_db
def test_the_language_link_never_leads_off_the_site_and_knows_only_our_languages(client: Client) -> None:
    assert client.get("/language/en/", {"next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/language/en/", {"next": "//evil.example/"})["Location"] == "/"
    assert client.get("/language/de/", {"next": "/"}).status_code == 404


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = _po_entries()
    header_comments, header = entries[0]
    assert header["msgid"] == ""
    assert "Language: en\n" in header["msgstr"]
    assert not any("fuzzy" in line for line in header_comments if line.startswith("#,"))
    messages = entries[1:]
    assert len(messages) > 400
    for comments, fields in messages:
        assert not any("fuzzy" in line for line in comments if line.startswith("#,")), fields["msgid"]
        assert not any(line.startswith("#~") for line in comments), f"obsolete entry: {comments}"
        translations = [text for keyword, text in fields.items() if keyword.startswith("msgstr")]
        assert translations, fields["msgid"]
        for text in translations:
            assert text.strip(), f"empty msgstr for {fields['msgid']!r}"
            assert not CYRILLIC.search(text), f"Russian left in the translation of {fields['msgid']!r}"


@pytest.mark.parametrize(
    ("msgid", "english"),
    [
        ("Карта сообществ", "Community Map"),
        ("ОКТМО", "OKTMO"),
        ("такой строки в каталоге нет", None),
        ("О проекте и данных", "About the project and data"),
        ("Сообщество подтверждено и опубликовано.", "The community has been verified and published."),
        ("Язык", "Language"),
    ],
)
def test_sample_messages_translate_to_english(msgid: str, english: str | None) -> None:
    with translation.override("en"):
        translated = translation.gettext(msgid)
    if english is None:  # not a msgid: falls back to itself, proving the check is not vacuous
        assert translated == msgid
    else:
        assert translated == english
        assert not CYRILLIC.search(translated)


def test_plural_message_translates() -> None:
    singular = "%(region)s, с %(starts)s по %(ends)s; участвует %(municipalities)s муниципалитет."
    plural = "%(region)s, с %(starts)s по %(ends)s; участвуют %(municipalities)s муниципалитетов."
    with translation.override("en"):
        assert translation.ngettext(singular, plural, 1).endswith("municipality takes part.")
        assert translation.ngettext(singular, plural, 5).endswith("municipalities take part.")


def test_compiled_mo_matches_the_po() -> None:
    """The committed .mo holds exactly the .po's translations (a fresh machine needs no gettext)."""
    assert MO_PATH.exists(), "run: python manage.py compilemessages --ignore=.venv"
    with MO_PATH.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for _comments, fields in _po_entries()[1:]:
        if "msgid_plural" in fields:
            for keyword, text in fields.items():
                if keyword.startswith("msgstr["):
                    expected[(fields["msgid"], int(keyword[7:-1]))] = text
        else:
            expected[fields["msgid"]] = fields["msgstr"]
    compiled = {key: text for key, text in catalog.items() if key != ""}
    assert compiled == expected, "the .mo is stale: run python manage.py compilemessages --ignore=.venv"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (Debian gettext) is not installed")
def test_po_passes_msgfmt_check() -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt is not None
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [msgfmt, "--check", "-o", "/dev/null", str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
