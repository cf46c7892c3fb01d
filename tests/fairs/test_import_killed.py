"""An import killed with SIGKILL half-way leaves nothing; re-running it gives the registry one clean run gives."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from fairs.models import Fair, Signup, SignupImport
from fairs.services.fairs import fair_create
from registry.models import Community, Leader
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import municipality, team_member

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
ROOT = Path(__file__).resolve().parents[2]
APP_NAME = "karta-killed-import-test"
HEADER = "Название сообщества;Сфера;Населённый пункт;ФИО лидера;Телефон;E-mail;Численность;Согласие\n"
PLACES = ("с. Иглино", "с. Кальтовка", "д. Ленинское", "с. Улу-Теляк", "с. Акбердино")


def _sheet(path: Path, rows: int) -> Path:
    lines = [
        f"Клуб «Встреча {number % 150}»;по интересам;{PLACES[number % len(PLACES)]};"
        f"Иванов Иван {number};8 917 000-{number:04d};;{number % 40 + 3};да\n"
        for number in range(rows)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def _command(sheet: Path, fair: Fair, user: User) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        KARTA_DB_NAME=connection.settings_dict["NAME"],
        PGAPPNAME=APP_NAME,
    )
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "import_signups",
            str(sheet),
            "--fair",
            str(fair.pk),
            "--user",
            user.username,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _backend(query: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(query, [APP_NAME])
        row = cursor.fetchone()
    return row[0] if row else None


def _registry() -> dict[str, object]:
    """The registry as a person sees it: no ids, no timestamps."""
    return {
        "communities": sorted(
            Community.objects.values_list(
                "name", "status", "settlement__name", "members_count", "sphere__code"
            )
        ),
        "leaders": sorted(Leader.objects.values_list("full_name", "phone")),
        "signups": sorted(Signup.objects.values_list("row_number", "status", "name", "leader_name")),
        "imports": SignupImport.objects.count(),
    }


def _wipe_import_results() -> None:
    Signup.objects.all().delete()
    SignupImport.objects.all().delete()
    Leader.objects.all().delete()
    Community.objects.all().delete()


def test_killed_import_leaves_nothing_and_a_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    user = team_member("80628000", username="iglino-importer")
    fair = fair_create(user=user, municipality=municipality("80628000"), date=dt.date(2026, 5, 1))
    sheet = _sheet(tmp_path / "sheet.csv", 400)

    clean = _command(sheet, fair, user)
    assert clean.wait(timeout=600) == 0, clean.stderr.read().decode() if clean.stderr else ""
    expected = _registry()
    assert expected["imports"] == 1
    assert len(expected["signups"]) == 400  # type: ignore[arg-type]
    _wipe_import_results()

    killed = _command(sheet, fair, user)
    deadline = time.monotonic() + 120
    # Wait until the import is well inside its transaction, with rows already written in it.
    while (
        _backend(
            "SELECT now() - xact_start > interval '2 seconds' FROM pg_stat_activity WHERE application_name = %s AND xact_start IS NOT NULL"
        )
        is not True
    ):
        assert killed.poll() is None, "the import ended before it could be killed: make the sheet longer"
        assert time.monotonic() < deadline
        time.sleep(0.1)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    while _backend("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s") != 0:
        assert time.monotonic() < deadline + 60
        time.sleep(0.1)

    assert killed.returncode == -signal.SIGKILL
    assert _registry() == {"communities": [], "leaders": [], "signups": [], "imports": 0}

    rerun = _command(sheet, fair, user)
    assert rerun.wait(timeout=600) == 0
    assert _registry() == expected
