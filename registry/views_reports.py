"""«Сообщить об ошибке»: the public form under a community's page (its own page, so that the
community's page carries no CSRF token and stays cacheable) and the team's queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from registry.forms_public import ErrorReportForm
from registry.limits import public_form_count, public_form_is_limited
from registry.models import Community
from registry.selectors.communities import community_public_list
from registry.selectors.reports import error_report_list
from registry.services.reports import error_report_resolve, error_report_submit

LIMIT_GROUP = "error-report"


def _public_community(slug: str) -> Community:
    community = community_public_list().filter(slug=slug).select_related("municipality").first()
    if community is None:
        raise Http404(_("Сообщество не найдено"))
    return community


@require_http_methods(["GET", "HEAD", "POST"])
def error_report_create(request: HttpRequest, slug: str) -> HttpResponse:
    community = _public_community(slug)
    form = ErrorReportForm(request.POST or None)
    context = {"community": community, "form": form}
    if request.method == "POST":
        if public_form_is_limited(request, group=LIMIT_GROUP):
            response = render(
                request, "registry/public/error_report.html", {**context, "is_limited": True}, status=429
            )
            response["Retry-After"] = "3600"
            return response
        if form.is_valid():
            if not form.cleaned_data.get("website"):  # honeypot: pretend success, keep nothing
                error_report_submit(
                    community=community,
                    text=form.cleaned_data["text"],
                    contact=form.cleaned_data["contact"],
                    has_consent=form.cleaned_data["has_consent"],
                )
                public_form_count(request, group=LIMIT_GROUP)
            return redirect("community-error-report-sent", slug=community.slug)
    return render(request, "registry/public/error_report.html", context)


def error_report_sent(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "registry/public/error_report_sent.html", {"community": _public_community(slug)})


@login_required
def error_report_queue(request: HttpRequest) -> HttpResponse:
    """The team's reports about its municipalities' communities, open ones first."""
    return render(
        request, "registry/team/error_reports.html", {"reports": error_report_list(user=request.user)[:500]}
    )


@login_required
@require_POST
def error_report_resolved(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(error_report_list(user=request.user), pk=pk)
    error_report_resolve(user=request.user, report=report)
    messages.success(request, _("Сообщение отмечено как разобранное."))
    return redirect("team-error-reports")
