from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from geo.models import Region
from registry.exports import spreadsheet_safe
from registry.models import Indicator, Leader, Leadership, Programme
from tests.registry.factories import IGLINO, CommunityFactory, municipality

pytestmark = pytest.mark.django_db

PROGRAMME_FILE = Path(settings.BASE_DIR) / "fixtures" / "programme.json"
PAGE = "/programme/"
XLSX = "/programme/progress.xlsx"
CSV = "/programme/progress.csv"


@pytest.fixture
def programme() -> Programme:
    """A current programme over Уфа and Иглинский район: 2 + 1 published communities, 2 leaders."""
    programme = Programme.objects.create(
        name="Конструктор сообществ",
        region=Region.objects.get(iso_code="RU-BA"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        is_current=True,
    )
    programme.municipalities.set([municipality("80701000"), municipality("80628000")])
    Indicator.objects.create(programme=programme, name="Число активных сообществ", unit="ед.", before=12)
    first, second = CommunityFactory.create(), CommunityFactory.create()
    iglino = CommunityFactory.create(municipality=municipality("80628000"), location=IGLINO)
    for communities in ((first, second), (iglino,)):
        person = Leader.objects.create(
            full_name="Петров Пётр", name_normalized="петров петр", municipality=communities[0].municipality
        )
        for community in communities:
            Leadership.objects.create(leader=person, community=community)
    return programme


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# seed_programme


def test_seed_programme_creates_the_current_programme_with_27_municipalities() -> None:
    out = io.StringIO()
    call_command("seed_programme", stdout=out)

    programme = Programme.objects.get()
    assert programme.name == "Конструктор сообществ"
    assert programme.is_current
    assert programme.region.iso_code == "RU-BA"
    assert (programme.starts_on, programme.ends_on) == (date(2026, 1, 1), date(2027, 12, 31))
    assert (
        programme.target_communities,
        programme.target_leaders_per_municipality,
        programme.target_fairs,
        programme.target_fair_participants,
    ) == (100, 5, 27, 3000)
    assert programme.municipalities.count() == 27
    assert programme.municipalities.filter(region__iso_code="RU-BA").count() == 25
    assert set(
        programme.municipalities.exclude(region__iso_code="RU-BA").values_list("region__iso_code", flat=True)
    ) == {
        "RU-TA",
        "RU-ORE",
    }
    assert {"80701000", "80628000", "80613000"} <= set(
        programme.municipalities.values_list("oktmo", flat=True)
    )
    assert programme.indicators.count() == 3
    assert not programme.indicators.filter(before__isnull=False).exists()
    assert "создана" in out.getvalue()


def test_seed_programme_is_idempotent() -> None:
    call_command("seed_programme", stdout=io.StringIO())
    indicator = Indicator.objects.first()
    assert indicator is not None
    Indicator.objects.filter(pk=indicator.pk).update(before=41.5)  # measured by a coordinator

    out = io.StringIO()
    call_command("seed_programme", stdout=out)

    assert Programme.objects.count() == 1
    assert Programme.objects.get().municipalities.count() == 27
    assert Indicator.objects.count() == 3
    assert Indicator.objects.get(pk=indicator.pk).before == 41.5
    assert "обновлена" in out.getvalue()


def test_seed_programme_keeps_municipalities_a_coordinator_changed() -> None:
    call_command("seed_programme", stdout=io.StringIO())
    programme = Programme.objects.get()
    programme.municipalities.remove(municipality("80613000"))

    call_command("seed_programme", stdout=io.StringIO())

    assert programme.municipalities.count() == 26


def test_seed_programme_keeps_targets_a_coordinator_changed_unless_reset() -> None:
    call_command("seed_programme", stdout=io.StringIO())
    Programme.objects.update(target_communities=150)

    call_command("seed_programme", stdout=io.StringIO())
    assert Programme.objects.get().target_communities == 150
    call_command("seed_programme", "--reset", stdout=io.StringIO())
    assert Programme.objects.get().target_communities == 100


def test_seed_programme_reset_restores_the_list_from_the_file() -> None:
    call_command("seed_programme", stdout=io.StringIO())
    programme = Programme.objects.get()
    programme.municipalities.remove(municipality("80613000"))
    programme.municipalities.add(municipality("80652000"))  # Уфимский район: not in the file

    call_command("seed_programme", "--reset", stdout=io.StringIO())

    codes = set(programme.municipalities.values_list("oktmo", flat=True))
    assert len(codes) == 27
    assert "80613000" in codes
    assert "80652000" not in codes


def test_seed_programme_with_unknown_oktmo_names_it_and_writes_nothing(tmp_path: Path) -> None:
    data = json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))
    data["municipalities"].append({"oktmo": "80999000", "name": "Нет такого"})
    bad_file = tmp_path / "programme.json"
    bad_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError, match="80999000"):
        call_command("seed_programme", "--file", str(bad_file), stdout=io.StringIO())

    assert not Programme.objects.exists()
    assert not Indicator.objects.exists()


