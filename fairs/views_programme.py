"""Programme pages: progress against targets (a public summary, the full table for coordinators and
team members) and its downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from fairs.selectors.fairs import fair_counts
from registry.exports import progress_table, table_csv, table_xlsx
from registry.selectors.indicators import indicator_summaries
from registry.selectors.programme import (
    ProgrammeProgress,
    programme_current,
    programme_progress,
    programme_progress_visible,
)
from registry.selectors.teams import user_is_coordinator

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def programme_progress_page(request: HttpRequest) -> HttpResponse:
    programme = programme_current()
    progress = (
        programme_progress(programme=programme, fair_counts=fair_counts(programme=programme))
        if programme is not None
        else None
    )
    return render(
        request,
        "registry/programme/progress.html",
        {
            "progress": progress,
            "is_full": programme_progress_visible(user=request.user),
            "is_coordinator": user_is_coordinator(user=request.user),
            "indicators": indicator_summaries(programme=programme) if programme is not None else [],
            "today": timezone.localdate(),
        },
    )


def _download_progress(request: HttpRequest) -> ProgrammeProgress:
    """Downloads exist for coordinators and team members only: for anyone else there is nothing here."""
    if not programme_progress_visible(user=request.user):
        raise Http404
    programme = programme_current()
    if programme is None:
        raise Http404
    return programme_progress(programme=programme, fair_counts=fair_counts(programme=programme))


def _attachment(content: bytes, *, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    filename = f"progress-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@never_cache
def programme_progress_xlsx(request: HttpRequest) -> HttpResponse:
    table = progress_table(_download_progress(request))
    return _attachment(table_xlsx(table), content_type=XLSX_TYPE, extension="xlsx")


@require_safe
@never_cache
def programme_progress_csv(request: HttpRequest) -> HttpResponse:
    table = progress_table(_download_progress(request))
    return _attachment(table_csv(table), content_type="text/csv; charset=utf-8", extension="csv")
