"""English as the second interface language: negotiation by Accept-Language, the footer language
switch (django's set_language view), and a complete, compiled English catalogue: every entry
translated, and every msgid the code and templates use present (plurals with their Russian forms)."""

from __future__ import annotations

import ast
import contextlib
import gettext
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from registry.management.commands.makemessages import EXTRA_KEYWORDS

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
HEADER_FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")


def _po_entries(path: Path = PO_PATH) -> list[tuple[list[str], dict[str, str]]]:
    """A minimal .po reader: (flag/comment lines, {keyword: text}) per entry, the header first."""
    entries: list[tuple[list[str], dict[str, str]]] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
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
                assert keyword.startswith(HEADER_FIELDS), f"unexpected line in {path}: {line!r}"
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


# What makemessages reads (its default extensions) and what it is told to skip (--ignore=.venv
# --ignore=var; hidden directories are skipped by default; node_modules holds no interface text).
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
SKIPPED_DIRS = {"var", "locale", "node_modules", "__pycache__"}
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")


def _sources() -> Iterator[Path]:
    base = Path(settings.BASE_DIR)
    for directory, subdirectories, files in os.walk(base):
        subdirectories[:] = [
            name for name in subdirectories if not name.startswith(".") and name not in SKIPPED_DIRS
        ]
        for name in files:
            if Path(name).suffix in SOURCE_SUFFIXES:
                yield Path(directory) / name


def _copy_sources(target: Path) -> None:
    base = Path(settings.BASE_DIR)
    for source in _sources():
        copy = target / source.relative_to(base)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)


@pytest.fixture(scope="module")
def extracted_catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed catalogues brought up to date with the code by makemessages, in a copy of
    the sources: the same extraction the catalogue is maintained with, without touching the tree."""
    root = tmp_path_factory.mktemp("makemessages")
    _copy_sources(root)
    for language in ("en", "ru"):
        target = root / "locale" / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copyfile(PO_PATH.parents[2] / language / "LC_MESSAGES" / "django.po", target / "django.po")
    with contextlib.chdir(root), override_settings(LOCALE_PATHS=[str(root / "locale")]):
        call_command("makemessages", locale=["en", "ru"], no_obsolete=True, verbosity=0)
    return root / "locale"


def _untranslated(path: Path, *, plurals_only: bool = False) -> list[str]:
    missing = []
    for comments, fields in _po_entries(path)[1:]:
        if plurals_only and "msgid_plural" not in fields:
            continue
        fuzzy = any("fuzzy" in line for line in comments if line.startswith("#,"))
        empty = any(not text for keyword, text in fields.items() if keyword.startswith("msgstr"))
        if fuzzy or empty:
            missing.append(fields["msgid"])
    return missing


@pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in GETTEXT_TOOLS),
    reason="makemessages needs xgettext, msguniq, msgmerge and msgattrib (Debian gettext)",
)
def test_every_message_in_the_code_has_an_english_entry(extracted_catalogues: Path) -> None:
    """A msgid used in the code or a template but absent from the English catalogue shows Russian
    on the English site: makemessages adds it with an empty (or a guessed, fuzzy) msgstr."""
    missing = _untranslated(extracted_catalogues / "en" / "LC_MESSAGES" / "django.po")
    assert not missing, f"{len(missing)} msgids need an English entry in {PO_PATH}: {missing}"


@pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in GETTEXT_TOOLS),
    reason="makemessages needs xgettext, msguniq, msgmerge and msgattrib (Debian gettext)",
)
def test_every_plural_message_has_russian_forms(extracted_catalogues: Path) -> None:
    """ngettext and {% blocktranslate count %} need the three Russian forms from the ru catalogue
    (1 сообщество, 2 сообщества, 5 сообществ); plain messages need no ru entry."""
    missing = _untranslated(extracted_catalogues / "ru" / "LC_MESSAGES" / "django.po", plurals_only=True)
    assert not missing, f"plural msgids need Russian forms in locale/ru/LC_MESSAGES/django.po: {missing}"


def test_translation_functions_are_imported_under_names_makemessages_extracts() -> None:
    """xgettext finds msgids only by the function's name: text passed to an alias it does not know
    (say ``gettext_lazy as _t``) never reaches the catalogue and stays Russian in English."""
    known = {"_", *EXTRA_KEYWORDS}
    unknown = []
    for path in _sources():
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                unknown += [
                    f"{path.relative_to(settings.BASE_DIR)}: {alias.name} as {alias.asname}"
                    for alias in node.names
                    if alias.asname and alias.asname not in known
                ]
    assert not unknown, (
        f"add the alias to EXTRA_KEYWORDS in registry/management/commands/makemessages.py: {unknown}"
    )
