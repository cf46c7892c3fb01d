"""CandidateFinder's name prefilter never drops a community that name_similarity would score at or
above the review threshold: checked on every pair of names in the labelled sheet and its registry."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings

from fairs.models import Signup
from fairs.selectors.candidates import _NamePool
from fairs.services.imports import PipelineRow, SeenRows
from registry.matching import name_core, name_similarity

DATA = Path(__file__).resolve().parents[1] / "data" / "signups"


def _names() -> list[str]:
    with (DATA / "signups.csv").open(encoding="utf-8-sig") as sheet:
        rows = list(csv.reader(sheet, delimiter=";"))[1:]
    registry = json.loads((DATA / "registry.json").read_text(encoding="utf-8"))
    numbered = {"ТОС №5", "ТОС № 5", "ТОС №6", "Совет ветеранов 2", "Клуб «Встреча 12»", "клуб встреча 012"}
    return sorted(
        {row[0] for row in rows if row and row[0].strip()} | {item["name"] for item in registry} | numbered
    )


NAMES = _names()


@pytest.mark.parametrize("least", [settings.FAIRS_MATCH_REVIEW, settings.FAIRS_MATCH_AUTO])
def test_the_prefilter_keeps_every_pair_that_reaches_the_threshold(least: float) -> None:
    pool = _NamePool((name_core(name), [number]) for number, name in enumerate(NAMES))
    reaching = dropped = 0
    for name in NAMES:
        kept = pool.similar(name_core(name), least=least)
        for number, other in enumerate(NAMES):
            if round(name_similarity(name, other), 3) >= least:
                reaching += 1
                dropped += number not in kept
    assert reaching > len(NAMES)  # more pairs than each name with itself: the check means something
    assert dropped == 0


def test_the_prefilter_drops_names_that_cannot_reach_the_threshold() -> None:
    pool = _NamePool([(name_core("Совет ветеранов села"), [1]), (name_core("Клуб «Ладья»"), [2])])

    assert pool.similar(name_core("Шахматный клуб «Ладья»"), least=0.75) == {2}
    assert pool.similar(name_core("Хор «Рябинушка»"), least=0.75) == set()


def test_names_with_other_numbers_are_not_candidates() -> None:
    pool = _NamePool([(name_core("ТОС №5"), [1]), (name_core("ТОС №6"), [2]), (name_core("ТОС"), [3])])

    assert pool.similar(name_core("ТОС № 5"), least=0.75) == {1}
    assert round(name_similarity("ТОС №5", "ТОС №6"), 3) < settings.FAIRS_MATCH_REVIEW
    assert name_similarity("Клуб «Встреча 12»", "клуб встреча 012") >= settings.FAIRS_MATCH_AUTO


def test_in_file_blocks_find_the_earliest_row_a_comparison_with_every_row_finds() -> None:
    """SeenRows compares a row only with the distinct names of its place's block; the answer is the
    one comparing it with every earlier row of the place would give."""
    seen = SeenRows()
    rows: list[PipelineRow] = []
    compared = 0
    for number, name in enumerate(NAMES + NAMES[::3]):  # every third name again, later
        signup = Signup(name=name, name_core=name_core(name), settlement_id=7, municipality_id=1)
        expected = next(
            (row for row in rows if name_similarity(name, row.signup.name) >= settings.FAIRS_MATCH_AUTO), None
        )
        found = seen.first_alike(signup, settings.FAIRS_MATCH_AUTO)
        assert (found and found.number) == (expected and expected.number), (
            name,
            expected and expected.signup.name,
        )
        compared += expected is not None
        row = PipelineRow(number + 2, {}, {}, signup)
        if found is None:  # only rows that are not duplicates join the file's seen rows
            seen.add(row)
            rows.append(row)
    assert compared >= len(NAMES[::3])


@pytest.mark.parametrize("least", [settings.FAIRS_MATCH_REVIEW, settings.FAIRS_MATCH_AUTO])
def test_a_pool_asked_again_after_names_were_added_answers_as_one_built_with_them(least: float) -> None:
    # A sheet asks a pool the same names again and again while its new communities join it: the
    # answers kept from before must take in what was added since (new names, new ids of a name).
    growing = _NamePool([])
    for number, name in enumerate(NAMES):
        growing.add(name_core(name), [number])
        if number % 7 == 0:
            growing.add(name_core(NAMES[number // 2]), [len(NAMES) + number])  # another community, same name
        for asked in NAMES[: number + 1 : 5]:
            growing.similar(name_core(asked), least=least)
    built = _NamePool([])
    for number, name in enumerate(NAMES):
        built.add(name_core(name), [number])
        if number % 7 == 0:
            built.add(name_core(NAMES[number // 2]), [len(NAMES) + number])

    for name in NAMES:
        assert growing.similar(name_core(name), least=least) == built.similar(name_core(name), least=least)
