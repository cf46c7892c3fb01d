"""Headless Chromium from Debian (/usr/bin/chromium) driven by Playwright: nothing is downloaded.

Each test gets a page that records console errors, page errors and every request it makes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KARTA_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "var" / "test-output"


@dataclass
class Recorder:
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: make install installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def page(chromium: Any, recorder: Recorder) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, locale="ru-RU")
    context.set_default_timeout(15_000)
    page = context.new_page()

    def on_console(message: Any) -> None:
        if message.type == "error":
            recorder.console_errors.append(message.text)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            recorder.console_errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: recorder.console_errors.append(str(error)))
    page.on("request", lambda request: recorder.requests.append(request.url))
    page.on("response", on_response)
    yield page
    context.close()


@pytest.fixture
def screenshots() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT
