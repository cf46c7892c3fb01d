"""What a column's cells look like — phones, e-mails, people's names, places, counts, years, yes/no —
for mapping a column whose header names nothing, and for refusing to drop one silently."""

from __future__ import annotations

import re
from collections import Counter

from fairs.intake.consent import CONSENT_NO, CONSENT_YES, consent_key

_PHONE = re.compile(r"^\+?[\d\s\-().]{10,20}$")
_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.\w+$")
_PERSON = re.compile(
    r"^(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?:\s+[А-ЯЁ][а-яё]+){1,2}"  # Иванова Мария Петровна
    r"|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s*[А-ЯЁ]\.?"  # Иванова М.П.
    r"|[А-ЯЁ]\.\s*[А-ЯЁ]\.\s*[А-ЯЁ][а-яё]+)$"  # М.П. Иванова
)
_PLACE = re.compile(r"^(?i:с|д|г|п|пос|дер|рп|пгт|х|село|деревня|город|поселок|посёлок)(?:\.\s*|\s+)[А-ЯЁ]")
_COUNT = re.compile(r"^(?:около|примерно|более|~|≈)?\s*\d{1,5}\s*(?:чел\w*\.?)?$", re.I)
_YEAR = re.compile(r"^(?:18|19|20)\d\d(?:\s*г(?:од|\.)?)?(?:\.0)?$")
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:[ T]\d{1,2}:\d\d(?::\d\d)?)?")

# Kinds that name a field: a column of them whose header names nothing is never dropped silently.
FIELD_KINDS = {
    "phone": "phone",
    "email": "email",
    "person": "leader",
    "place": "place",
    "count": "members",
    "year": "founded",
    "consent": "consent",
}
ENOUGH = 0.6  # the share of a column's filled cells that must look alike


def cell_kind(value: str) -> str | None:
    text = " ".join(value.split())
    if not text:
        return None
    if _EMAIL.match(text):
        return "email"
    if _YEAR.match(text):
        return "year"
    if _DATE.match(text):
        return "date"
    if _PHONE.match(text) and 10 <= sum(char.isdigit() for char in text) <= 12:
        return "phone"
    if _COUNT.match(text):
        return "count"
    key = consent_key(text)
    if key in CONSENT_YES or key in CONSENT_NO:
        return "consent"
    if _PLACE.match(text):
        return "place"
    if _PERSON.match(text):
        return "person"
    return "text"


def column_kind(values: list[str]) -> str | None:
    """The kind most of the filled cells share (ENOUGH of them), or None."""
    kinds = Counter(kind for value in values if (kind := cell_kind(value)) is not None)
    total = sum(kinds.values())
    if not total:
        return None
    kind, count = kinds.most_common(1)[0]
    return kind if count >= ENOUGH * total else None
