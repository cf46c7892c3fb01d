"""OGC API – Features query parameters that the REST API does not share: `datetime` (RFC 3339
instants and intervals) and the CRS parameters this server refuses (it serves CRS84 only)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.layers import Period

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
OPEN = {"", ".."}
# the finest unit written in a time: an instant covers that unit (a second, a minute)
TIME_PRECISION = re.compile(r"T\d{2}:\d{2}(?P<seconds>:\d{2}(?P<fraction>[.,]\d+)?)?", re.IGNORECASE)


def _fail() -> DomainError:
    return DomainError(
        ErrorItem(
            "datetime",
            _(
                "Ожидается дата или время RFC 3339 (2024-05-01, 2024-05-01T10:00:00Z) или интервал"
                " через «/» (2024-05-01/2024-06-01, ../2024-06-01, 2024-05-01/..)"
            ),
            "datetime_invalid",
        )
    )


def _instant(text: str) -> tuple[datetime, datetime]:
    """The interval an instant covers: a date, its whole day in the project's time zone; a time
    (without an offset: UTC), its last written unit."""
    try:
        return _covered(text)
    except (ValueError, OverflowError):  # 2025-13-01, 9999-12-31T23:59:59Z + 1 s
        raise _fail() from None


def _covered(text: str) -> tuple[datetime, datetime]:
    if "t" not in text.lower():
        day = parse_date(text) if len(text) == 10 else None
        if day is None:
            raise _fail()
        start = timezone.make_aware(datetime.combine(day, time.min))
        return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    moment = parse_datetime(text.upper())
    precision = TIME_PRECISION.search(text)
    if moment is None or precision is None:
        raise _fail()
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    if precision.group("fraction"):
        step = timedelta(microseconds=1)
    elif precision.group("seconds"):
        step = timedelta(seconds=1)
    else:
        step = timedelta(minutes=1)
    return moment, moment + step


def period_parse(text: str) -> Period:
    """An OGC `datetime` value as a half-open period; an open end is `..` or empty."""
    text = text.strip()
    if "/" not in text:
        return Period(*_instant(text))
    first, _slash, last = text.partition("/")
    if "/" in last:
        raise _fail()
    start = None if first.strip() in OPEN else _instant(first.strip())[0]
    end = None if last.strip() in OPEN else _instant(last.strip())[1]
    if start is not None and end is not None and start >= end:
        raise DomainError(
            ErrorItem("datetime", _("Начало интервала должно быть раньше его конца"), "datetime_order")
        )
    return Period(start, end)


def crs_check(params: dict[str, str]) -> None:
    """bbox-crs and crs (Part 2) other than CRS84 are refused by name: the server has no other CRS."""
    for name in ("bbox-crs", "crs"):
        value = params.get(name)
        if value is not None and value.strip() != CRS84:
            raise DomainError(
                ErrorItem(
                    name,
                    _("Поддерживается только {} (долгота, широта WGS 84)").format(CRS84),
                    "crs_unsupported",
                )
            )
