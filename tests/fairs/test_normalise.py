"""Reading a sheet's year column: the range runs to the current year of the programme's calendar."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from fairs.normalise import year_read
from geo.errors import DomainError


@pytest.fixture
def new_years_eve_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2026-12-31 21:00 UTC is already 2027-01-01 02:00 in Ufa (Asia/Yekaterinburg, UTC+5)
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 31, 21, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("", None),
        ("  ", None),
        ("1800", 1800),
        ("2019", 2019),
        ("2019.0", 2019),
        ("2019 г.", 2019),
        ("2026 год", 2026),
    ],
)
def test_years_read(new_years_eve_utc: None, text: str, year: int | None) -> None:
    assert year_read(text) == year


def test_the_local_new_year_counts_before_utcs(new_years_eve_utc: None) -> None:
    assert year_read("2027") == 2027


@pytest.mark.parametrize("text", ["1799", "2028", "двадцатый", "19", "2019-05"])
def test_other_years_are_refused_with_the_range(new_years_eve_utc: None, text: str) -> None:
    with pytest.raises(DomainError) as raised:
        year_read(text)
    [item] = raised.value.items
    assert item.code == "year_out_of_range"
    assert "от 1800 до 2027" in item.message
