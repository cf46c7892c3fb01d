"""How well the sign-up import decides, scored against a messy sheet with ground truth.

The sheet, the registry it is imported into and the truth are committed in tests/data/signups/ (written by
make_signups.py there). Each of the three files (UTF-8 CSV, cp1251 CSV, XLSX) is imported into a fresh
registry and its report is scored:

* automatic-merge precision — of the rows the import merged on its own (matched, duplicate_in_file), the
  share merged into the right community or pointing at the right earlier row;
* duplicate recall — of the rows that are an existing community or an earlier row typed again, the share
  merged correctly or sent to review with the right community first among the candidates;
* review share — rows left for a person, of all data rows.

With no tolerance: no row is lost, every invalid row is invalid with an error naming its field, no row is
merged into the registry namesake it must stay apart from, and every name reads as in the UTF-8 file.

An earlier row is «right» when the truth makes it the same community (a community typed three times may
point at either earlier row). A new community's right community is the one its first row created.
``pytest -s`` prints the figures. The targets are what the import promises; when one is missed the
assertion lists every wrong row with what the truth expected and what the import did.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from fairs.models import Fair, Signup
from fairs.services.imports import signup_import
from geo.models import Municipality
from geo.place_lookup import PlaceMatch, place_locate
from registry.models import Consent, Sphere
from registry.services.community_creation import community_create
from registry.services.leaders import ConsentInput, leader_create, leadership_add

DATA = Path(__file__).resolve().parents[1] / "data" / "signups"
FILES = ("signups.csv", "signups_cp1251.csv", "signups.xlsx")
PRECISION_MIN = 0.98
RECALL_MIN = 0.95
REVIEW_MAX = 0.15
IGLINO, UFA = "80628000", "80701000"
PLACE_COLUMN = 2


def _json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


TRUTH: list[dict[str, Any]] = _json("truth.json")
REGISTRY: list[dict[str, Any]] = _json("registry.json")


@dataclass
class Score:
    precision: float
    recall: float
    review: float
    rows: int
    automatic: int
    reviewed: int
    problems: list[str] = field(default_factory=list)  # every wrong row, to read
    broken: list[str] = field(
        default_factory=list
    )  # promises with no tolerance: lost rows, invalid rows, look-alikes


SCORES: dict[str, Score] = {}


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_signups", DATA / "make_signups.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _csv_rows(name: str, encoding: str) -> list[list[str]]:
    text = (DATA / name).read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture(scope="module", autouse=True)
def _score_table() -> Iterator[None]:
    yield
    if SCORES:
        print(f"\n\nSign-up import accuracy (targets: precision ≥ {PRECISION_MIN}, recall ≥ {RECALL_MIN}, review ≤ {REVIEW_MAX})")  # fmt: skip
        print(f"{'file':<20}{'rows':>6}{'precision':>11}{'recall':>9}{'review':>9}{'problems':>10}")
        for name, score in SCORES.items():
            print(
                f"{name:<20}{score.rows:>6}{score.precision:>11.3f}{score.recall:>9.3f}"
                f"{score.review:>9.3f}{len(score.problems):>10}"
            )


def _registry_load(users: dict[str, User]) -> dict[str, int]:
    """registry.json into the database the way a team enters it: placed by settlement, leaders with consent."""
    spheres = {sphere.code: sphere for sphere in Sphere.objects.all()}
    municipalities = {oktmo: Municipality.objects.get(oktmo=oktmo) for oktmo in (IGLINO, UFA)}
    ids: dict[str, int] = {}
    for item in REGISTRY:
        user = users[item["oktmo"]]
        match = place_locate(item["settlement"], municipality=municipalities[item["oktmo"]])
        assert match.status == "found", item
        assert match.settlement is not None
        assert match.point is not None
        community = community_create(
            user=user,
            name=item["name"],
            sphere=spheres[item["sphere"]],
            location=match.point,
            settlement=match.settlement,
            location_precision=match.precision,
            members_count=item["members"],
            founded_year=item["founded"],
        )
        if item["leader"]:
            leader = leader_create(
                user=user,
                municipality=community.municipality,
                full_name=item["leader"]["name"],
                phone=item["leader"]["phone"],
                email=item["leader"]["email"],
                consents=[
                    ConsentInput(
                        scope=Consent.Scope.STORE_CONTACTS,
                        purpose="Связь с лидером сообщества по программе",
                        method=Consent.Method.TEAM_MEMBER,
                    )
                ],
            )
            leadership_add(user=user, leader=leader, community=community)
        ids[item["key"]] = community.pk
    return ids


def _entity(item: dict[str, Any]) -> tuple[str, object] | None:
    """Who a row is in the truth: a registry community, or a new one named by the row it first appears on."""
    if item["kind"] == "invalid":
        return None
    if item["registry_key"]:
        return ("registry", item["registry_key"])
    return ("new", item["duplicate_of_row"] or item["row"])


def _score(report: dict[str, Any], registry_ids: dict[str, int]) -> Score:
    truth = {item["row"]: item for item in TRUTH}
    results = {result["row"]: result for result in report["results"]}
    keys = {community_id: key for key, community_id in registry_ids.items()}
    problems: list[str] = []
    broken: list[str] = []

    def problem(row: int, what: str, *, tolerated: bool = True) -> None:
        item, result = truth[row], results[row]
        expected = f"{item['kind']} ({item['variant']})"
        if item["registry_key"]:
            expected += f" {item['registry_key']}={registry_ids[item['registry_key']]}"
        if item["duplicate_of_row"]:
            expected += f" duplicate of row {item['duplicate_of_row']}"
        candidates = [
            f"{keys.get(candidate['community'], candidate['community'])}:{candidate['score']}"
            for candidate in result["candidates"][:3]
        ]
        got = (
            f"{result['status']} community={result['community']} duplicate_of_row={result['duplicate_of_row']} "
            f"candidates={candidates} error fields={[error['field'] for error in result['errors']]}"
        )
        problems.append(f"row {row}: {what}; expected {expected}; got {got}")
        if not tolerated:
            broken.append(problems[-1])

    if len(report["results"]) != len(TRUTH) or set(results) != set(truth):
        broken.append(
            f"rows lost or added: {len(report['results'])} results for {len(TRUTH)} data rows, "
            f"missing {sorted(set(truth) - set(results))}, unexpected {sorted(set(results) - set(truth))}"
        )
        problems.append(broken[-1])
    # The community each new community's first row created, when it created one.
    created = {
        ("new", row): result["community"]
        for row, result in results.items()
        if result["status"] == "new" and truth.get(row, {}).get("kind") == "new"
    }

    def right_community(entity: tuple[str, object] | None) -> int | None:
        if entity is None:
            return None
        if entity[0] == "registry":
            return registry_ids[str(entity[1])]
        return created.get(entity)

    def merged_right(row: int) -> bool:
        result, entity = results[row], _entity(truth[row])
        if entity is None:
            return False
        if result["status"] == "matched":
            return result["community"] is not None and result["community"] == right_community(entity)
        if result["status"] == "duplicate_in_file":
            earlier = truth.get(result["duplicate_of_row"])
            return earlier is not None and _entity(earlier) == entity
        return False

    automatic = [row for row in results if results[row]["status"] in {"matched", "duplicate_in_file"}]
    wrong_merges = [row for row in automatic if row in truth and not merged_right(row)]
    for row in wrong_merges:
        problem(row, "wrong automatic merge")
    precision = (len(automatic) - len(wrong_merges)) / len(automatic) if automatic else 1.0

    repeated = [row for row, item in truth.items() if item["kind"] in {"existing", "duplicate"}]
    found = 0
    for row in repeated:
        result = results.get(row)
        if result is None:
            continue
        right = right_community(_entity(truth[row]))
        first_in_review = (
            result["status"] == "needs_review"
            and right is not None
            and bool(result["candidates"])
            and result["candidates"][0]["community"] == right
        )
        if merged_right(row) or first_in_review:
            found += 1
        elif row not in wrong_merges:
            problem(row, "existing community not recognised")
    recall = found / len(repeated) if repeated else 1.0

    reviewed = sum(1 for result in results.values() if result["status"] == "needs_review")
    review = reviewed / len(truth)

    for row, item in truth.items():
        result = results.get(row)
        if result is None:
            continue
        if item["kind"] == "invalid":
            fields = {error["field"] for error in result["errors"]}
            if result["status"] != "invalid" or not set(item["invalid_fields"]) <= fields:
                problem(
                    row, f"invalid row not reported with errors on {item['invalid_fields']}", tolerated=False
                )
        elif result["status"] == "invalid":
            problem(row, "valid row reported invalid")
        look_alike = item["look_alike_key"]
        if look_alike and result["community"] == registry_ids[look_alike]:
            problem(
                row, f"merged into the look-alike {look_alike}={registry_ids[look_alike]}", tolerated=False
            )
    return Score(precision, recall, review, len(truth), len(automatic), reviewed, problems, broken)


@pytest.mark.parametrize("file_name", FILES)
@pytest.mark.django_db
def test_import_scores_against_the_truth(
    file_name: str, iglino_team_member: User, ufa_team_member: User, iglino_fair: Fair
) -> None:
    registry_ids = _registry_load({IGLINO: iglino_team_member, UFA: ufa_team_member})

    report = signup_import(
        user=iglino_team_member, fair=iglino_fair, data=(DATA / file_name).read_bytes(), file_name=file_name
    ).as_json()

    score = _score(report, registry_ids)
    SCORES[file_name] = score
    print(
        f"\n{file_name}: precision {score.precision:.3f} ({score.automatic} automatic merges), "
        f"recall {score.recall:.3f}, review share {score.review:.3f} ({score.reviewed} rows)"
    )
    for line in score.problems:
        print(f"  {line}")
    # Every name came through the file's encoding intact: no cp1251 mojibake, nothing lost in the xlsx.
    names = {
        signup.row_number: signup.name for signup in Signup.objects.filter(source_import_id=report["import"])
    }
    written = {
        number: " ".join(cells[0].split())
        for number, cells in enumerate(_csv_rows("signups.csv", "utf-8-sig")[1:], start=2)
    }
    garbled = [
        f"row {row}: name {names.get(row)!r}, the UTF-8 file has {name!r}"
        for row, name in written.items()
        if names.get(row) != name
    ]
    listing = "\n".join(score.problems + garbled)
    assert score.precision >= PRECISION_MIN, f"precision {score.precision:.3f}\n{listing}"
    assert score.recall >= RECALL_MIN, f"recall {score.recall:.3f}\n{listing}"
    assert score.review <= REVIEW_MAX, f"review share {score.review:.3f}\n{listing}"
    assert not garbled, listing
    assert not score.broken, listing


@pytest.mark.django_db
def test_places_in_the_data_resolve_to_one_settlement() -> None:
    """The registry's settlements are unambiguous in their municipality, and every place in the sheet names
    the settlement the truth says, read as the import reads it (the fair's district, then the republic)."""
    municipalities = {oktmo: Municipality.objects.get(oktmo=oktmo) for oktmo in (IGLINO, UFA)}
    for item in REGISTRY:
        match = place_locate(item["settlement"], municipality=municipalities[item["oktmo"]])
        assert match.status == "found", item
        assert match.settlement is not None
        assert (match.settlement.name, match.settlement.municipality.oktmo) == (
            item["settlement"],
            item["oktmo"],
        )
    rows = _csv_rows("signups.csv", "utf-8-sig")
    looked_up: dict[str, PlaceMatch] = {}
    for item in TRUTH:
        place = rows[item["row"] - 1][PLACE_COLUMN].strip()
        if item["kind"] == "invalid" or not place:
            assert item["kind"] == "invalid" or item["settlement"] is None, item
            continue
        if place not in looked_up:
            match = place_locate(place, municipality=municipalities[IGLINO])
            looked_up[place] = match if match.status != "not_found" else place_locate(place)
        match = looked_up[place]
        assert match.status == "found", (item["row"], place, match.status)
        assert match.settlement is not None
        assert match.settlement.name == item["settlement"], (item["row"], place, match.settlement)
        assert match.settlement.municipality.oktmo == (UFA if item["settlement"] == "Уфа" else IGLINO)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [
            ["" if value is None else str(value) for value in values]
            for values in workbook.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


def test_generator_reproduces_the_committed_files() -> None:
    built = _generator().build()

    for name in ("registry.json", "truth.json", "signups.csv", "signups_cp1251.csv"):
        assert built[name] == (DATA / name).read_bytes(), f"{name} differs: re-run make_signups.py and commit"
    # Deflate output may differ between zlib builds: the workbook's cells, not its bytes.
    assert _xlsx_rows(built["signups.xlsx"]) == _xlsx_rows((DATA / "signups.xlsx").read_bytes())


def test_the_three_files_hold_the_same_rows() -> None:
    utf8 = _csv_rows("signups.csv", "utf-8-sig")

    assert _csv_rows("signups_cp1251.csv", "cp1251") == utf8
    assert _xlsx_rows((DATA / "signups.xlsx").read_bytes()) == utf8
    assert [item["row"] for item in TRUTH] == list(range(2, len(utf8) + 1))
