"""Russian words by their dictionary form (lemma), read with pymorphy3 (OpenCorpora's dictionary):
«волонтёры», «волонтеров» and «Волонтёр» are one word to every rule that compares words."""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[a-zа-я0-9]+")


@functools.cache
def _analyser() -> object:
    import pymorphy3  # loading the dictionary takes a fifth of a second: only when first needed

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of one folded word (lower case, ё→е); Latin words and numbers as they are."""
    if len(word) <= 3 or not ("а" <= word[0] <= "я"):
        return word  # «тел», «фио», «нко»: abbreviations, not words to be read («тел» is no «тело»)
    parsed = _analyser().parse(word)  # type: ignore[attr-defined]
    return parsed[0].normal_form.replace("ё", "е") if parsed else word


def lemmas(text: str) -> tuple[str, ...]:
    """The lemmas of a text's words, in order: «Сколько человек в сообществе?» → (сколько, человек, в, сообщество)."""
    return tuple(lemma(word) for word in _WORD.findall(text.lower().replace("ё", "е")))


def inflect_locative(phrase: str) -> str:
    """«Благоварский район» → «Благоварском районе», for «найдено в …»; words it cannot inflect stay."""
    words = []
    for word in phrase.split():
        parsed = _analyser().parse(word)  # type: ignore[attr-defined]
        form = parsed[0].inflect({"loct"}) if parsed and word.isalpha() else None
        text = form.word if form is not None else word
        words.append(text[:1].upper() + text[1:] if word[:1].isupper() else text)
    return " ".join(words)
