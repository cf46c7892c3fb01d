"""A test-only database router: once the session's geodata is loaded, flushes leave it alone.

A transactional test (a live server, a subprocess) ends with a flush of every table Django would
migrate on that database; answering allow_migrate=False for geo then keeps the real boundaries
and gazetteer, loaded once per session, for the tests that follow. Before that moment (creating
the test database) the router says nothing, so geo is migrated as usual."""

from __future__ import annotations

from typing import Any

KEEP = {"geo"}
keep_geodata = False  # set by tests/conftest.py after the geodata load


class KeepGeodataOnFlush:
    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if keep_geodata and app_label in KEEP:
            return False
        return None
