"""The client's address with a real proxy in front of gunicorn, all on the loopback: a proxy that
appends its peer to X-Forwarded-For as nginx's $proxy_add_x_forwarded_for does, gunicorn trusting
only 127.0.0.1, and clients on other loopback addresses (127.0.0.2 …) so that the proxy's and the
clients' addresses differ. The per-address limit of the public forms (1 an hour here) shows which
address the site took: a forged X-Forwarded-For changes nothing, through the proxy or around it.
Every step has a deadline: startup 60 s, each request 10 s."""

from __future__ import annotations

import http.client
import http.server
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import APPS_BUT_GEODATA

pytestmark = pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA)
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Proxy(http.server.BaseHTTPRequestHandler):
    """nginx's proxy_pass with proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for."""

    upstream = 0

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {key: value for key, value in self.headers.items() if key.lower() != "x-forwarded-for"}
        sent = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{sent}, {self.client_address[0]}" if sent else self.client_address[0]
        upstream = http.client.HTTPConnection("127.0.0.1", type(self).upstream, timeout=TIMEOUT_S)
        try:
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            answer = upstream.getresponse()
            payload = answer.read()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in {"transfer-encoding", "connection", "content-length"}:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        finally:
            upstream.close()

    do_GET = _forward  # noqa: N815 -- the http.server API
    do_POST = _forward  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[tuple[int, int]]:
    """(gunicorn's port, the proxy's port)."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        KARTA_DB_NAME=connection.settings_dict["NAME"],
        TRUSTED_PROXIES="127.0.0.1",
        PUBLIC_FORM_RATE="1/h",
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
        stderr=subprocess.DEVNULL,
    )
    _Proxy.upstream = port
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while _status(port, "GET", "/healthz", source="127.0.0.1") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start")
            time.sleep(0.3)
        yield port, proxy.server_address[1]
    finally:
        proxy.shutdown()
        process.terminate()
        process.wait(timeout=20)


def _request(
    port: int, method: str, path: str, *, source: str, headers: dict[str, str] | None = None, body: str = ""
) -> tuple[int, dict[str, str], str]:
    """A request from the loopback address `source` (the client's own address)."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S, source_address=(source, 0))
    try:
        client.request(method, path, body=body.encode() or None, headers=headers or {})
        answer = client.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read().decode(errors="replace")
    except OSError:
        return 0, {}, ""
    finally:
        client.close()


def _status(port: int, method: str, path: str, *, source: str) -> int:
    return _request(port, method, path, source=source)[0]


def _send_privacy_request(port: int, *, source: str, forged: str) -> int:
    """GET the form for its CSRF token, then POST a request claiming to come from `forged`."""
    status, headers, html = _request(port, "GET", "/privacy/", source=source)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    assert token
    assert cookie
    body = f"kind=access&name=Anna&contact=anna%40example.ru&text=&csrfmiddlewaretoken={token.group(1)}"
    status, _, _ = _request(
        port, "POST", "/privacy/", source=source, body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie.group(1)}",
            "X-Forwarded-For": forged,
        },
    )  # fmt: skip
    return status


def test_through_the_proxy_the_client_is_the_proxys_peer_whatever_it_claims(site: tuple[int, int]) -> None:
    _, proxy = site

    assert _send_privacy_request(proxy, source="127.0.0.2", forged="198.51.100.1") == 302
    # The same client claiming another address: the proxy appended 127.0.0.2, which is what counts.
    assert _send_privacy_request(proxy, source="127.0.0.2", forged="198.51.100.2") == 429
    # Another client behind the same proxy is not held back by the first one's limit.
    assert _send_privacy_request(proxy, source="127.0.0.4", forged="198.51.100.1") == 302


def test_a_forged_header_from_an_untrusted_peer_is_ignored(site: tuple[int, int]) -> None:
    gunicorn, _ = site

    # Straight to gunicorn from 127.0.0.3, not a trusted proxy: its X-Forwarded-For is its own word.
    assert _send_privacy_request(gunicorn, source="127.0.0.3", forged="203.0.113.9") == 302
    assert _send_privacy_request(gunicorn, source="127.0.0.3", forged="203.0.113.10") == 429
