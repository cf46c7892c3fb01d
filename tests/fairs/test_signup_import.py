from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fairs.models import Fair, Signup, SignupImport
from fairs.services.imports import signup_import
from geo.errors import DomainError
from registry.models import Community, Leader
from registry.services.community_creation import community_create
from tests.registry.factories import IGLINO, sphere

HEADER = (
    "Название сообщества;Сфера;Населённый пункт;ФИО лидера;Телефон;E-mail;Численность;Год создания;Согласие\n"
)


def _import(
    user: User,
    fair: Fair,
    body: str,
    *,
    name: str = "sheet.csv",
    encoding: str = "utf-8",
    dry_run: bool = False,
) -> dict:
    data = (HEADER + body).encode(encoding)
    return signup_import(user=user, fair=fair, data=data, file_name=name, dry_run=dry_run).as_json()


def _by_row(report: dict) -> dict[int, dict]:
    return {result["row"]: result for result in report["results"]}


@pytest.mark.django_db
def test_report_has_the_documented_shape(iglino_team_member: User, iglino_fair: Fair) -> None:
    report = _import(iglino_team_member, iglino_fair, 'ТОС "Рассвет";ТОС;с. Иглино;;;;25;2019;\n')

    assert set(report) >= {
        "file",
        "sha256",
        "already_imported",
        "rows",
        "new",
        "matched",
        "duplicates_in_file",
        "needs_review",
        "invalid",
        "results",
    }
    assert set(report["results"][0]) == {
        "row",
        "signup",
        "status",
        "community",
        "duplicate_of_row",
        "candidates",
        "errors",
        "warnings",
        "reasons",
        "review_reasons",
    }
    assert report["rows"] == 1
    assert report["already_imported"] is False


