"""Splitting the combined cells people make: «Росинка (с. Иглино)» under «Сообщество (населённый
пункт)», «Иванова М.П., 89171234567» under «Руководитель, телефон», «Иванова М.П., председатель»
under «ФИО, должность». A cell that cannot be split is reported, naming its row and column."""

from __future__ import annotations

import re

_PHONE = re.compile(r"\+?\d[\d\s\-().]{8,18}\d")
_DIGITS = re.compile(r"\+?\d[\d\s\-()]{3,}\d")
_EMAIL = re.compile(r"[^\s@,;]+@[^\s@,;]+\.\w+")
_PARENTHESISED = re.compile(r"^(.*?)\s*[(\[]([^()\[\]]+)[)\]]\s*$")
_PLACE_START = re.compile(
    r"(?:^|[\s,])((?i:с|д|г|п|пос|дер|рп|пгт|х|село|деревня|город)(?:\.\s*|\s+)[А-ЯЁ][^,;]*)$"
)
_LABELS = re.compile(r"\b(?:тел|телефон|моб|e-?mail|эл\.?\s*почта|почта)\b\.?:?", re.I)


def _strip(text: str) -> str:
    return " ".join(text.strip(" ,;:-–—\t").split())


def split_name_place(text: str) -> tuple[str, str] | None:
    """«Росинка (с. Иглино)», «Росинка, с. Иглино», «Росинка с. Иглино» → (name, place)."""
    match = _PARENTHESISED.match(text)
    if match and match.group(1).strip():
        return _strip(match.group(1)), _strip(match.group(2))
    if "," in text:
        name, place = text.rsplit(",", 1)
        return _strip(name), _strip(place)
    match = _PLACE_START.search(text)
    if match and match.start(1) > 0:
        return _strip(text[: match.start(1)]), _strip(match.group(1))
    return None


def split_contacts(text: str) -> dict[str, str]:
    """A person's name, phone and e-mail out of one cell, in any order."""
    found: dict[str, str] = {}
    rest = text
    if email := _EMAIL.search(rest):
        found["email"] = email.group(0)
        rest = rest.replace(email.group(0), " ")
    if phone := _PHONE.search(rest):
        found["phone"] = phone.group(0).strip()
        rest = rest.replace(phone.group(0), " ")
    elif short := _DIGITS.search(rest):  # a phone too short is still the phone: reported, not kept as a name
        found["phone"] = short.group(0).strip()
        rest = rest.replace(short.group(0), " ")
    rest = _strip(_LABELS.sub(" ", rest))
    if rest:
        found["leader"] = rest
    return found


def split_cell(text: str, fields: tuple[str, ...]) -> dict[str, str] | None:
    """The combined cell's values by field, or None when it cannot be split."""
    text = " ".join(text.split())
    if not text:
        return {}
    wanted = set(fields)
    if wanted <= {"name", "place"}:
        parts = split_name_place(text)
        if parts is None:
            return None
        return {"name": parts[0], "place": parts[1]}
    if "position" in wanted:
        head, _sep, tail = text.partition(",")
        values = split_contacts(head)
        if "position" in wanted and tail.strip():
            values["position"] = _strip(tail)
        return {key: value for key, value in values.items() if key in wanted} or None
    values = split_contacts(text)
    return {key: value for key, value in values.items() if key in wanted} or None
