"""make serve: the production profile really starts, hardened, with hashed and compressed static files."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 -- our own loopback server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(PORT=str(port), DJANGO_SECRET_KEY="serve-test-" + "x" * 50, GUNICORN_WORKERS="1")
    process = subprocess.Popen(  # noqa: S603
        ["bash", "scripts/serve.sh"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # collectstatic first, on a busy machine
        while _ready(url) is False:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()  # a live server never closes its output: reading it would hang
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"make serve did not start:\n{output[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _ready(url: str) -> bool:
    try:
        return _get(f"{url}/healthz")[0] == 200
    except OSError:
        return False


def test_health_check_answers_with_security_headers(server: str) -> None:
    status, headers, body = _get(f"{server}/healthz")

    assert status == 200
    assert b'"database": "ok"' in body
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_errors_are_friendly_pages_not_debug_output(server: str) -> None:
    status, _, body = _get(f"{server}/no-such-page/")

    html = body.decode()
    assert status == 404
    assert "Страница не найдена" in html
    assert "Traceback" not in html
    assert "DEBUG = True" not in html


def test_static_files_are_hashed_compressed_and_cached_for_long(server: str) -> None:
    _, _, body = _get(f"{server}/no-such-page/")
    match = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body.decode())
    assert match, "the stylesheet link carries a content hash"

    status, headers, _ = _get(f"{server}{match.group(1)}", **{"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in headers["Cache-Control"]
