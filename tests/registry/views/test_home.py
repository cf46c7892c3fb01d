from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from registry.models import Community
from tests.registry.factories import community


@pytest.mark.django_db
def test_home_counts_only_published_communities_per_programme_municipality(client: Client) -> None:
    call_command("seed_programme", stdout=StringIO())
    community(name="ТОС «Опубликованный»")
    community(name="ТОС «Предложенный»", status=Community.Status.PROPOSED)
    community(name="ТОС «Отклонённый»", status=Community.Status.REJECTED, rejection_reason="нет")

    html = client.get("/").content.decode()

    row = re.search(r'<td><a href="/m/ufa/">Уфа</a></td><td>[^<]*</td><td>(\d+)</td>', html)
    assert row is not None
    assert row.group(1) == "1"
    assert "Подтверждённых сообществ в реестре (во всех муниципалитетах): " in html
    assert '<span id="count-registry">1</span>' in html
    assert "муниципалитетов программы с сообществами на карте: 1 / 27" in html
