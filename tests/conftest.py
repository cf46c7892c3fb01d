"""Shared fixtures: the real geodata is loaded once per test session into the throwaway database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.core.management import call_command
from rest_framework.test import APIClient

from geo.services import GeodataReport, geodata_load


@pytest.fixture(scope="session")
def geodata_first_report(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> GeodataReport:
    """The report of the first load of fixtures/geo/ into the empty test database."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("createcachetable", verbosity=0)
        report = geodata_load()
    from tests import routers

    routers.keep_geodata = True  # from now on a flush leaves the geodata in place
    return report


@pytest.fixture(autouse=True)
def _geodata(geodata_first_report: GeodataReport) -> None:
    """Every test sees the real boundaries and gazetteer."""


@pytest.fixture(autouse=True)
def _fresh_cache(geodata_first_report: GeodataReport, django_db_blocker: Any) -> Iterator[None]:
    """Rate-limit counters live in the cache table: no test inherits another's."""
    yield
    with django_db_blocker.unblock():
        cache.clear()
        caches["pages"].clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def admin_user_obj(db: None) -> User:
    return User.objects.create_superuser("admin-test", "admin@example.org", "correct-horse-battery")


@pytest.fixture
def ufa_team_member(db: None) -> User:
    from tests.registry.factories import team_member

    return team_member("80701000", username="ufa-ngo")


@pytest.fixture
def iglino_team_member(db: None) -> User:
    from tests.registry.factories import team_member

    return team_member("80628000", username="iglino-admin")


@pytest.fixture
def programme_coordinator(db: None) -> User:
    from tests.registry.factories import coordinator

    return coordinator(username="coordinator")


@pytest.fixture
def iglino_fair(iglino_team_member: User) -> Any:
    """A planned fair of the Iglino team (Иглинский район, OKTMO 80628000)."""
    import datetime as dt

    from fairs.services.fairs import fair_create
    from tests.registry.factories import municipality

    return fair_create(
        user=iglino_team_member, municipality=municipality("80628000"), date=dt.date(2026, 5, 15)
    )


# For tests that need committed data (a live server in another thread, a subprocess):
#     pytestmark = [
#         pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
#         pytest.mark.usefixtures("reference_data"),
#     ]
# A transactional test ends by emptying the tables; tests/routers.py keeps geo's out of that flush,
# so the real geodata, loaded once per session, stays for the tests that follow. (The name is
# historical: every app is available, geo included, or its models would lose their reverse relations.)
# The reference rows that migrations seed (spheres, the coordinators' group) are emptied too:
# reference_data puts them back.
APPS_BUT_GEODATA = list(settings.INSTALLED_APPS)


@pytest.fixture
def reference_data(request: pytest.FixtureRequest, transactional_db: None) -> None:
    """The rows the registry's data migration seeds, restored after an earlier test's flush."""
    import importlib

    from django.apps import apps

    marker = request.node.get_closest_marker("django_db")
    if marker is None or marker.kwargs.get("available_apps") != APPS_BUT_GEODATA:
        pytest.fail(
            "use pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA): "
            "a full flush would empty the session's geodata"
        )
    importlib.import_module("registry.migrations.0002_spheres_and_coordinators").forwards(apps, None)
