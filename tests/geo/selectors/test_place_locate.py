"""place_locate: Russian place strings against the OKTMO gazetteer of Bashkortostan."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from pytest_django import DjangoAssertNumQueries

from geo.models import LocationPrecision, Municipality, Settlement
from geo.place_lookup import place_locate

pytestmark = pytest.mark.django_db

ABZELILOVSKY = "80601000"
BLAGOVESHCHENSKY = "80615000"
IGLINSKY = "80628000"
MELEUZOVSKY = "80641000"
UFIMSKY = "80652000"
UFA = "80701000"
IGLINO = "80628416101"  # с Иглино
BULATOVO_ABZELILOVSKY = "80601404111"  # д Булатово, Альмухаметовский сельсовет
VERKHNIE_KIGI = "80636415101"  # с Верхние Киги
YELKIBAEVO = "80701000211"  # д Елкибаево, written with е in OKTMO


def _municipality(oktmo: str) -> Municipality:
    return Municipality.objects.get(oktmo=oktmo)


def test_bulatovo_is_found_inside_abzelilovsky_district() -> None:
    match = place_locate("д. Булатово", municipality=_municipality(ABZELILOVSKY))

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.name == "Булатово"
    assert match.settlement.oktmo.startswith("80601")
    assert match.municipality is not None
    assert match.municipality.oktmo == ABZELILOVSKY


def test_bulatovo_without_a_district_is_ambiguous_between_two_districts() -> None:
    match = place_locate("д. Булатово")

    assert match.status == "ambiguous"
    assert match.settlement is None
    assert len(match.candidates) == 2
    assert {candidate.municipality.oktmo for candidate in match.candidates} == {
        ABZELILOVSKY,
        BLAGOVESHCHENSKY,
    }


@pytest.mark.parametrize("text", ["д. Булатово", "дер.Булатово", "ДЕР БУЛАТОВО", "деревня  Булатово"])
def test_ways_of_writing_derevnya_find_the_same_village(text: str) -> None:
    match = place_locate(text, municipality=_municipality(ABZELILOVSKY))

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.oktmo == BULATOVO_ABZELILOVSKY


@pytest.mark.parametrize("text", ["с.Иглино", "Иглино", "с. Иглино", "село Иглино"])
def test_ways_of_writing_iglino_find_the_selo_in_iglinsky_district(text: str) -> None:
    match = place_locate(text)

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.oktmo == IGLINO
    assert str(match.settlement) == "с. Иглино"
    assert match.municipality is not None
    assert match.municipality.oktmo == IGLINSKY


def test_ufa_is_found_at_its_own_point() -> None:
    match = place_locate("г Уфа")

    assert match.status == "found"
    assert match.municipality is not None
    assert match.municipality.oktmo == UFA
    assert match.settlement is not None
    assert match.settlement.type == "г"
    assert match.precision == LocationPrecision.SETTLEMENT
    assert match.settlement.point is not None
    assert match.point == match.settlement.point


def test_posyolok_vostochny_is_ambiguous_among_the_three_villages_of_that_name() -> None:
    # OKTMO has no «п Восточный»: the written type cannot narrow, so all three д Восточный stay.
    match = place_locate("пос. Восточный")

    assert match.status == "ambiguous"
    assert match.settlement is None
    assert len(match.candidates) == 3
    assert {(candidate.type, candidate.name) for candidate in match.candidates} == {("д", "Восточный")}


def test_posyolok_vostochny_is_found_within_meleuzovsky_district() -> None:
    match = place_locate("пос. Восточный", municipality=_municipality(MELEUZOVSKY))

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.name == "Восточный"
    assert match.settlement.municipality.oktmo == MELEUZOVSKY


def test_bare_name_kudeevsky_finds_the_selo_in_iglinsky_district() -> None:
    match = place_locate("Кудеевский")

    assert match.status == "found"
    assert match.settlement is not None
    assert str(match.settlement) == "с. Кудеевский"
    assert match.settlement.municipality.oktmo == IGLINSKY


def test_mikhaylovka_is_ambiguous_between_all_27_villages_of_that_name() -> None:
    match = place_locate("Михайловка")

    assert match.status == "ambiguous"
    assert match.settlement is None
    assert len(match.candidates) == 27
    assert set(match.candidates) == set(Settlement.objects.filter(name="Михайловка"))


@pytest.mark.parametrize("text", ["д. Ленинское (Кальтовский с/с)", "Кальтовский сельсовет, д. Ленинское"])
def test_selsovet_named_alongside_picks_the_village_inside_it(text: str) -> None:
    match = place_locate(text)

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.name == "Ленинское"
    assert match.rural_municipality is not None
    assert match.rural_municipality.name == "Кальтовский сельсовет"
    assert match.settlement.rural_municipality == match.rural_municipality


def test_leninskoe_in_iglinsky_without_a_selsovet_is_ambiguous() -> None:
    match = place_locate("д. Ленинское", municipality=_municipality(IGLINSKY))

    assert match.status == "ambiguous"
    assert match.settlement is None
    assert {str(candidate.rural_municipality) for candidate in match.candidates} == {
        "Балтийский сельсовет",
        "Кальтовский сельсовет",
    }


def test_selsovet_alone_gives_the_selsovet_at_municipality_precision() -> None:
    match = place_locate("Кальтовский с/с")

    assert match.status == "found"
    assert match.settlement is None
    assert match.rural_municipality is not None
    assert match.rural_municipality.name == "Кальтовский сельсовет"
    assert match.municipality is not None
    assert match.municipality.oktmo == IGLINSKY
    assert match.precision == LocationPrecision.MUNICIPALITY


def test_district_named_in_the_text_narrows_same_named_villages() -> None:
    match = place_locate("Михайловка, Уфимский район")

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.name == "Михайловка"
    assert match.settlement.municipality.oktmo == UFIMSKY


@pytest.mark.parametrize("text", ["Ёлкибаево", "Елкибаево", "д. ёлкибаево"])
def test_yo_and_ye_spellings_find_the_same_village(text: str) -> None:
    match = place_locate(text)

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.oktmo == YELKIBAEVO


def test_name_stored_with_yo_is_found_when_typed_with_ye() -> None:
    match = place_locate("Озерное")

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.name == "Озёрное"


@pytest.mark.parametrize("text", ["Верхние-Киги", "  верхние   киги ", "«Верхние Киги»", "ВЕРХНИЕ - КИГИ"])
def test_hyphens_quotes_and_extra_spaces_are_ignored(text: str) -> None:
    match = place_locate(text)

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.oktmo == VERKHNIE_KIGI


def test_settlement_without_its_own_point_gets_a_point_inside_its_municipality() -> None:
    match = place_locate("д. Ленинское (Кальтовский с/с)")

    assert match.settlement is not None
    assert match.settlement.point is None
    assert match.precision == LocationPrecision.MUNICIPALITY
    assert match.point is not None
    assert match.municipality is not None
    assert match.municipality.boundary is not None
    assert match.municipality.boundary.intersects(match.point)


def test_district_text_gives_municipality_precision_and_no_settlement() -> None:
    match = place_locate("Иглинский р-н")

    assert match.status == "found"
    assert match.settlement is None
    assert match.municipality is not None
    assert match.municipality.oktmo == IGLINSKY
    assert match.precision == LocationPrecision.MUNICIPALITY
    assert match.point is not None
    assert match.municipality.boundary is not None
    assert match.municipality.boundary.intersects(match.point)


def test_misspelt_name_is_not_found_and_suggests_the_real_one() -> None:
    match = place_locate("Булатава")

    assert match.status == "not_found"
    assert match.settlement is None
    assert match.point is None
    assert "д. Булатово (Абзелиловский район)" in match.suggestions
    assert "д. Булатово (Благовещенский район)" in match.suggestions


def test_coordinates_text_outside_the_swapped_reading_is_an_exact_point() -> None:
    # Swapped, 56.0 N 70.0 E is far outside every region: only one reading is possible.
    match = place_locate("52.7, 58.6")  # Сибай; swapped, 58.6 N 52.7 E is outside every loaded region

    assert match.status == "found"
    assert match.precision == LocationPrecision.EXACT
    assert match.settlement is None
    assert match.municipality is not None
    assert match.point == Point(58.6, 52.7, srid=4326)


def test_coordinates_that_fit_both_ways_are_asked_latitude_first() -> None:
    # 54.735 N 55.958 E is Ufa; 55.958 N 54.735 E is Калтасинский район: both in Bashkortostan.
    match = place_locate("54.735, 55.958")

    assert match.status == "ambiguous"
    assert match.point is None
    assert match.suggestions[0].startswith("Уфа")
    assert any("Калтасинский" in suggestion for suggestion in match.suggestions)


def test_bare_adjective_naming_a_village_and_a_district_is_a_question() -> None:
    match = place_locate("Уфимский")

    assert match.status == "ambiguous"
    assert match.settlement is None
    assert "Уфимский район" in match.suggestions


@pytest.mark.parametrize(
    ("text", "settlement_oktmo_prefix", "rural"),
    [
        ("Абзелиловский р-н д. Булатово", "80601", None),
        ("д.Булатово Абзелиловского района", "80601", None),
        ("с. Иглино Иглинского района", "80628", None),
        ("Кальтовский с/с д. Ленинское", "80628", "Кальтовский сельсовет"),
    ],
)
def test_district_or_selsovet_without_a_comma_or_in_genitive(
    text: str, settlement_oktmo_prefix: str, rural: str | None
) -> None:
    match = place_locate(text)

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.oktmo.startswith(settlement_oktmo_prefix)
    if rural:
        assert match.rural_municipality is not None
        assert match.rural_municipality.name == rural


def test_ambiguous_candidates_put_the_town_first() -> None:
    match = place_locate("Октябрьский")

    assert match.status == "ambiguous"
    assert str(match.candidates[0]) == "г. Октябрьский"


def test_the_town_of_a_closed_okrug_is_found() -> None:
    match = place_locate("ЗАТО Межгорье")

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.name == "Межгорье"


@pytest.mark.parametrize(
    "text",
    [
        "Республика Башкортостан, Иглинский район, с. Иглино, ул. Ленина, д. 5",
        "ул. Ленина, д. 5а, с. Иглино",
        "452410, с. Иглино, д. 12",
        "Иглино 452410",
    ],
)
def test_street_house_number_and_postcode_are_ignored(text: str) -> None:
    match = place_locate(text)

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.oktmo == IGLINO


@pytest.mark.parametrize(
    ("text", "oktmo"),
    [
        ("д. 1-е Тукатово", "80638463111"),
        ("2-е Тукатово", "80638463116"),
        ("д. 2-я Александровка", "80615425156"),
        ("с. Алкино-2", "80657446101"),
        ("им. 8 Марта", "80625404101"),
    ],
)
def test_names_with_numbers_are_found(text: str, oktmo: str) -> None:
    match = place_locate(text)

    assert match.status == "found"
    assert match.settlement is not None
    assert match.settlement.oktmo == oktmo


@pytest.mark.parametrize(
    "text",
    ["д. Булатово", "пос. Восточный", "Михайловка", "Ленинское", "Аскарово", "Октябрьский", "Чишмы"],
)
def test_ambiguous_text_never_chooses_a_settlement(text: str) -> None:
    match = place_locate(text)

    assert match.status == "ambiguous"
    assert len(match.candidates) >= 2
    assert len(set(match.candidates)) == len(match.candidates)
    assert match.settlement is None
    assert match.point is None
    assert match.precision is None


def test_ambiguous_candidates_carry_their_municipalities_without_extra_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(3):
        match = place_locate("Михайловка")
        places = [
            (candidate.municipality.name, str(candidate.rural_municipality)) for candidate in match.candidates
        ]

    assert len(places) == 27
