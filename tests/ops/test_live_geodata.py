"""Committed-data tests (live server) keep the session's geodata: the pattern in tests/conftest.py."""

from __future__ import annotations

import urllib.request

import pytest

from geo.models import Municipality
from registry.models import Community
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.mark.parametrize("run", [1, 2])
def test_live_server_sees_committed_rows_and_the_geodata_survives(live_server: object, run: int) -> None:
    assert Municipality.objects.count() == 342 + 832
    assert Community.objects.count() == 0  # the previous run's community was flushed
    created = community(name=f"Клуб «Живой сервер {run}»")

    with urllib.request.urlopen(f"{live_server}/c/{created.slug}/", timeout=10) as response:  # noqa: S310
        html = response.read().decode()

    assert f"Клуб «Живой сервер {run}»" in html
