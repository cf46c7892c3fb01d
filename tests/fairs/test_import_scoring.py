"""The import scored against a labelled messy sheet (tests/data/fair_sheets, see generate.py there):
automatic-merge precision ≥ 0.98, duplicate recall (automatic, or in review with the right candidate
first) ≥ 0.95, share sent to review ≤ 15 %, every invalid row invalid and naming its field, no row lost
— for the UTF-8, cp1251 and xlsx copies of the same sheet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from fairs.models import Fair
from fairs.services.imports import signup_import
from geo.selectors import place_locate
from registry.matching import name_core
from registry.models import Community, Leader, Leadership
from tests.data.fair_sheets.generate import build
from tests.registry.factories import community, municipality, sphere

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data" / "fair_sheets"
FILES = ["sheet.csv", "sheet_cp1251.csv", "sheet.xlsx"]


@pytest.fixture
def registry() -> dict[str, Community]:
    iglino = municipality("80628000")
    made = {}
    for entry in json.loads((DATA / "registry.json").read_text(encoding="utf-8")):
        place = place_locate(str(entry["village"]), municipality=iglino)
        assert place.status == "found", entry
        made[str(entry["key"])] = community(
            name=entry["name"], name_normalized=name_core(str(entry["name"])), sphere=sphere(str(entry["sphere"])),
            municipality=iglino, settlement=place.settlement, location=place.point,
            location_precision=str(place.precision),
        )  # fmt: skip
        if entry["phone"]:
            leader = Leader.objects.create(
                full_name=entry["leader"] or "Лидер",
                name_normalized="",
                phone=entry["phone"],
                municipality=iglino,
            )
            Leadership.objects.create(leader=leader, community=made[str(entry["key"])])
    return made


def _truth() -> dict[int, dict[str, Any]]:
    return {
        int(entry["row"]): entry for entry in json.loads((DATA / "truth.json").read_text(encoding="utf-8"))
    }


def score(
    report: dict[str, Any], truth: dict[int, dict[str, Any]], registry: dict[str, Community]
) -> dict[str, Any]:
    """Each truth row names an entity: a registry community, or the first row of a new community.
    A merge is right when it joins a row to its own entity (a registry match, or an earlier row of
    the same entity); a repeat is found when merged rightly or sent to review with its entity first."""
    results = {int(result["row"]): result for result in report["results"]}
    key_of = {item.pk: key for key, item in registry.items()}

    def entity(row: int) -> str:
        entry = truth[row]
        if entry["kind"] == "existing":
            return f"registry:{entry['registry_key']}"
        return f"row:{entry.get('duplicate_of_row') or row}"

    merged = right = repeats = found = reviewed = 0
    wrong: list[str] = []
    seen: set[str] = set()
    for row in sorted(truth):
        entry, result = truth[row], results[row]
        status = result["status"]
        reviewed += status == "needs_review"
        if entry["kind"] == "invalid":
            continue
        mine = entity(row)
        if status == "matched":
            merged += 1
            ok = f"registry:{key_of.get(result['community'])}" == mine
        elif status == "duplicate_in_file":
            merged += 1
            ok = result["duplicate_of_row"] in truth and entity(result["duplicate_of_row"]) == mine
        else:
            ok = None
        if ok is not None:
            right += ok
            if not ok:
                wrong.append(
                    f"row {row}: {entry} wrongly {status} → {result['community']} / row {result['duplicate_of_row']}"
                )
        if mine.startswith("registry:") or mine in seen:  # something to find: in the registry or above
            repeats += 1
            first = int(result["candidates"][0]["community"]) if result["candidates"] else -1
            in_review = status == "needs_review" and (
                f"registry:{key_of.get(first)}" == mine
                or any(
                    entity(other) == mine and results[other]["community"] == first
                    for other in truth
                    if other < row
                )
            )
            if ok or in_review:
                found += 1
            else:
                wrong.append(f"row {row}: {entry} missed as {status} ({result['candidates'][:2]})")
        seen.add(mine)
        if entry.get("look_alike_of") and result["community"] == registry[entry["look_alike_of"]].pk:
            wrong.append(f"row {row}: look-alike merged into {entry['look_alike_of']}")
    return {
        "precision": right / merged if merged else 1.0,
        "recall": found / repeats if repeats else 1.0,
        "review_share": reviewed / len(truth),
        "wrong": wrong,
    }


@pytest.mark.parametrize("file_name", FILES)
def test_import_meets_the_accuracy_targets(
    file_name: str, iglino_team_member: User, iglino_fair: Fair, registry: dict[str, Community]
) -> None:
    truth = _truth()
    report = signup_import(
        user=iglino_team_member, fair=iglino_fair, data=(DATA / file_name).read_bytes(), file_name=file_name
    )
    figures = score(report, truth, registry)
    print(f"\n{file_name}: precision {figures['precision']:.3f}, recall {figures['recall']:.3f},"
          f" review share {figures['review_share']:.3f}", *figures["wrong"], sep="\n  ")  # fmt: skip

    assert report["rows"] == len(truth) == len(report["results"])  # no row lost
    assert sorted(result["row"] for result in report["results"]) == sorted(truth)
    results = {result["row"]: result for result in report["results"]}
    for row, entry in truth.items():
        if entry["kind"] == "invalid":
            assert results[row]["status"] == "invalid", (row, entry, results[row])
            assert entry["field"] in {error["field"] for error in results[row]["errors"]}, (row, results[row])
        else:
            assert results[row]["status"] != "invalid", (row, entry, results[row])
    assert figures["precision"] >= 0.98
    assert figures["recall"] >= 0.95
    assert figures["review_share"] <= 0.15


def test_the_three_copies_read_the_same_and_cp1251_has_no_mojibake() -> None:
    from fairs.reading import sheet_read

    sheets = [sheet_read(data=(DATA / name).read_bytes(), file_name=name) for name in FILES]
    names = [[row[1].get("name", "") for row in sheet.rows] for sheet in sheets]

    assert names[0] == names[1] == names[2]
    assert any("ё" in name or "«" in name for name in names[1])
    assert not any("Ð" in name or "Ã" in name for name in names[1])


def test_the_committed_files_are_what_the_generator_writes() -> None:
    registry, rows, truth = build()

    assert json.loads((DATA / "truth.json").read_text(encoding="utf-8")) == truth
    assert json.loads((DATA / "registry.json").read_text(encoding="utf-8")) == registry
    assert len(rows) == len(truth)
