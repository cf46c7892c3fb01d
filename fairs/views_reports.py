"""The report builder: choose the period and the «as of» date, download XLSX or PDF. Coordinators only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from fairs.reports.data import report_build, report_request_parse
from fairs.reports.pdf import report_pdf
from fairs.reports.xlsx import report_xlsx
from geo.errors import DomainError
from registry.views_access import coordinator_required, programme_or_404

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"xlsx": (XLSX_TYPE, report_xlsx), "pdf": ("application/pdf", report_pdf)}


@require_safe
@never_cache
@coordinator_required
def report_view(request: HttpRequest, extension: str = "") -> HttpResponse:
    programme = programme_or_404()
    fields = {name: request.GET.get(name, "")[:20] for name in ("period_start", "period_end", "as_of")}
    try:
        report_request = report_request_parse(programme=programme, **fields)
    except DomainError as error:
        return render(
            request,
            "registry/reports/builder.html",
            {"programme": programme, "fields": fields, "errors": error.items},
            status=400,
        )
    if extension not in FORMATS:
        return render(
            request,
            "registry/reports/builder.html",
            {"programme": programme, "fields": fields, "request_dates": report_request, "errors": ()},
        )
    content_type, write = FORMATS[extension]
    content = write(report_build(programme=programme, request=report_request))
    response = HttpResponse(content, content_type=content_type)
    filename = f"report-{report_request.as_of:%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