@pytest.mark.django_db
def test_names_written_three_ways_in_one_file_make_one_proposed_community(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    report = _import(
        iglino_team_member,
        iglino_fair,
        'ТОС "Рассвет";ТОС;с. Иглино;;;;;;\n'
        "тос Рассвет;соседское;Иглино;;;;;;\n"
        "Территориальное общественное самоуправление Рассвет;благоустр.;с.Иглино;;;;;;\n",
    )

    rows = _by_row(report)
    assert rows[2]["status"] == "new"
    assert [rows[3]["status"], rows[4]["status"]] == ["duplicate_in_file", "duplicate_in_file"]
    assert rows[3]["duplicate_of_row"] == rows[4]["duplicate_of_row"] == 2
    assert rows[2]["community"] == rows[3]["community"] == rows[4]["community"]
    community = Community.objects.get()
    assert community.status == Community.Status.PROPOSED
    assert community.source == Community.Source.FAIR_SIGNUP
    assert community.source_object == Signup.objects.get(row_number=2)
    assert community.settlement is not None
    assert community.settlement.name == "Иглино"
    assert (report["new"], report["duplicates_in_file"]) == (1, 2)


@pytest.mark.django_db
def test_existing_registry_community_is_matched_not_duplicated(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    first = _import(iglino_team_member, iglino_fair, "ТОС «Рассвет»;ТОС;с. Иглино;;;;;;\n", name="a.csv")
    community_id = first["results"][0]["community"]

    report = _import(
        iglino_team_member,
        iglino_fair,
        "Территориальное общественное самоуправление «Рассвет»;ТОС;Иглино;;;;;;\n",
        name="b.csv",
    )

    assert report["results"][0]["status"] == "matched"
    assert report["results"][0]["community"] == community_id
    assert Community.objects.count() == 1


@pytest.mark.django_db
def test_same_name_in_another_village_is_another_community(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    report = _import(
        iglino_team_member,
        iglino_fair,
        "ТОС «Рассвет»;ТОС;с. Иглино;;;;;;\nТОС «Рассвет»;ТОС;д. Ленинское (Кальтовский с/с);;;;;;\n",
    )

    rows = _by_row(report)
    assert [rows[2]["status"], rows[3]["status"]] == ["new", "new"]
    assert rows[2]["community"] != rows[3]["community"]


@pytest.mark.django_db
def test_uncertain_match_goes_to_review_with_the_candidate_first(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    existing = community_create(
        user=iglino_team_member,
        name="Клуб любителей шахмат «Ладья»",
        sphere=sphere("interest"),
        location=IGLINO,
    )

    report = _import(iglino_team_member, iglino_fair, "Шахматный клуб Ладья;по интересам;;;;;;;\n")

    result = report["results"][0]
    assert result["status"] == "needs_review"
    assert result["candidates"][0]["community"] == existing.pk
    assert Community.objects.count() == 1


@pytest.mark.django_db
def test_invalid_row_is_kept_with_every_error_and_does_not_stop_the_file(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    report = _import(
        iglino_team_member,
        iglino_fair,
        "Волонтёры;волонтёры;Кудеевский;Петров;8-34-7;bad-email;-5;2999;\nТОС «Заря»;ТОС;Иглино;;;;;;\n",
    )

    rows = _by_row(report)
    assert rows[2]["status"] == "invalid"
    assert rows[3]["status"] == "new"
    messages = [error["message"] for error in rows[2]["errors"]]
    assert {error["field"] for error in rows[2]["errors"]} == {"phone", "email", "members", "founded"}
    assert any(
        message.startswith("Строка 2, столбец «Телефон»") and "«8-34-7»" in message for message in messages
    )
    assert Signup.objects.filter(status="invalid", row_number=2).exists()  # kept, never dropped


@pytest.mark.django_db
def test_unknown_place_without_a_municipality_column_is_an_error_with_suggestions(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    report = _import(iglino_team_member, iglino_fair, "Совет ветеранов;ветераны;Иглена;;;;;;\n")

    result = report["results"][0]
    assert result["status"] == "invalid"
    assert result["errors"][0]["field"] == "settlement"
    assert "Иглено" in result["errors"][0]["message"] or "Иглино" in result["errors"][0]["message"]


@pytest.mark.django_db
def test_unknown_sphere_is_a_warning_and_the_community_is_proposed_without_one(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    report = _import(iglino_team_member, iglino_fair, "Клуб «Звёздочка»;астрология;Иглино;;;;;;\n")

    result = report["results"][0]
    assert result["status"] == "new"  # the sphere is chosen when the community is verified
    assert any("астрология" in warning for warning in result["warnings"])
    signup = Signup.objects.get()
    assert signup.sphere_text == "астрология"
    assert signup.community is not None
    assert signup.community.sphere is None
    assert signup.community.status == Community.Status.PROPOSED


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("благоустр.", "territorial"),
        ("этнокультура", "culture"),
        ("семья и детство", "social"),
        ("ТОС", "territorial"),
        ("Волонтёрское", "volunteer"),
    ],
)
@pytest.mark.django_db
def test_free_text_spheres_map_to_the_managed_list(
    iglino_team_member: User, iglino_fair: Fair, text: str, code: str
) -> None:
    _import(iglino_team_member, iglino_fair, f"Сообщество «Проба»;{text};Иглино;;;;;;\n")

    assert Signup.objects.get().sphere.code == code  # type: ignore[union-attr]


@pytest.mark.django_db
def test_same_file_twice_creates_nothing(iglino_team_member: User, iglino_fair: Fair) -> None:
    body = "ТОС «Рассвет»;ТОС;Иглино;;;;;;\n"
    first = _import(iglino_team_member, iglino_fair, body)

    again = _import(iglino_team_member, iglino_fair, body)

    assert again["already_imported"] is True
    assert again["import"] == first["import"]
    assert (Signup.objects.count(), Community.objects.count(), SignupImport.objects.count()) == (1, 1, 1)


@pytest.mark.django_db
def test_changed_file_imports_only_new_rows(iglino_team_member: User, iglino_fair: Fair) -> None:
    _import(iglino_team_member, iglino_fair, "ТОС «Рассвет»;ТОС;Иглино;;;;;;\n")

    report = _import(
        iglino_team_member,
        iglino_fair,
        "ТОС «Рассвет»;ТОС;Иглино;;;;;;\nКлуб «Шахматы»;по интересам;Иглино;;;;;;\n",
    )

    rows = _by_row(report)
    assert "уже импортирована" in rows[2]["warnings"][0]
    assert rows[3]["status"] == "new"
    assert Signup.objects.count() == 2
    assert Community.objects.count() == 2


def test_rows_imported_before_cost_no_query_each(iglino_team_member: User, iglino_fair: Fair) -> None:
    # a changed file repeats its earlier rows: they are answered from one query, not one a row
    def queries_for_a_changed_file(earlier_rows: int) -> int:
        body = "".join(f"Клуб «Встреча {n}»;по интересам;Иглино;;;;;;\n" for n in range(earlier_rows))
        _import(iglino_team_member, iglino_fair, body, name=f"first-{earlier_rows}.csv")
        with CaptureQueriesContext(connection) as queries:
            report = _import(
                iglino_team_member, iglino_fair, body + "Хор «Рябинушка»;культура;Иглино;;;;;;\n"
            )
        assert (
            sum("уже импортирована" in " ".join(row["warnings"]) for row in report["results"]) == earlier_rows
        )
        Signup.objects.all().delete()
        SignupImport.objects.all().delete()
        return len(queries)

    queries_for_a_changed_file(1)  # what is looked up once per process (spheres, content types)
    assert queries_for_a_changed_file(3) == queries_for_a_changed_file(30)


@pytest.mark.django_db
def test_cp1251_and_utf8_files_give_the_same_result(iglino_team_member: User, iglino_fair: Fair) -> None:
    body = "ТОС «Рассвет»;ТОС;с. Иглино;Иванова Мария;;;;;\n"

    report = _import(iglino_team_member, iglino_fair, body, name="cp.csv", encoding="cp1251")

    assert report["results"][0]["status"] == "new"
    assert Community.objects.get().name == "ТОС «Рассвет»"


@pytest.mark.django_db
def test_leader_is_recorded_with_paper_consent_and_contacts_only_with_it(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    _import(
        iglino_team_member,
        iglino_fair,
        "ТОС «Рассвет»;ТОС;Иглино;Иванова Мария;8 (917) 345-67-89;;;;да\nТОС «Заря»;ТОС;Иглино;Петрова Анна;8 (917) 111-22-33;;;;\n",
    )

    with_consent = Leader.objects.get(full_name="Иванова Мария")
    without = Leader.objects.get(full_name="Петрова Анна")
    assert with_consent.phone == "+79173456789"
    consent = with_consent.consents.get()
    assert (consent.scope, consent.method, consent.collected_by) == (
        "store_contacts",
        "paper_fair",
        iglino_team_member,
    )
    assert without.phone == ""
    assert not without.consents.exists()


@pytest.mark.django_db
def test_formula_and_script_names_are_stored_as_text(iglino_team_member: User, iglino_fair: Fair) -> None:
    _import(
        iglino_team_member,
        iglino_fair,
        '=HYPERLINK("http://evil");ТОС;Иглино;;;;;;\n<script>alert(1)</script>;ТОС;Иглино;;;;;;\n',
    )

    assert set(Community.objects.values_list("name", flat=True)) == {
        '=HYPERLINK("http://evil")',
        "<script>alert(1)</script>",
    }


@pytest.mark.django_db
def test_a_thousand_copies_of_one_row_make_one_community(iglino_team_member: User, iglino_fair: Fair) -> None:
    report = _import(iglino_team_member, iglino_fair, "ТОС «Рассвет»;ТОС;Иглино;;;;;;\n" * 1000)

    assert report["rows"] == 1000
    assert Community.objects.count() == 1
    # Identical rows hash alike: the first is imported, the rest point at it.
    assert report["new"] == 1
    assert report["new"] + report["duplicates_in_file"] + report["matched"] == 1000


@pytest.mark.django_db
def test_dry_run_writes_nothing(iglino_team_member: User, iglino_fair: Fair) -> None:
    report = _import(iglino_team_member, iglino_fair, "ТОС «Рассвет»;ТОС;Иглино;;;;;;\n", dry_run=True)

    assert report["new"] == 1
    assert report["dry_run"] is True
    assert (Community.objects.count(), Signup.objects.count(), SignupImport.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_another_municipality_team_cannot_import(ufa_team_member: User, iglino_fair: Fair) -> None:
    with pytest.raises(PermissionDenied):
        _import(ufa_team_member, iglino_fair, "ТОС;ТОС;Иглино;;;;;;\n")
    assert not Signup.objects.exists()


@pytest.mark.django_db
def test_whole_file_error_writes_nothing(iglino_team_member: User, iglino_fair: Fair) -> None:
    with pytest.raises(DomainError, match="name_column_missing"):
        signup_import(
            user=iglino_team_member, fair=iglino_fair, data="Сфера\nТОС\n".encode(), file_name="x.csv"
        )
    assert not SignupImport.objects.exists()


@pytest.mark.django_db
def test_command_finds_or_creates_the_fair_and_writes_the_report(
    iglino_team_member: User, tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(HEADER + "ТОС «Рассвет»;ТОС;Иглино;;;;;;\n", encoding="utf-8")
    report_path = tmp_path / "report.json"
    out = io.StringIO()

    call_command(
        "import_signups", str(sheet), "--municipality", "80628000", "--date", "2026-06-01",
        "--user", iglino_team_member.username, "--report", str(report_path), stdout=out,
    )  # fmt: skip

    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["new"] == 1
    assert "new=1" in out.getvalue()
    assert Fair.objects.filter(municipality__oktmo="80628000", date="2026-06-01").count() == 1


@pytest.mark.django_db
def test_erasure_removes_the_leader_from_raw_sign_up_rows(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    from fairs.services.erasure import leader_erase
    from tests.registry.services.test_leaders import _tables_containing

    _import(
        iglino_team_member,
        iglino_fair,
        "ТОС «Рассвет»;ТОС;Иглино;Гарипова Алсу;8 (917) 345-67-89;alsu@example.org;;;да\n",
    )
    leader = Leader.objects.get()
    assert _tables_containing("Гарипова")

    leader_erase(user=iglino_team_member, leader=leader)

    for trace in ("Гарипова", "79173456789", "345-67-89", "alsu@example.org"):
        assert _tables_containing(trace) == [], trace
    assert Signup.objects.get().raw == {"shredded": True}


def test_a_later_row_sees_the_community_an_earlier_row_created(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    report = _import(
        iglino_team_member,
        iglino_fair,
        "Клуб «Рассвет»;по интересам;с. Иглино;;;;;;\nКлуб «Рассвет над Уфой»;по интересам;с. Иглино;;;;;;\n",
    )

    rows = _by_row(report)
    created = Community.objects.get(name="Клуб «Рассвет»")
    assert (rows[2]["status"], rows[2]["community"]) == ("new", created.pk)
    assert rows[3]["status"] == "needs_review"
    assert [item["community"] for item in rows[3]["candidates"]] == [created.pk]


@pytest.mark.django_db
def test_names_that_differ_in_their_numbers_are_different_communities(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    report = _import(
        iglino_team_member,
        iglino_fair,
        "ТОС №5;ТОС;с. Иглино;;;;;;\n"
        "ТОС №6;ТОС;с. Иглино;;;;;;\n"
        "ТОС № 5;ТОС;с. Иглино;;;;;;\n"
        "Территориальное общественное самоуправление 6;ТОС;с. Иглино;;;;;;\n",
    )

    rows = _by_row(report)
    assert [rows[2]["status"], rows[3]["status"]] == ["new", "new"]
    assert (rows[4]["status"], rows[4]["duplicate_of_row"]) == ("duplicate_in_file", 2)
    assert (rows[5]["status"], rows[5]["duplicate_of_row"]) == ("duplicate_in_file", 3)
    assert rows[2]["community"] != rows[3]["community"]
    assert Community.objects.count() == 2
    assert Signup.objects.count() == 4  # every row kept, written in one batch


@pytest.mark.django_db
def test_an_imports_new_communities_are_written_with_their_sign_up_and_history(
    iglino_team_member: User, iglino_fair: Fair
) -> None:
    from django.core.cache import cache

    version_key = f"maps:version:{iglino_fair.municipality_id}"
    before = cache.get(version_key, 0)
    body = "".join(f"Клуб «Встреча {number}»;по интересам;с. Иглино;;;;;;\n" for number in range(30))
    report = _import(iglino_team_member, iglino_fair, body)

    assert report["new"] == 30
    assert cache.get(version_key, 0) == before + 1  # the municipality's map: once for the whole file
    communities = Community.objects.filter(source=Community.Source.FAIR_SIGNUP)
    assert communities.count() == 30
    assert len(set(communities.values_list("slug", flat=True))) == 30
    for community in communities:
        assert community.source_object == Signup.objects.get(community=community)
        assert list(community.history.values_list("history_type", "history_user")) == [
            ("+", iglino_team_member.pk)
        ]
