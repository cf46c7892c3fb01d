"""Indicator reads: each municipality's values before and after, and the programme-wide value by the
indicator's stated rule (sum, mean, or mean weighted by the number surveyed) over approved values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from registry.models import Indicator, IndicatorValue, Programme
from registry.selectors.teams import AnyUser, team_municipalities


def indicator_aggregate(*, indicator: Indicator, values: list[IndicatorValue]) -> float | None:
    """The programme-wide value from municipal ones: None when there are none (or no weights)."""
    if not values:
        return None
    numbers = [item.value for item in values]
    if indicator.aggregation == Indicator.Aggregation.SUM:
        return sum(numbers)
    if indicator.aggregation == Indicator.Aggregation.WEIGHTED:
        weighted = [(item.value, item.weight) for item in values if item.weight]
        total = sum(weight for _value, weight in weighted)
        return sum(value * weight for value, weight in weighted) / total if total else None
    return sum(numbers) / len(numbers)


@dataclass(frozen=True)
class IndicatorSummary:
    indicator: Indicator
    before: float | None
    after: float | None
    is_computed: bool  # from municipal values (else the programme-wide values entered directly)
    by_municipality: dict[int, dict[str, IndicatorValue]] = field(default_factory=dict)
    approved_count: int = 0

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def indicator_summaries(*, programme: Programme, as_of: date | None = None) -> list[IndicatorSummary]:
    """Every indicator of the programme with its approved municipal values (measured by `as_of`
    when given), in two queries."""
    values = IndicatorValue.objects.filter(
        indicator__programme=programme,
        status=IndicatorValue.Status.APPROVED,
        municipality__in=programme.municipalities.all(),
    ).select_related("municipality")
    if as_of is not None:
        values = values.filter(measured_on__lte=as_of)
    grouped: dict[int, list[IndicatorValue]] = {}
    for item in values:
        grouped.setdefault(item.indicator_id, []).append(item)
    summaries = []
    for indicator in programme.indicators.all():
        own = grouped.get(indicator.pk, [])
        by_municipality: dict[int, dict[str, IndicatorValue]] = {}
        for item in own:
            by_municipality.setdefault(item.municipality_id, {})[item.period] = item
        before = [item for item in own if item.period == IndicatorValue.Period.BEFORE]
        after = [item for item in own if item.period == IndicatorValue.Period.AFTER]
        is_computed = bool(own)
        summaries.append(
            IndicatorSummary(
                indicator=indicator,
                before=indicator_aggregate(indicator=indicator, values=before)
                if is_computed
                else indicator.before,
                after=indicator_aggregate(indicator=indicator, values=after)
                if is_computed
                else indicator.after,
                is_computed=is_computed,
                by_municipality=by_municipality,
                approved_count=len(own),
            )
        )
    return summaries


def indicator_value_list(*, user: AnyUser, programme: Programme) -> QuerySet[IndicatorValue]:
    """The values this user may see and edit: their municipalities' (every one for coordinators)."""
    return (
        IndicatorValue.objects.filter(
            indicator__programme=programme,
            municipality__in=team_municipalities(user=user).filter(pk__in=programme.municipalities.all()),
        )
        .select_related("indicator", "municipality", "entered_by", "reviewed_by")
        .order_by("indicator__position", "municipality__name", "period")
    )
