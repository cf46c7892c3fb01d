"""Which sphere a free-text word means: «волонтёрство», «Волонтеры», «соц. поддержка», «благоустр.».

The one rule for every surface that reads a sphere from text (fair sheets, the QR form). Spellings
are the managed list's names, codes and `Sphere.synonyms` (coordinators extend them), compared by
their words' lemmas (pymorphy3), then by a shared word start: «волонтёрство» and «волонтёр»,
«предпринимательство» and «предприниматель», «соц.» and «социальная»."""

from __future__ import annotations

from registry.lemmas import lemmas
from registry.models import Sphere

WORD_START = 5  # «волон», «предп»: fewer letters say too little
_NOT_DISTINCT = frozenset(
    {"и", "в", "на", "по", "для", "с", "о", "об", "сообщество", "деятельность", "направление"}
)


def _key(text: str) -> tuple[str, ...]:
    return tuple(word for word in lemmas(text) if word not in _NOT_DISTINCT)


class SphereReader:
    """The active spheres' spellings, read once per import."""

    def __init__(self) -> None:
        self.exact: dict[tuple[str, ...], Sphere] = {}
        self.words: dict[str, Sphere] = {}  # a one-word spelling's lemma
        for sphere in Sphere.objects.filter(is_active=True).order_by("position", "pk"):
            for spelling in (sphere.name, sphere.name_en, sphere.code, *sphere.synonyms):
                key = _key(spelling or "")
                if not key:
                    continue
                self.exact.setdefault(key, sphere)
                if len(key) == 1:
                    self.words.setdefault(key[0], sphere)

    def read(self, text: str) -> Sphere | None:
        key = _key(text)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        # a longer spelling inside the text («совет ветеранов» in «совет ветеранов района»)
        inside = [
            (len(spelling), sphere)
            for spelling, sphere in self.exact.items()
            if len(spelling) > 1 and _contains(key, spelling)
        ]
        if inside:
            return max(inside, key=lambda item: item[0])[1]
        for word in key:  # the first word that names a sphere decides: «патриотическое воспитание»
            if word in self.words:
                return self.words[word]
        for word in key:
            found = self._by_start(word)
            if found is not None:
                return found
        return None

    def _by_start(self, word: str) -> Sphere | None:
        """«волонтерство» ~ «волонтер», «соц» (an abbreviation) ~ «социальный»: the longest start shared."""
        best: tuple[int, Sphere] | None = None
        for spelling, sphere in self.words.items():
            shared = 0
            for first, second in zip(word, spelling, strict=False):
                if first != second:
                    break
                shared += 1
            is_abbreviation = shared == len(word) >= 3 and len(spelling) > len(word)
            if (shared >= WORD_START or is_abbreviation) and (best is None or shared > best[0]):
                best = (shared, sphere)
        return best[1] if best else None


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    size = len(part)
    return any(words[index : index + size] == part for index in range(len(words) - size + 1))
