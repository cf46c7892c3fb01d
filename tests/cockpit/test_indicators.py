"""Indicators: a team enters its municipality's value with date, source and method; it counts only
once a coordinator approves it; the programme-wide value follows the indicator's stated rule."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from registry.models import Indicator, IndicatorValue, Programme
from registry.selectors.indicators import indicator_summaries
from tests.cockpit.conftest import logged_in
from tests.registry.factories import municipality, team_member

pytestmark = pytest.mark.django_db


def _value(**overrides: str) -> dict[str, str]:
    data = {
        "municipality": str(municipality("80628000").pk),
        "period": "before",
        "value": "31.5",
        "weight": "200",
        "measured_on": "2026-02-10",
        "source": "Опрос жителей, февраль",
        "method": "Уличный опрос, 200 человек, вопрос «Знаете ли вы сообщества рядом?»",
    }
    data.update(overrides)
    return data


@pytest.fixture
def indicator(programme: Programme) -> Indicator:
    return Indicator.objects.create(
        programme=programme,
        name="Доля жителей, знающих о сообществах",
        unit="%",
        aggregation=Indicator.Aggregation.WEIGHTED,
    )


def test_team_enters_a_value_and_the_coordinator_approves_it(
    programme: Programme, indicator: Indicator, programme_coordinator: User
) -> None:
    team = logged_in(team_member("80628000"))
    response = team.post("/programme/indicators/", {"indicator": str(indicator.pk), **_value()})
    assert response.status_code == 302
    item = IndicatorValue.objects.get()
    assert (item.status, item.source, item.measured_on) == (
        "submitted",
        "Опрос жителей, февраль",
        date(2026, 2, 10),
    )
    assert indicator_summaries(programme=programme)[0].before is None  # not counted before approval

    coordinator = logged_in(programme_coordinator)
    assert (
        coordinator.post(f"/programme/indicators/{item.pk}/review/", {"decision": "approve"}).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == "approved"
    assert item.reviewed_by == programme_coordinator
    summary = indicator_summaries(programme=programme)[0]
    assert summary.before == pytest.approx(31.5)
    page = coordinator.get("/programme/").content.decode()
    assert "31,50 %" in page
    assert "взвешенное по числу опрошенных" in page


def test_a_team_cannot_enter_a_value_for_another_municipality(
    programme: Programme, indicator: Indicator
) -> None:
    team = logged_in(team_member("80628000"))
    response = team.post(
        "/programme/indicators/",
        {"indicator": str(indicator.pk), **_value(municipality=str(municipality("80701000").pk))},
    )
    assert response.status_code == 200
    assert not IndicatorValue.objects.exists()


def test_a_team_member_cannot_approve(programme: Programme, indicator: Indicator) -> None:
    team_user = team_member("80628000")
    logged_in(team_user).post("/programme/indicators/", {"indicator": str(indicator.pk), **_value()})
    item = IndicatorValue.objects.get()
    response = logged_in(team_user).post(f"/programme/indicators/{item.pk}/review/", {"decision": "approve"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "submitted"


def test_weighted_programme_value_follows_the_stated_rule(
    programme: Programme, indicator: Indicator, programme_coordinator: User
) -> None:
    for oktmo, value, weight in (("80628000", 30.0, 100), ("80701000", 60.0, 300)):
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality=municipality(oktmo),
            period="after",
            value=value,
            weight=weight,
            measured_on=date(2026, 11, 1),
            source="опрос",
            method="опрос",
            status="approved",
        )
    assert indicator_summaries(programme=programme)[0].after == pytest.approx(52.5)  # (3000 + 18000) / 400
    indicator.aggregation = Indicator.Aggregation.MEAN
    indicator.save()
    assert indicator_summaries(programme=programme)[0].after == pytest.approx(45.0)


def test_returning_a_value_needs_a_note(
    programme: Programme, indicator: Indicator, programme_coordinator: User
) -> None:
    logged_in(team_member("80628000")).post(
        "/programme/indicators/", {"indicator": str(indicator.pk), **_value()}
    )
    item = IndicatorValue.objects.get()
    coordinator = logged_in(programme_coordinator)
    coordinator.post(f"/programme/indicators/{item.pk}/review/", {"decision": "return"})
    item.refresh_from_db()
    assert item.status == "submitted"
    coordinator.post(
        f"/programme/indicators/{item.pk}/review/", {"decision": "return", "note": "Уточните выборку"}
    )
    item.refresh_from_db()
    assert (item.status, item.review_note) == ("returned", "Уточните выборку")
