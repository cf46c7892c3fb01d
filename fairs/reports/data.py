"""The donor report's figures: the programme's progress at the end of the report date and at the
start of the reporting period (both «as of», from the registry's history), the change over the
period, per municipality, and the indicators — all from the selectors /programme/ uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from fairs.selectors.fairs import fair_counts
from geo.errors import DomainError, ErrorItem
from registry.models import Programme
from registry.selectors.indicators import IndicatorSummary, indicator_summaries
from registry.selectors.programme import ProgrammeProgress, programme_progress

MEASURES = ("communities", "leaders", "fairs", "fair_participants", "municipalities_with_map")


def measure_labels() -> dict[str, str]:
    return {
        "communities": _("Подтверждённых сообществ в муниципалитетах программы"),
        "leaders": _("Общественных лидеров (связаны с подтверждённым сообществом)"),
        "fairs": _("Ярмарок сообществ проведено"),
        "fair_participants": _("Участников ярмарок"),
        "municipalities_with_map": _("Муниципалитетов с картой сообществ"),
    }


@dataclass(frozen=True)
class ReportRequest:
    period_start: date
    period_end: date
    as_of: date


@dataclass(frozen=True)
class ReportData:
    programme: Programme
    request: ReportRequest
    operator: str
    generated_at: datetime
    progress: ProgrammeProgress  # at the end of the report date
    at_start: ProgrammeProgress  # at the end of the day before the period starts
    indicators: list[IndicatorSummary]

    def change(self, key: str) -> int:
        return int(getattr(self.progress, key).value - getattr(self.at_start, key).value)


def report_request_parse(
    *, programme: Programme, period_start: str, period_end: str, as_of: str
) -> ReportRequest:
    """Dates as typed (ГГГГ-ММ-ДД), defaults: the programme's start, today, the period's end."""
    today = timezone.localdate()
    errors = []
    values: dict[str, date] = {}
    for name, text, default in (
        ("period_start", period_start, programme.starts_on),
        ("period_end", period_end, min(today, programme.ends_on)),
    ):
        try:
            values[name] = date.fromisoformat(text) if text.strip() else default
        except ValueError:
            errors.append(
                ErrorItem(name, _("Ожидается дата ГГГГ-ММ-ДД, получено «{}»").format(text), "date_invalid")
            )
    try:
        values["as_of"] = date.fromisoformat(as_of) if as_of.strip() else values.get("period_end", today)
    except ValueError:
        errors.append(
            ErrorItem("as_of", _("Ожидается дата ГГГГ-ММ-ДД, получено «{}»").format(as_of), "date_invalid")
        )
    if not errors:
        if values["period_end"] < values["period_start"]:
            errors.append(ErrorItem("period_end", _("Конец периода раньше начала"), "period_reversed"))
        if values["as_of"] > today:
            errors.append(ErrorItem("as_of", _("Дата отчёта не может быть в будущем"), "as_of_future"))
        if values["as_of"] < values["period_start"]:
            errors.append(ErrorItem("as_of", _("Дата отчёта раньше начала периода"), "as_of_before_period"))
    if errors:
        raise DomainError(*errors)
    return ReportRequest(values["period_start"], values["period_end"], values["as_of"])


def _progress_on(programme: Programme, day: date) -> ProgrammeProgress:
    return programme_progress(
        programme=programme, fair_counts=fair_counts(programme=programme, as_of=day), as_of=day
    )


def report_build(*, programme: Programme, request: ReportRequest) -> ReportData:
    return ReportData(
        programme=programme,
        request=request,
        operator=settings.PROGRAMME_OPERATOR["name"],
        generated_at=timezone.localtime(),
        progress=_progress_on(programme, request.as_of),
        at_start=_progress_on(programme, request.period_start - timedelta(days=1)),
        indicators=indicator_summaries(programme=programme, as_of=request.as_of),
    )
