"""The settings read the environment: DATABASE_URL, or the project's own cluster in var/postgres/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "d = settings.DATABASES['default'];"
    "print(json.dumps({k: d.get(k) for k in ('ENGINE', 'NAME', 'USER', 'HOST', 'PORT')} | "
    "{'DEBUG': settings.DEBUG, 'TZ': settings.TIME_ZONE, 'LANG': settings.LANGUAGE_CODE}))"
)


def _probe(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_DEBUG", "DJANGO_SECRET_KEY"}
    }
    return subprocess.run(  # noqa: S603 -- this interpreter with a fixed probe, no outside input
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _settings(env: dict[str, str]) -> dict[str, object]:
    result = _probe(env)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_database_url_is_used_when_set() -> None:
    values = _settings(
        {"DATABASE_URL": "postgis://planner:secret@db.example:5433/karta_prod", "DJANGO_SECRET_KEY": "x"}
    )

    assert values["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    assert (values["NAME"], values["USER"], values["HOST"], values["PORT"]) == (
        "karta_prod",
        "planner",
        "db.example",
        5433,
    )


def test_without_database_url_the_local_cluster_socket_is_used() -> None:
    values = _settings({"DJANGO_SECRET_KEY": "x"})

    assert values["NAME"] == "karta"
    assert str(values["HOST"]).startswith("/")  # a unix socket directory, never a TCP host


def test_debug_is_off_unless_set_and_then_a_secret_key_is_required() -> None:
    result = _probe({})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("debug", ["1", "true"])
def test_debug_on_uses_a_local_key_and_russian_defaults(debug: str) -> None:
    values = _settings({"DJANGO_DEBUG": debug})

    assert values["DEBUG"] is True
    assert values["TZ"] == "Asia/Yekaterinburg"
    assert values["LANG"] == "ru"


@pytest.mark.django_db
def test_web_connections_run_without_jit() -> None:
    """Short queries: JIT compilation costs more than it saves (see config/settings/base.py)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone() == ("off",)
