"""Read replicas: anonymous public reads go to DATABASE_REPLICA_URL; anything with a session, the primary.

A real second database stands in for the replica (restored from a backup of the test database, then
changed on purpose), and a real server process serves both, so the page shows which one it read."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection, connections

from config.backup import create, restore
from config.routers import PublicReadRouter
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
ROOT = Path(__file__).resolve().parents[2]


def _params(database: str) -> dict[str, object]:
    params = connections["default"].get_connection_params()
    params.pop("database", None)
    params["dbname"] = database
    return params


def _url(database: str) -> str:
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "", safe="")
    password = quote(settings.get("PASSWORD") or "", safe="")
    host = quote(settings.get("HOST") or "", safe="")
    return f"postgis://{user}:{password}@{host}:{settings.get('PORT') or 5432}/{database}"


@contextmanager
def _replica_copy(tmp_path: Path) -> Iterator[str]:
    """A second database restored from a backup of the test database: the replica's stand-in."""
    name = f"{connection.settings_dict['NAME']}_replica"
    admin = psycopg2.connect(**_params("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        backup = create(directory=tmp_path, media_root=tmp_path / "media")
        restore(path=backup, media_root=tmp_path / "restored-media", database=name)
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, cookie: str = "") -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 -- our own loopback server
        return response.read().decode()


@contextmanager
def _server(replica: str) -> Iterator[str]:
    """gunicorn on the test database, with DATABASE_REPLICA_URL pointing at the replica."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        KARTA_DB_NAME=connection.settings_dict["NAME"],
        DATABASE_REPLICA_URL=_url(replica),
    )
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{url}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        process.stderr.read().decode() if process.stderr else "the server did not start"
                    )
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_public_page_reads_the_replica_but_a_session_reads_the_primary(tmp_path: Path) -> None:
    created = community(name="ТОС «Первичный»")
    with _replica_copy(tmp_path) as replica:
        with psycopg2.connect(**_params(replica)) as conn, conn.cursor() as cursor:
            cursor.execute(
                "UPDATE registry_community SET name = 'ТОС «Из реплики»' WHERE slug = %s", [created.slug]
            )
            assert cursor.rowcount == 1
        with _server(replica) as url:
            anonymous = _get(f"{url}/c/{created.slug}/")
            with_session = _get(f"{url}/c/{created.slug}/", cookie="sessionid=not-a-real-session")

    assert "ТОС «Из реплики»" in anonymous
    assert "ТОС «Первичный»" in with_session
    assert "Из реплики" not in with_session


def test_the_replica_is_never_migrated() -> None:
    router = PublicReadRouter()

    assert router.allow_migrate("replica", "registry") is False
    assert router.allow_migrate("default", "registry") is True
