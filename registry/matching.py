"""Community names folded for matching, shared by the registry's duplicate warnings and the fair import.

«ТОС "Рассвет"», «тос Рассвет» and «Территориальное общественное самоуправление Рассвет» fold to the
same core, «рассвет»; the legal-form words are kept apart as a weak signal, never part of the core."""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz, process

from geo.text import fold

# The managed list of abbreviations people write for the full words and the other way round:
# «ДК» and «Дом культуры», «СОШ» and «средняя общеобразовательная школа». Both fold to the
# abbreviation; the phrase matches in any case ending («Дома культуры», «сельского дома культуры»).
ABBREVIATIONS: dict[str, str] = {
    "территориальное общественное самоуправление": "тос",
    "автономная некоммерческая организация": "ано",
    "региональная общественная организация": "роо",
    "местная общественная организация": "моо",
    "общественная организация": "оо",
    "некоммерческая организация": "нко",
    "некоммерческое партнерство": "нп",
    "муниципальное бюджетное общеобразовательное учреждение": "мбоу",
    "муниципальное автономное общеобразовательное учреждение": "маоу",
    "муниципальное бюджетное учреждение культуры": "мбук",
    "муниципальное бюджетное учреждение": "мбу",
    "муниципальное автономное учреждение": "мау",
    "муниципальное казенное учреждение": "мку",
    "благотворительный фонд": "бф",
    "общественное движение": "од",
    "инициативная группа": "иг",
    "сельский дом культуры": "сдк",
    "районный дом культуры": "рдк",
    "городской дом культуры": "гдк",
    "дом культуры": "дк",
    "сельский клуб": "ск",
    "спортивный клуб": "ск",
    "футбольный клуб": "фк",
    "военно патриотический клуб": "впк",
    "средняя общеобразовательная школа": "сош",
    "основная общеобразовательная школа": "оош",
    "детско юношеская спортивная школа": "дюсш",
    "детская школа искусств": "дши",
    "всероссийское общество инвалидов": "вои",
    "всероссийское общество слепых": "вос",
    "крестьянское фермерское хозяйство": "кфх",
    "региональное отделение": "ро",
    "местное отделение": "мо",
    "первичная организация": "по",
    "союз пенсионеров россии": "спр",
    "добровольная пожарная дружина": "дпд",
    "добровольная народная дружина": "днд",
    "центр детского творчества": "цдт",
    "дом детского творчества": "ддт",
    "сельская библиотека": "сб",
    "молодежный совет": "молодежный совет",
}
LEGAL_FORMS = ABBREVIATIONS  # the older name, kept for callers
# Generic type words: what kind of group, not which one. They stay out of the core and count only
# as a weak signal («Клуб Рассвет» and «ТОС Рассвет» are a person's call).
FORM_WORDS = frozenset(
    set(ABBREVIATIONS.values())
    | {
        "клуб",
        "совет",
        "объединение",
        "сообщество",
        "движение",
        "фонд",
        "ассоциация",
        "союз",
        "центр",
        "группа",
        "кружок",
        "студия",
        "ансамбль",
        "коллектив",
        "команда",
        "отделение",
        "организация",
        "общество",
    }
)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Each word of the phrase in any case ending: «дом культуры» matches «дома культуры»."""
    words = [
        re.escape(word[:-2]) + r"\w{0,4}" if len(word) > 4 else re.escape(word) for word in phrase.split()
    ]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


_FORM_PHRASES = [
    (_phrase_pattern(phrase), abbreviation)
    for phrase, abbreviation in sorted(ABBREVIATIONS.items(), key=lambda item: -len(item[0]))
]
# A place written inside a name («ТОС Рассвет с. Иглино», «Совет ветеранов Иглинского района»):
# where the community is, which the import reads from the place column, not part of its name.
_PLACE_IN_NAME = re.compile(
    r"(?<!\w)(?:с|д|г|п|пос|дер|рп|пгт|х)\.\s*[А-ЯЁ][\w-]*(?:\s+[А-ЯЁ][\w-]*)?"
    r"|(?<!\w)(?:село|деревня|деревни|села|город|поселок|посёлок)\s+[А-ЯЁ][\w-]*"
    r"|(?<!\w)[А-ЯЁ]\w+(?:ого|ый|ий|ой)\s+(?:района|район|р-на|р-н|муниципального района)(?!\w)"
)


def name_without_place(name: str) -> str:
    stripped = " ".join(_PLACE_IN_NAME.sub(" ", name).split())
    return stripped or name


# the words of a sheet's names and villages repeat row after row; each is folded once
_word_fold = functools.lru_cache(maxsize=65536)(fold)


def name_without_settlement(name: str, settlement: str) -> str:
    """«Совет старейшин Улу-Теляка» in Улу-Теляк → «Совет старейшин»: the village a row names in its
    place column, written again inside the name in any case ending, is not part of the name."""
    village = {word[:STEM_LENGTH] for word in _word_fold(settlement).split() if len(word) >= 3}
    if not village:
        return name
    kept = [
        word
        for word, folded in ((word, _word_fold(word)) for word in name.split())
        if not (folded and all(part[:STEM_LENGTH] in village for part in folded.split()))
    ]
    rest = " ".join(kept)
    return rest if _has_core(rest) else name


def _has_core(name: str) -> bool:
    words = fold(name).split()
    return any(word not in FORM_WORDS for word in words)


@functools.lru_cache(maxsize=65536)  # an import folds the same registry names row after row
def name_fold(name: str) -> tuple[str, frozenset[str]]:
    """(core, type words): the core is what two names of one community share."""
    folded = fold(name_without_place(name))
    for pattern, abbreviation in _FORM_PHRASES:
        folded = pattern.sub(abbreviation, folded)
    words = folded.split()
    forms = frozenset(word for word in words if word in FORM_WORDS)
    core = " ".join(word for word in words if word not in FORM_WORDS)
    return (core or folded), forms


def name_core(name: str) -> str:
    return name_fold(name)[0]


STEM_LENGTH = 5


def name_stems(core: str) -> str:
    """Crude Russian stemming: «шахматный»/«шахмат», «Рассвет»/«Рассвета» share their first letters."""
    return " ".join(word[:STEM_LENGTH] for word in core.split())


_NUMBER = re.compile(r"\d+")
# Names that differ in their numbers name different groups: «ТОС №5» and «ТОС №6» of one town,
# «Совет ветеранов» and «Совет ветеранов 2». Their score drops below review (a shared phone or
# e-mail still brings the pair to a person).
NUMBERS_DIFFER = 0.7


@functools.lru_cache(maxsize=65536)
def name_numbers(core: str) -> tuple[str, ...]:
    """The numbers written in a name, leading zeros aside, in order: a key two duplicates share."""
    return tuple(sorted(number.lstrip("0") or "0" for number in _NUMBER.findall(core)))


# What name_similarity compares, as rapidfuzz scores of the stems (0..100); see name_could_reach.
WHOLE_SCORER = fuzz.token_sort_ratio
CONTAINED_SCORER = fuzz.token_set_ratio
CONTAINED_WEIGHT = 0.8


# A name contained in the other that shares its distinctive proper name, the one in quotes
# («Ансамбль «Ляйсан»» and «Фольклорный ансамбль «Ляйсан»»; «Бодрость» and «Клуб скандинавской
# ходьбы «Бодрость»»): the generic words around it count less than the name itself.
PROPER_SCORE = 0.92
PROPER_CONTAINED_LEAST = 70.0
_QUOTED = re.compile(r"[«\"“„'‘]([^«»\"“”„'‘’]{2,})[»\"”“'’]")


def name_could_reach(score: float) -> tuple[float, float]:
    """The least whole-name and contained-name scores (0..100) with which two names can reach
    `score` in name_similarity: a prefilter that never drops a pair reaching it (legal forms only
    lower a score). A hair of slack covers scores rounded to three decimals."""
    slack = 0.1
    contained = 100 * score / CONTAINED_WEIGHT
    if score <= PROPER_SCORE:
        contained = min(contained, PROPER_CONTAINED_LEAST)
    return 100 * score - slack, contained - slack


@functools.lru_cache(maxsize=65536)
def name_proper(name: str) -> str:
    """The stems of the name in quotes («Ляйсан» → «ляйса»), or "" when the name quotes none."""
    found = _QUOTED.search(name)
    return name_stems(name_fold(found.group(1))[0]) if found else ""


def _shares_proper(first: str, second: str, first_stems: str, second_stems: str) -> bool:
    """Both quote the same name, or one quotes a name the other (quoting none) contains; two
    different quoted names («Рассвет», «Рассвет над Уфой») are two groups."""
    first_proper, second_proper = name_proper(first), name_proper(second)
    if first_proper and second_proper:
        return first_proper == second_proper
    for proper, other in ((first_proper, second_stems), (second_proper, first_stems)):
        if proper and set(proper.split()) <= set(other.split()):
            return True
    return False


def stems_could_reach(stems: str, choices: list[str], least: float) -> set[int]:
    """The positions of the choices (name stems) whose names can score `least` or more against these
    stems in name_similarity: rapidfuzz's C loop over a whole list, to spare name_similarity every
    pair that cannot reach it."""
    whole, contained = name_could_reach(least)
    found: set[int] = set()
    for scorer, cutoff in ((WHOLE_SCORER, whole), (CONTAINED_SCORER, contained)):
        if cutoff > 100:  # a contained name scores at most CONTAINED_WEIGHT
            continue
        for _choice, _score, position in process.extract(
            stems, choices, scorer=scorer, score_cutoff=cutoff, limit=None
        ):
            found.add(position)
    return found


@functools.lru_cache(maxsize=65536)  # a sheet compares its repeated names with the same few again
def name_similarity(first: str, second: str) -> float:
    """0..1: how alike two community names are once folded (word order and legal forms aside).

    Whole names compared word for word decide high scores; a name contained in the other
    («Шахматный клуб Ладья» in «Клуб любителей шахмат Ладья») scores at most 0.8: worth a
    person's look, never an automatic merge — unless the two share the distinctive name in quotes
    (PROPER_SCORE)."""
    first_core, first_forms = name_fold(first)
    second_core, second_forms = name_fold(second)
    first_stems, second_stems = name_stems(first_core), name_stems(second_core)
    whole = WHOLE_SCORER(first_stems, second_stems) / 100
    contained = CONTAINED_WEIGHT * CONTAINED_SCORER(first_stems, second_stems) / 100
    score = max(whole, contained)
    if (
        score < PROPER_SCORE
        and CONTAINED_SCORER(first_stems, second_stems) >= PROPER_CONTAINED_LEAST
        and _shares_proper(first, second, first_stems, second_stems)
    ):
        score = PROPER_SCORE
    if first_forms and second_forms and first_forms.isdisjoint(second_forms):
        score *= 0.85  # «Клуб Рассвет» and «ТОС Рассвет» may well be different groups: a person decides
    if name_numbers(first_core) != name_numbers(second_core):
        score *= NUMBERS_DIFFER
    return score