def test_seed_programme_reports_every_bad_field_at_once(tmp_path: Path) -> None:
    bad_file = tmp_path / "programme.json"
    bad_file.write_text(
        json.dumps({"name": "", "region": "RU-BA", "starts_on": "2026-13-01", "ends_on": "2027-12-31"}),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as error:
        call_command("seed_programme", "--file", str(bad_file), stdout=io.StringIO())

    message = str(error.value)
    for field in ("name", "starts_on", "targets.communities", "municipalities"):
        assert f"{field}:" in message
    assert not Programme.objects.exists()


def test_seed_programme_rejects_a_file_that_is_not_json(tmp_path: Path) -> None:
    bad_file = tmp_path / "programme.json"
    bad_file.write_bytes("ОКТМО;Название".encode("cp1251"))

    with pytest.raises(CommandError, match="JSON"):
        call_command("seed_programme", "--file", str(bad_file), stdout=io.StringIO())


def test_seed_programme_demotes_the_previous_current_programme() -> None:
    old = Programme.objects.create(
        name="Пилот",
        region=Region.objects.get(iso_code="RU-BA"),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        is_current=True,
    )
    call_command("seed_programme", stdout=io.StringIO())

    old.refresh_from_db()
    assert not old.is_current
    assert Programme.objects.get(is_current=True).name == "Конструктор сообществ"


# /programme/


def test_programme_page_shows_anonymous_a_summary_without_the_table(
    client: Client, programme: Programme
) -> None:
    response = client.get(PAGE)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Итоги программы" in content
    assert "Муниципалитетов с картой сообществ" in content
    assert "Ход программы по муниципалитетам" not in content
    assert XLSX not in content
    progress = response.context["progress"]
    assert (progress.communities.value, progress.leaders.value) == (3, 2)
    assert progress.municipalities_with_map.value == 2


def test_programme_page_shows_a_coordinator_the_table(
    programme_coordinator: User, programme: Programme
) -> None:
    response = logged_in(programme_coordinator).get(PAGE)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Ход программы по муниципалитетам" in content
    assert '<th scope="row"><a href="/m/' in content
    assert XLSX in content
    assert CSV in content


def test_programme_page_shows_a_team_member_the_table(iglino_team_member: User, programme: Programme) -> None:
    response = logged_in(iglino_team_member).get(PAGE)

    assert "Ход программы по муниципалитетам" in response.content.decode()


def test_programme_page_without_a_current_programme_says_so(client: Client) -> None:
    response = client.get(PAGE)

    assert response.status_code == 200
    assert "Текущая программа пока не задана" in response.content.decode()


def test_programme_page_escapes_the_programme_name(client: Client, programme: Programme) -> None:
    Programme.objects.filter(pk=programme.pk).update(name="<script>alert(1)</script>")

    content = client.get(PAGE).content.decode()

    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;" in content


def test_programme_page_query_count_is_bounded(
    programme_coordinator: User, programme: Programme, django_assert_max_num_queries
) -> None:
    client = logged_in(programme_coordinator)
    # 14: the indicator summaries (indicators and their approved municipal values) add two, whatever the count
    with django_assert_max_num_queries(14):
        client.get(PAGE)


# downloads


def test_xlsx_download_has_the_progress_numbers(programme_coordinator: User, programme: Programme) -> None:
    response = logged_in(programme_coordinator).get(XLSX)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="progress-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Программа", "Муниципалитет", "ОКТМО")
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    by_name = {row[1]: row for row in rows[1:] if row[1]}
    assert by_name["Уфа"][2:13] == ("80701000", "Республика Башкортостан", 2, 50, 1, 5, 0, 14, 0, 1500, "да")
    assert by_name["Иглинский район"][4:7] == (1, 50, 1)
    assert by_name["Итого по программе"][4:13] == (3, 100, 2, 10, 0, 27, 0, 3000, "2 из 2")


def test_csv_download_has_bom_semicolons_and_escapes_formulas(
    iglino_team_member: User, programme: Programme
) -> None:
    Programme.objects.filter(pk=programme.pk).update(name='=HYPERLINK("x")')

    response = logged_in(iglino_team_member).get(CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'progress-{timezone.localdate():%Y-%m-%d}.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Программа", "Муниципалитет"]
    assert all(row[0] == '\'=HYPERLINK("x")' for row in rows[1:])
    assert rows[-1][1:7] == ["Итого по программе", "", "", "3", "100", "2"]


def test_xlsx_download_escapes_formulas(programme_coordinator: User, programme: Programme) -> None:
    Programme.objects.filter(pk=programme.pk).update(name='=HYPERLINK("x")')

    response = logged_in(programme_coordinator).get(XLSX)

    cell = load_workbook(io.BytesIO(response.content)).worksheets[0]["A2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("x")'


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_downloads_are_not_found_for_anonymous(client: Client, programme: Programme, url: str) -> None:
    assert client.get(url).status_code == 404


def test_downloads_are_not_found_for_a_user_outside_every_team(programme: Programme) -> None:
    user = User.objects.create_user("outsider", password="correct-horse-battery")

    assert logged_in(user).get(reverse("programme-progress-csv")).status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 999", "'+7 999"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Уфа", "Уфа"),
        (-5, -5),
        (None, None),
    ],
)
def test_spreadsheet_safe(value: object, expected: object) -> None:
    assert spreadsheet_safe(value) == expected  # type: ignore[arg-type]
