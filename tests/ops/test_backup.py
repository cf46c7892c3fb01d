"""The restore drill: data in, backup, restore into an empty database, every table and file the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.db import connection, connections

from config.backup import BackupError, create, restore, verify
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, municipality

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
# The registry's own content, row by row: a restore that loses or alters any value changes it.
CONTENT_TABLES = ("registry_community", "registry_sphere", "geo_municipality", "geo_settlement", "auth_user")


def _connect(database: str) -> psycopg2.extensions.connection:
    params = connections["default"].get_connection_params()
    params.pop("database", None)
    params["dbname"] = database
    return psycopg2.connect(**params)


def _snapshot(database: str) -> dict[str, object]:
    with _connect(database) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 -- names from the catalogue
            counts[table] = cursor.fetchone()[0]
        hashes = {}
        for table in CONTENT_TABLES:
            cursor.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t")  # noqa: S608
            hashes[table] = cursor.fetchone()[0]
    return {"counts": counts, "hashes": hashes}


@pytest.fixture
def drill_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_drill"
    admin = _connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_backup_restores_every_table_and_file_into_an_empty_database(
    tmp_path: Path, settings: Any, drill_database: str
) -> None:
    media = tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "protocol.pdf").write_bytes(b"%PDF-1.4 minutes of the meeting")
    settings.MEDIA_ROOT = str(media)
    for number in range(5):
        community(name=f"ТОС «Рассвет-{number}»", municipality=municipality("80628000"))
    source = connection.settings_dict["NAME"]
    before = _snapshot(source)

    backup = create(directory=tmp_path / "backups", media_root=media)
    restored_media = tmp_path / "restored-media"
    manifest = restore(path=backup, media_root=restored_media, database=drill_database)

    after = _snapshot(drill_database)
    assert manifest["database"] == source
    assert after == before
    assert before["counts"]["registry_community"] == 5  # type: ignore[index]
    assert before["counts"]["geo_municipality"] == 342 + 832  # type: ignore[index]
    assert (restored_media / "evidence" / "protocol.pdf").read_bytes() == b"%PDF-1.4 minutes of the meeting"
    assert oct(backup.stat().st_mode & 0o777) == "0o600"


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path: Path) -> None:
    backup = create(directory=tmp_path, media_root=tmp_path / "no-media")
    verify(path=backup)
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    backup.write_bytes(bytes(data))

    with pytest.raises(BackupError, match="checksum"):
        restore(path=backup, media_root=tmp_path / "media", database="must-not-be-touched")
