"""The privacy notice (152-FZ art. 18.1: a published policy) with its request form, and the
coordinators' queue of those requests: parse, call one service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from registry.forms_public import PrivacyRequestForm
from registry.limits import public_form_count, public_form_is_limited
from registry.models import PrivacyRequest
from registry.selectors.teams import user_is_coordinator
from registry.services.privacy import privacy_request_answer, privacy_request_submit

LIMIT_GROUP = "privacy-request"


def _notice_context(form: PrivacyRequestForm) -> dict[str, object]:
    return {
        "form": form,
        "operator_name": settings.PRIVACY_OPERATOR_NAME,
        "operator_address": settings.PRIVACY_OPERATOR_ADDRESS,
        "operator_contact": settings.PRIVACY_OPERATOR_CONTACT,
        "retention_days": settings.FAIRS_SIGNUP_RETENTION_DAYS,
        "answer_days": settings.PRIVACY_REQUEST_WORKING_DAYS,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def privacy_notice(request: HttpRequest) -> HttpResponse:
    form = PrivacyRequestForm(request.POST or None)
    if request.method == "POST":
        if public_form_is_limited(request, group=LIMIT_GROUP):
            # What was typed stays on the page: the visitor can send it later or by post.
            context = {**_notice_context(form), "is_limited": True}
            response = render(request, "registry/privacy.html", context, status=429)
            response["Retry-After"] = "3600"
            return response
        if form.is_valid():
            if not form.cleaned_data.get("website"):  # honeypot: pretend success, keep nothing
                privacy_request_submit(
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    text=form.cleaned_data["text"],
                )
                public_form_count(request, group=LIMIT_GROUP)
            return redirect("privacy-request-sent")
    return render(request, "registry/privacy.html", _notice_context(form))


def privacy_request_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "registry/privacy_sent.html", {"answer_days": settings.PRIVACY_REQUEST_WORKING_DAYS}
    )


@login_required
def privacy_request_queue(request: HttpRequest) -> HttpResponse:
    """Coordinators: the requests, open ones first by deadline."""
    if not user_is_coordinator(user=request.user):
        raise Http404
    requests = PrivacyRequest.objects.select_related("answered_by").order_by("answered_at", "due_on", "id")[
        :500
    ]
    return render(
        request,
        "registry/team/privacy_requests.html",
        {"requests": requests, "today": timezone.localdate()},
    )


@login_required
@require_POST
def privacy_request_answered(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_is_coordinator(user=request.user):
        raise Http404
    privacy_request_answer(user=request.user, request=get_object_or_404(PrivacyRequest, pk=pk))
    messages.success(request, _("Обращение отмечено как отвеченное."))
    return redirect("team-privacy-requests")
