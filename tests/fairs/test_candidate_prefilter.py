"""CandidateFinder's name prefilter never drops a community that name_similarity would score at or
above the review threshold: checked on every pair of names in the labelled sheet and its registry."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings

from fairs.selectors import _NamePool
from registry.matching import name_core, name_similarity, name_stems

DATA = Path(__file__).resolve().parents[1] / "data" / "signups"


def _names() -> list[str]:
    with (DATA / "signups.csv").open(encoding="utf-8-sig") as sheet:
        rows = list(csv.reader(sheet, delimiter=";"))[1:]
    registry = json.loads((DATA / "registry.json").read_text(encoding="utf-8"))
    return sorted({row[0] for row in rows if row and row[0].strip()} | {item["name"] for item in registry})


NAMES = _names()


@pytest.mark.parametrize("least", [settings.FAIRS_MATCH_REVIEW, settings.FAIRS_MATCH_AUTO])
def test_the_prefilter_keeps_every_pair_that_reaches_the_threshold(least: float) -> None:
    pool = _NamePool((name_core(name), [number]) for number, name in enumerate(NAMES))
    reaching = dropped = 0
    for name in NAMES:
        kept = pool.similar(name_stems(name_core(name)), least=least)
        for number, other in enumerate(NAMES):
            if round(name_similarity(name, other), 3) >= least:
                reaching += 1
                dropped += number not in kept
    assert reaching > len(NAMES)  # more pairs than each name with itself: the check means something
    assert dropped == 0


def test_the_prefilter_drops_names_that_cannot_reach_the_threshold() -> None:
    pool = _NamePool([(name_core("Совет ветеранов села"), [1]), (name_core("Клуб «Ладья»"), [2])])

    assert pool.similar(name_stems(name_core("Шахматный клуб «Ладья»")), least=0.75) == {2}
    assert pool.similar(name_stems(name_core("Хор «Рябинушка»")), least=0.75) == set()
