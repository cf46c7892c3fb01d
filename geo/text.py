"""Folding Russian place strings for comparison: «д. Булатово», «дер.Булатово», «ДЕР БУЛАТОВО»."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_WORD = re.compile(r"[^\w]+|_")
_ABBREVIATIONS = (
    # Slashed and hyphenated abbreviations, expanded before punctuation is folded away.
    (re.compile(r"(?<!\w)с\s*/\s*с(?!\w)"), " сельсовет "),
    (re.compile(r"(?<!\w)с\s*/\s*п(?!\w)"), " сельское поселение "),
    (re.compile(r"(?<!\w)г\s*/\s*п(?!\w)"), " городское поселение "),
    (re.compile(r"(?<!\w)г\s*/\s*о(?!\w)"), " городской округ "),
    (re.compile(r"(?<!\w)р\s*-\s*н(?!\w)"), " район "),
    (re.compile(r"(?<!\w)м\s*-\s*н(?!\w)"), " район "),
)

# Settlement type words as people write them → the OKTMO type abbreviation.
SETTLEMENT_TYPES: dict[str, str] = {
    "д": "д", "дер": "д", "дерев": "д", "деревня": "д",
    "с": "с", "село": "с", "сел": "с",
    "г": "г", "гор": "г", "город": "г",
    "п": "п", "пос": "п", "посел": "п", "поселок": "п",
    "рп": "рп", "пгт": "рп", "кп": "рп",
    "х": "х", "хут": "х", "хутор": "х",
    "аул": "аул",
    "ст": "п ст", "станция": "п ст",
}  # fmt: skip
_MULTIWORD_TYPES = {
    ("р", "п"): "рп",
    ("рабочий", "поселок"): "рп",
    ("п", "ст"): "п ст",
    ("поселок", "станции"): "п ст",
}
# A type that people write may stand for these OKTMO types.
COMPATIBLE_TYPES: dict[str, frozenset[str]] = {
    "п": frozenset({"п", "рп", "п ст"}),
    "рп": frozenset({"рп", "п"}),
    "п ст": frozenset({"п ст", "п"}),
}

RURAL_MARKERS = frozenset({"сельсовет", "поссовет", "сельское поселение", "городское поселение", "сп", "гп"})
DISTRICT_MARKERS = frozenset(
    {
        "район",
        "муниципальный район",
        "мр",
        "городской округ",
        "го",
        "муниципальный округ",
        "мо",
        "зато",
        "город",
    }
)
NOISE_WORDS = frozenset({"республика", "башкортостан", "рб", "россия", "рф", "обл", "область", "край"})
STREET_WORDS = frozenset(
    {"ул", "улица", "пр", "пр-т", "проспект", "пер", "переулок", "бул", "бульвар", "мкр", "микрорайон",
     "пл", "площадь", "ш", "шоссе", "наб", "набережная", "кв", "квартал", "дом", "тупик", "проезд"}
)  # fmt: skip


def fold(text: str) -> str:
    """Lower case, ё→е, abbreviations expanded, punctuation and hyphens as single spaces."""
    lowered = text.lower().replace("ё", "е")
    for pattern, replacement in _ABBREVIATIONS:
        lowered = pattern.sub(replacement, lowered)
    return " ".join(_NOT_WORD.sub(" ", lowered).split())


def strip_markers(folded: str, markers: frozenset[str]) -> str:
    """«иглинский муниципальный район» → «иглинский», longest markers first."""
    words = f" {folded} "
    for marker in sorted(markers, key=len, reverse=True):
        words = words.replace(f" {marker} ", " ")
    return " ".join(words.split())


@dataclass(frozen=True)
class PlaceText:
    """One place string, split into what it names."""

    settlement_names: tuple[str, ...]  # folded names, most likely first
    settlement_type: str | None  # OKTMO abbreviation: "д", "с", "рп" …
    rural_name: str | None  # folded core of a сельсовет / поселение, e.g. «кальтовский»
    district_name: str | None  # folded core of a district / okrug, e.g. «иглинский»


_ORDINAL_ENDINGS = frozenset({"е", "я", "й", "го", "ое", "ая", "ий", "ый"})


def _is_house_number(words: list[str]) -> bool:
    """«д 5», «д 5а», «д 5 1» are house numbers; «д 1 е тукатово» (д 1-е Тукатово) is a village."""
    return (
        len(words) > 1
        and words[0] == "д"
        and words[1][:1].isdigit()
        and (len(words) == 2 or words[2] not in _ORDINAL_ENDINGS)
    )


# Genitive forms people write after a village: «с. Иглино Иглинского района», «Кальтовского сельсовета».
_GENITIVE_MARKERS = {
    "района": "район",
    "сельсовета": "сельсовет",
    "поссовета": "поссовет",
    "округа": "округ",
    "поселения": "поселение",
}
_GENITIVE_ADJECTIVE = re.compile(r"(ск|цк)ого$")
_MARKER_PHRASES: list[tuple[tuple[str, ...], str]] = sorted(
    [(tuple(marker.split()), "rural") for marker in RURAL_MARKERS]
    + [(tuple(marker.split()), "district") for marker in DISTRICT_MARKERS - {"город", "зато"}],
    key=lambda item: -len(item[0]),
)


def _nominative(words: list[str]) -> list[str]:
    result = [_GENITIVE_MARKERS.get(word, word) for word in words]
    for index, word in enumerate(result[:-1]):
        if result[index + 1] in {
            "район",
            "сельсовет",
            "поссовет",
            "округ",
            "поселение",
            "муниципального",
            "сельского",
            "городского",
        } and _GENITIVE_ADJECTIVE.search(word):
            result[index] = _GENITIVE_ADJECTIVE.sub(r"\1ий", word)
    return [
        {"муниципального": "муниципальный", "сельского": "сельское", "городского": "городское"}.get(
            word, word
        )
        for word in result
    ]


def _split_markers(words: list[str]) -> tuple[list[str], str | None, str | None]:
    """Take «<name> район» and «<name> сельсовет» out of a segment, wherever they stand:
    «Абзелиловский р-н д. Булатово», «Михайловка Уфимский р-н», «с. Иглино Иглинского района».
    Returns the remaining words and the folded cores of the сельсовет and the district."""
    words = _nominative(words)
    rest: list[str] = []
    cores: dict[str, str] = {}
    index = 0
    while index < len(words):
        for phrase, kind in _MARKER_PHRASES:
            if tuple(words[index : index + len(phrase)]) == phrase:
                if rest and kind not in cores:
                    cores[kind] = rest.pop()  # the adjective just before the marker
                index += len(phrase)
                break
        else:
            rest.append(words[index])
            index += 1
    return rest, cores.get("rural"), cores.get("district")


def _split_type(words: list[str]) -> tuple[str | None, list[str]]:
    if len(words) >= 3 and tuple(words[:2]) in _MULTIWORD_TYPES:
        return _MULTIWORD_TYPES[(words[0], words[1])], words[2:]
    if len(words) >= 2 and words[0] in SETTLEMENT_TYPES:
        return SETTLEMENT_TYPES[words[0]], words[1:]
    if len(words) >= 2 and words[-1] in SETTLEMENT_TYPES and words[-1] not in {"с", "п", "д", "г"}:
        return SETTLEMENT_TYPES[words[-1]], words[:-1]  # «Иглино село»
    return None, words


def place_text_parse(text: str) -> PlaceText:
    """Split «д. Ленинское (Кальтовский с/с), Иглинский р-н» into settlement, сельсовет and district."""
    expanded = text.lower().replace("ё", "е")
    for pattern, replacement in _ABBREVIATIONS:
        expanded = pattern.sub(replacement, expanded)
    segments = [fold(part) for part in re.split(r"[,;()\[\]\n]+", expanded)]
    names: list[str] = []
    settlement_type: str | None = None
    rural_name = district_name = None
    for segment in segments:
        kept = [word for word in segment.split() if word not in NOISE_WORDS]
        if _is_house_number(kept):  # «д. 5», «д. 5а», «д. 5/1»
            continue
        words = [word for word in kept if not word.isdigit()]
        if not words or words[0] in STREET_WORDS:
            continue
        if words[0] == "зато" and len(words) > 1:  # «ЗАТО Межгорье»: the town itself
            words = words[1:]
        words, rural_core, district_core = _split_markers(words)
        rural_name = rural_core or rural_name
        district_name = district_core or district_name
        kept = [word for word in kept if word in words or word.isdigit()]
        if not words:
            continue
        kind, rest = _split_type(words)
        with_numbers = _split_type(kept)[1]
        if with_numbers != rest:  # «1-е Тукатово», «Алкино-2» first; «Иглино 452410» falls back to «иглино»
            names.append(" ".join(with_numbers))
        if rest:
            names.append(" ".join(rest))
            settlement_type = settlement_type or kind
    return PlaceText(tuple(names), settlement_type, rural_name, district_name)
