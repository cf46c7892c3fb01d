"""Servers the scenarios measure over HTTP: our gunicorn on a bench database, started on a free
local port and stopped however the measuring block ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of our processes (gunicorn, manage.py) on a bench database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "KARTA_BENCH_DB": database,
        **extra,
    }


@contextmanager
def server(database: str, **extra: str) -> Iterator[str]:
    """gunicorn serving the bench database on 127.0.0.1 (`extra`: more environment for it);
    stopped however the block ends."""
    port = free_port()
    env = server_env(database, **extra)
    process = subprocess.Popen(  # noqa: S603 -- our own virtualenv's gunicorn, fixed arguments
        [str(VENV_BIN / "gunicorn"), "config.wsgi", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=env, cwd=settings.BASE_DIR,
    )  # fmt: skip
    with serving(process, f"http://127.0.0.1:{port}", ready="/healthz") as url:
        yield url


@contextmanager
def serving(process: subprocess.Popen[bytes], url: str, *, ready: str) -> Iterator[str]:
    """The server's base URL once `ready` answers; the process is stopped however the block ends."""
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + ready, timeout=5):  # noqa: S310 -- our own local server
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"bench: {url} did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def http_get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 -- 127.0.0.1 only
        return len(response.read())
