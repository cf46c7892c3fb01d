"""geo.text: folding Russian place strings and splitting them into settlement, сельсовет and district."""

from __future__ import annotations

import pytest

from geo.text import PlaceText, fold, place_text_parse


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Кальтовский с/с", "кальтовский сельсовет"),
        ("Кальтовский С / С", "кальтовский сельсовет"),
        ("с/п Иглинский", "сельское поселение иглинский"),
        ("г/о г. Уфа", "городской округ г уфа"),
        ("Иглинский р-н", "иглинский район"),
        ("Иглинский р - н", "иглинский район"),
    ],
)
def test_fold_expands_slashed_and_hyphenated_abbreviations(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_leaves_abbreviation_letters_inside_words_alone() -> None:
    assert fold("Кс/сх") == "кс сх"
    assert fold("Бор-ный") == "бор ный"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ёлкибаево", "елкибаево"),
        ("Зелёный Клин", "зеленый клин"),
        ("ЁЛКИБАЕВО", "елкибаево"),
    ],
)
def test_fold_reads_yo_as_ye(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Верхние-Киги", "верхние киги"),
        ("  верхние   киги ", "верхние киги"),
        ("«Верхние Киги»", "верхние киги"),
        ('"Верхние—Киги"', "верхние киги"),
        ("  ДЕР.БУЛАТОВО  ", "дер булатово"),
        ("Булатово_2", "булатово 2"),
    ],
)
def test_fold_turns_hyphens_quotes_and_punctuation_into_single_spaces(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "settlement_type"),
    [
        ("д. Булатово", "д"),
        ("дер.Булатово", "д"),
        ("ДЕРЕВНЯ Булатово", "д"),
        ("с.Иглино", "с"),
        ("Иглино село", "с"),
        ("г. Уфа", "г"),
        ("город Уфа", "г"),
        ("пос. Восточный", "п"),
        ("посёлок Восточный", "п"),
        ("пгт Чишмы", "рп"),
        ("р.п. Чишмы", "рп"),
        ("рабочий посёлок Чишмы", "рп"),
        ("п. ст. Шакша", "п ст"),
        ("хутор Солёный", "х"),
    ],
)
def test_place_text_parse_reads_the_settlement_type_word(text: str, settlement_type: str) -> None:
    parsed = place_text_parse(text)

    assert parsed.settlement_type == settlement_type
    assert len(parsed.settlement_names) == 1
    assert parsed.settlement_names[0] not in {"д", "с", "г", "п", "рп", "х"}


def test_place_text_parse_without_a_type_word_keeps_the_whole_name() -> None:
    assert place_text_parse("Верхние-Киги") == PlaceText(("верхние киги",), None, None, None)


def test_place_text_parse_splits_settlement_selsovet_and_district() -> None:
    parsed = place_text_parse("д. Ленинское (Кальтовский с/с), Иглинский р-н")

    assert parsed == PlaceText(("ленинское",), "д", "кальтовский", "иглинский")


def test_place_text_parse_reads_a_selsovet_written_first() -> None:
    parsed = place_text_parse("Кальтовский сельсовет, д. Ленинское")

    assert parsed == PlaceText(("ленинское",), "д", "кальтовский", None)


@pytest.mark.parametrize(
    "text", ["Иглинский р-н", "Иглинский муниципальный район", "МР Иглинский район", "Иглинский район РБ"]
)
def test_place_text_parse_reads_a_district_without_a_settlement(text: str) -> None:
    assert place_text_parse(text) == PlaceText((), None, None, "иглинский")


def test_place_text_parse_reads_gorod_as_a_settlement_and_the_okrug_words_as_a_prefix() -> None:
    assert place_text_parse("город Уфа") == PlaceText(("уфа",), "г", None, None)
    # «городской округ город Уфа»: the okrug words precede no adjective; the town is what is named.
    assert place_text_parse("городской округ город Уфа") == PlaceText(("уфа",), "г", None, None)


def test_place_text_parse_takes_a_district_out_of_the_middle_of_a_segment() -> None:
    assert place_text_parse("Михайловка Уфимский р-н") == PlaceText(("михайловка",), None, None, "уфимский")
    assert place_text_parse("с. Иглино Иглинского района") == PlaceText(("иглино",), "с", None, "иглинский")


def test_place_text_parse_keeps_a_bare_adjective_as_a_settlement_name() -> None:
    # «Кудеевский» is both a village and a сельсовет: place_locate decides, the parser does not.
    assert place_text_parse("Кудеевский") == PlaceText(("кудеевский",), None, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "г. Уфа, ул. Ленина, д. 5",
        "г. Уфа, ул. Ленина, д. 5а",
        "г. Уфа, проспект Октября, д. 5/1",
        "Россия, Республика Башкортостан, г. Уфа",
        "450000, г. Уфа, ул. Ленина, 5",
        "мкр. Сипайлово, г. Уфа",
        "г. Уфа; пер. Лесной",
    ],
)
def test_place_text_parse_ignores_street_house_postcode_and_region_parts(text: str) -> None:
    assert place_text_parse(text).settlement_names == ("уфа",)


def test_place_text_parse_keeps_numbers_that_belong_to_the_name() -> None:
    # OKTMO names «1-е Тукатово», «Алкино-2», «им 8 Марта»: a house number «д. 5» is not one of them.
    assert place_text_parse("д. 1-е Тукатово").settlement_names[0] == "1 е тукатово"
    assert place_text_parse("д. 2-я Александровка").settlement_names[0] == "2 я александровка"
    assert place_text_parse("с. Алкино-2").settlement_names[0] == "алкино 2"


def test_place_text_parse_falls_back_to_the_name_without_a_trailing_postcode() -> None:
    assert place_text_parse("Иглино 452410").settlement_names == ("иглино 452410", "иглино")


def test_place_text_parse_reads_yo_quotes_and_hyphens_in_names() -> None:
    assert place_text_parse("д. «Ёлкибаево»").settlement_names == ("елкибаево",)
    assert place_text_parse("с. Верхние-Киги").settlement_names == ("верхние киги",)


def test_place_text_parse_of_empty_text_names_nothing() -> None:
    assert place_text_parse("  , ;  ") == PlaceText((), None, None, None)
