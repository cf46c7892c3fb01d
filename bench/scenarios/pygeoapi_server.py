"""pygeoapi, a baseline of scenario 1, served by its own gunicorn on the current bench database."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench.serving import free_port, serving

PYGEOAPI_DIR = Path(__file__).resolve().parents[1] / "pygeoapi"
PYGEOAPI_VENV = Path(settings.BASE_DIR) / "var" / "bench-pygeoapi"
PUBLIC_VIEW = """
CREATE OR REPLACE VIEW bench_public_communities AS
SELECT c.id, c.name, c.slug, s.code AS sphere, m.oktmo AS municipality, c.members_count, c.founded_year,
       c.public_point AS geom
FROM registry_community c JOIN registry_sphere s ON s.id = c.sphere_id JOIN geo_municipality m ON m.id = c.municipality_id
WHERE c.status = 'verified' AND (c.verified_until IS NULL OR c.verified_until >= current_date - {grace})
"""


def _pygeoapi_venv() -> Path:
    """pygeoapi in its own virtualenv (its pins are not ours), installed from its hashed lock."""
    python = PYGEOAPI_VENV / "bin" / "python"
    stamp = PYGEOAPI_VENV / ".installed"
    lock = PYGEOAPI_DIR / "requirements.lock"
    if not stamp.exists() or stamp.read_text() != lock.read_text():
        subprocess.run([sys.executable, "-m", "venv", str(PYGEOAPI_VENV)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603 -- pip of that virtualenv, our own lock file
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--require-hashes",
             "-r", str(lock)],
            check=True, timeout=900,
        )  # fmt: skip
        stamp.write_text(lock.read_text())
    return PYGEOAPI_VENV / "bin"


@contextmanager
def pygeoapi_server() -> Iterator[str]:
    """pygeoapi (gunicorn, one worker as ours has per request) on the current bench database."""
    from string import Template

    bin_dir = _pygeoapi_venv()
    with connection.cursor() as cursor:
        cursor.execute(PUBLIC_VIEW.format(grace=int(settings.REGISTRY_VERIFICATION_GRACE_DAYS)))
    db = connection.settings_dict
    port = free_port()
    with tempfile.TemporaryDirectory() as directory:
        config = Path(directory) / "pygeoapi.yml"
        openapi = Path(directory) / "openapi.yml"
        config.write_text(Template((PYGEOAPI_DIR / "config.template.yml").read_text()).substitute(
            port=port, host=db.get("HOST") or "localhost", dbport=db.get("PORT") or 5432, dbname=db["NAME"],
            user=db.get("USER") or "", password=db.get("PASSWORD") or "",
        ))  # fmt: skip
        env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
        subprocess.run(  # noqa: S603
            [str(bin_dir / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
            env=env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        process = subprocess.Popen(  # noqa: S603
            [str(bin_dir / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
             "pygeoapi.flask_app:APP"],
            env=env, cwd=directory,
        )  # fmt: skip
        with serving(process, f"http://127.0.0.1:{port}", ready="/conformance?f=json") as url:
            yield url
