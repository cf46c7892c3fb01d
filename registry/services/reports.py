"""«Сообщить об ошибке»: a visitor's note that a community's page is wrong or outdated, for the
municipality's team (the queue at /team/reports/)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from registry.models import Community, ErrorReport
from registry.selectors.teams import AnyUser, team_has_member


@transaction.atomic
def error_report_submit(*, community: Community, text: str, contact: str, has_consent: bool) -> ErrorReport:
    """Queue a report. A contact is kept only with the sender's consent to its processing (the form
    asks for both together; without consent it is dropped, never stored)."""
    report = ErrorReport(community=community, text=text.strip(), contact=contact if has_consent else "")
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def error_report_resolve(*, user: AnyUser, report: ErrorReport) -> ErrorReport:
    """A team member of the community's municipality marks the report handled; its contact, needed
    no longer, is erased."""
    if not team_has_member(municipality=report.community.municipality, user=user):
        raise PermissionDenied
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by = user if isinstance(user, User) else None
        report.contact = ""
        report.save(update_fields=["resolved_at", "resolved_by", "contact"])
    return report
