from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from fairs.models import Fair
from fairs.services.fairs import fair_create
from tests.registry.factories import municipality


@pytest.fixture
def iglino_fair(iglino_team_member: User) -> Fair:
    return fair_create(
        user=iglino_team_member, municipality=municipality("80628000"), date=dt.date(2026, 5, 15)
    )
