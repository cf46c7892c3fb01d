"""Consent cells: yes, no, or a value that makes the row ask a person rather than guess."""

from __future__ import annotations

import re

CONSENT_YES = frozenset(
    {"да", "yes", "y", "есть", "+", "1", "true", "истина", "согласен", "согласна", "согласны", "согласие есть",
     "v", "✓", "✔", "☑", "x", "х", "✅", "ok", "ок", "да согласен", "да согласна", "даю", "даю согласие",
     "согласен а", "подпись", "подписано", "имеется"}
)  # fmt: skip
CONSENT_NO = frozenset(
    {"", "нет", "no", "n", "-", "—", "–", "0", "false", "ложь", "не согласен", "не согласна", "отказ",
     "нет согласия", "не даю", "✗", "✘"}
)  # fmt: skip
_SPACES = re.compile(r"[\s.,!;:()]+")


def consent_key(text: str) -> str:
    """«  Да. », «СОГЛАСНА!», «✓» → «да», «согласна», «✓»: case, ё and stray punctuation aside,
    never the signs themselves («+», «-», «✓» are answers)."""
    return " ".join(_SPACES.sub(" ", str(text).lower().replace("ё", "е")).split()).replace("/", " ")


def consent_read(text: str) -> bool | None:
    """True for yes, False for no or empty, None for anything else (the row asks a person)."""
    key = consent_key(text)
    if key in CONSENT_YES or key.startswith(("да ", "согласен", "согласна", "согласны")):
        return True
    if key in CONSENT_NO or key.startswith(("нет ", "не согласен", "не согласна")):
        return False
    return None
