"""The team's queue of error reports: those about communities of the user's municipalities."""

from __future__ import annotations

from django.db.models import QuerySet

from registry.models import ErrorReport
from registry.selectors.teams import AnyUser, team_municipalities


def error_report_list(*, user: AnyUser) -> QuerySet[ErrorReport]:
    """Open reports first (newest first), then the handled ones."""
    return (
        ErrorReport.objects.filter(community__municipality__in=team_municipalities(user=user))
        .select_related("community", "community__municipality", "resolved_by")
        .order_by("resolved_at", "-received_at", "-id")
    )
