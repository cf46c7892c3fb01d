"""Which field a column header names: «ФИО руководителя», «Кол-во участников», «Эл. адрес»,
«Как называется ваше сообщество?», «Сообщество (населённый пункт)».

Headers are compared by their words' lemmas (pymorphy3), so a question, a plural or a case ending
names the same field; a header that names nothing that way is compared with the known headers by
fuzzy ratio (typos). A header with two fields apart («Руководитель, телефон») names a combined column."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process

from registry.lemmas import lemmas

# The fields a sheet can fill, with their names for people (the mapping form, the report).
FIELD_LABELS = {
    "name": _("Название сообщества"),
    "sphere": _("Сфера"),
    "activity": _("Чем занимается"),
    "municipality": _("Муниципалитет"),
    "place": _("Населённый пункт"),
    "leader": _("ФИО лидера"),
    "position": _("Должность лидера"),
    "phone": _("Телефон"),
    "email": _("Эл. почта"),
    "members": _("Численность"),
    "founded": _("Год создания"),
    "consent": _("Согласие на обработку данных"),
    "comment": _("Комментарий"),
}
SKIP = "skip"  # «не импортировать»: kept in each row's raw values only
# Known columns that carry nothing to import: a row number, an online form's timestamp.
IGNORED = "ignored"

# Per field, sets of lemmas any of which names it, in priority order: «Телефон руководителя» is a
# phone (phone before leader), «Согласие на обработку ПД» a consent, «Эл. адрес» an e-mail.
RULES: tuple[tuple[str, tuple[frozenset[str], ...]], ...] = tuple(
    (field, tuple(frozenset(words.split()) for words in spellings))
    for field, spellings in (
        (IGNORED, ("отметка время", "timestamp", "дата время", "время заполнение", "дата заполнение",
                   "время создание", "номер п", "порядковый номер")),
        ("consent", ("согласие", "согласный", "согласиться", "consent", "пдн", "обработка пд",
                     "обработка данные", "персональный данные")),
        ("email", ("email", "e mail", "mail", "почта", "эл адрес", "электронный адрес", "электронный")),
        ("phone", ("телефон", "тел", "phone", "моб", "мобильный", "сотовый", "whatsapp", "номер телефон",
                   "контактный номер")),
        ("members", ("численность", "кол участник", "количество", "число участник", "сколько",
                     "members", "кол", "участник", "человек")),
        ("founded", ("год", "founded", "создать", "основать", "создание", "основание")),
        ("sphere", ("сфера", "направление", "sphere", "направленность", "тематика", "профиль",
                    "вид деятельность", "тип сообщество")),
        ("activity", ("заниматься", "деятельность", "описание", "чем", "activity")),
        ("municipality", ("район", "муниципальный", "муниципалитет", "мо", "municipality",
                          "городской округ", "муниципальный образование")),
        ("place", ("населить пункт", "населенный", "нас пункт", "пункт", "адрес", "село", "деревня",
                   "место", "settlement", "address", "поселение", "местоположение", "откуда", "где",
                   "территория", "локация", "нп")),
        ("position", ("должность", "position", "статус")),
        ("leader", ("фио", "руководитель", "лидер", "контактный лицо", "председатель", "ответственный",
                    "представитель", "имя", "leader", "куратор", "координатор", "фамилия", "контакт")),
        ("name", ("название", "наименование", "сообщество", "называться", "name", "объединение",
                  "организация", "коллектив", "клуб")),
        ("comment", ("комментарий", "примечание", "comment", "дополнительно", "другое", "пожелание")),
    )
)  # fmt: skip
# Whole headers for the fuzzy fallback (typos: «Назание», «Телфон»).
KNOWN_HEADERS = {
    "название сообщества": "name", "название": "name", "наименование": "name",
    "населенный пункт": "place", "руководитель": "leader", "телефон": "phone",
    "электронная почта": "email", "численность": "members", "количество участников": "members",
    "год создания": "founded", "сфера деятельности": "sphere", "направление": "sphere",
    "согласие": "consent", "комментарий": "comment", "примечание": "comment",
}  # fmt: skip
FUZZY_LEAST = 85
_NUMBER_HEADERS = frozenset({"№", "n", "#", "no", "№п/п", "№ п/п", "п/п", "пп", "номер", "№№"})
# What separates two fields in one header: «Сообщество (населённый пункт)», «Руководитель, телефон».
_SEPARATORS = re.compile(r"[,;/(\[]|\s\+\s|\sи\s")
# Fields that a combined cell can be split into (see fairs.intake.combined).
SPLITTABLE = frozenset({"name", "place", "leader", "phone", "email", "position"})


@dataclass(frozen=True)
class HeaderMeaning:
    fields: tuple[str, ...]  # () = names nothing; one field; two or more = a combined column
    how: str  # "header" (by its words), "fuzzy" (a typo of a known header), "" (nothing)


def _segment_field(text: str) -> str | None:
    words = frozenset(lemmas(text))
    if not words:
        return None
    for field, spellings in RULES:
        if any(spelling <= words for spelling in spellings):
            return field
    return None


@functools.lru_cache(maxsize=4096)
def header_meaning(header: str) -> HeaderMeaning:
    text = " ".join(str(header or "").split())
    if not text:
        return HeaderMeaning((), "")
    if text.lower().replace(" ", "").rstrip(".") in _NUMBER_HEADERS or text.lower() in _NUMBER_HEADERS:
        return HeaderMeaning((IGNORED,), "header")
    whole = _segment_field(text)
    segments = [segment for segment in _SEPARATORS.split(text) if segment.strip()]
    if len(segments) > 1:
        fields: list[str] = []
        for segment in segments:
            field = _segment_field(segment)
            if field is not None and field not in fields:
                fields.append(field)
        if len(fields) > 1 and set(fields) <= SPLITTABLE:
            return HeaderMeaning(tuple(fields), "header")
        if fields:
            whole = fields[0]  # «Населённый пункт, район»: the first thing named is the column
    if whole is not None:
        return HeaderMeaning((whole,), "header")
    folded = " ".join(re.sub(r"[^\w]+", " ", text.lower().replace("ё", "е")).split())
    found = process.extractOne(folded, list(KNOWN_HEADERS), scorer=fuzz.ratio, score_cutoff=FUZZY_LEAST)
    if found is not None:
        return HeaderMeaning((KNOWN_HEADERS[found[0]],), "fuzzy")
    return HeaderMeaning((), "")
