"""An import killed with SIGKILL half-way leaves nothing; re-running it gives the registry one clean run gives.

The import is stopped at a known point, not after a guessed time: another transaction holds, uncommitted,
a community with the page address (slug, unique) that a late row's new community will take, so the
import's insert of its new communities waits there, inside its transaction with its file record and the
leaders of every row already written, until it is killed.
(A lock on a row the import only references would not do: Django's foreign keys are checked at commit.)
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections, transaction

from fairs.models import Fair, Signup, SignupImport
from fairs.services.fairs import fair_create
from registry.models import Community, Leader
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import CommunityFactory, municipality, team_member

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
ROOT = Path(__file__).resolve().parents[2]
APP_NAME = "karta-killed-import-test"
HEADER = "Название сообщества;Сфера;Населённый пункт;ФИО лидера;Телефон;E-mail;Численность;Согласие\n"
PLACES = ("с. Иглино", "с. Кальтовка", "д. Ленинское", "с. Улу-Теляк", "с. Акбердино")
ROWS, LOCKED_ROW = 400, 300  # the sheet's row whose new community waits (0-based, after the header)
BLOCKING = "Клуб «Маяк»"


def _sheet(path: Path) -> Path:
    lines = [
        f"Клуб «Встреча {number % 150}»;по интересам;{PLACES[number % len(PLACES)]};"
        f"Иванов Иван {number};8 917 000-{number:04d};;{number % 40 + 3};да\n"
        for number in range(ROWS)
    ]
    lines[LOCKED_ROW] = f"{BLOCKING};по интересам;с. Иглино;Петров Пётр;8 917 111-11-11;;12;да\n"
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


class _SlugHolder(threading.Thread):
    """Holds, in its own uncommitted transaction (a thread has its own connection), a community with `slug`."""

    def __init__(self, slug: str) -> None:
        super().__init__(daemon=True)
        self.slug = slug
        self.holding = threading.Event()
        self.release = threading.Event()
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                # bulk_create sends no signals: nothing else (map caches, history) is held besides the slug
                Community.objects.bulk_create(
                    [
                        CommunityFactory.build(
                            name="Занято", slug=self.slug, municipality=municipality("80628000")
                        )
                    ]
                )
                self.holding.set()
                self.release.wait(timeout=600)
                transaction.set_rollback(True)
        except BaseException as error:  # noqa: BLE001 -- reported by the test thread
            self.failure = error
            self.holding.set()
        finally:
            connections.close_all()


def _import_waits_for_lock() -> bool:
    return (
        _backend(
            "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE application_name = %s AND xact_start IS NOT NULL"
        )
        is True
    )


def test_killed_import_leaves_nothing_and_a_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    user = team_member("80628000", username="iglino-importer")
    fair = fair_create(user=user, municipality=municipality("80628000"), date=dt.date(2026, 5, 1))
    sheet = _sheet(tmp_path / "sheet.csv")

    clean = _command(sheet, fair, user)
    assert clean.wait(timeout=600) == 0, clean.stderr.read().decode() if clean.stderr else ""
    expected = _registry()
    assert expected["imports"] == 1
    assert len(expected["signups"]) == ROWS  # type: ignore[arg-type]
    blocking = Signup.objects.get(row_number=LOCKED_ROW + 2)
    assert blocking.status == Signup.Status.NEW
    assert blocking.community is not None
    slug = blocking.community.slug
    _wipe_import_results()

    holder = _SlugHolder(slug)
    holder.start()
    assert holder.holding.wait(timeout=60)
    assert holder.failure is None, holder.failure
    try:
        killed = _command(sheet, fair, user)
        deadline = time.monotonic() + 300
        while not _import_waits_for_lock():
            assert killed.poll() is None, "the import ended without reaching the held page address"
            assert time.monotonic() < deadline, "the import never reached the held page address"
            time.sleep(0.1)
        waiting_in = _backend("SELECT query FROM pg_stat_activity WHERE application_name = %s")
        assert str(waiting_in).startswith('COPY "registry_community"'), waiting_in
        written = _backend(
            "SELECT count(DISTINCT l.relation) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
            " WHERE a.application_name = %s AND l.mode = 'RowExclusiveLock'"
            " AND l.relation IN ('fairs_signupimport'::regclass, 'registry_leader'::regclass)"
        )
        assert written == 2, "the import should have written its file record and leaders before it was killed"
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
    finally:
        holder.release.set()
        holder.join(timeout=60)
    while _backend("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s") != 0:
        assert time.monotonic() < deadline + 60
        time.sleep(0.1)

    assert killed.returncode == -signal.SIGKILL
    assert _registry() == {"communities": [], "leaders": [], "signups": [], "imports": 0}

    rerun = _command(sheet, fair, user)
    assert rerun.wait(timeout=600) == 0
    assert _registry() == expected
