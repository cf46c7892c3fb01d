"""Personal-data pages: the subject-access answer and the erasure confirmation as PDF letters, and
the audit trail (who exported or erased what, when) for coordinators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from fairs.letters import erasure_letter, subject_access_letter
from registry.models import PrivacyEvent
from registry.views_access import coordinator_required
from registry.views_leaders import leader_editable_get


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
@never_cache
def subject_access_letter_view(request: HttpRequest, pk: int) -> HttpResponse:
    leader = leader_editable_get(request, pk)
    if leader.erased_at is not None:
        raise Http404
    content = subject_access_letter(user=request.user, leader=leader)
    return _pdf(content, f"leader-{leader.pk}-{timezone.localdate():%Y-%m-%d}.pdf")


@login_required
@require_safe
@never_cache
def erasure_letter_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation of an erasure, for a team member of the (erased) leader's municipality."""
    event = PrivacyEvent.objects.filter(pk=pk, action=PrivacyEvent.Action.ERASURE).first()
    if event is None or event.leader_id is None:
        raise Http404
    leader_editable_get(request, event.leader_id)  # 404 outside the team's municipalities
    return _pdf(erasure_letter(event=event), f"erasure-{event.pk}.pdf")


@require_safe
@never_cache
@coordinator_required
def privacy_trail_view(request: HttpRequest) -> HttpResponse:
    events = PrivacyEvent.objects.select_related("actor").order_by("-at", "-id")
    action = request.GET.get("action", "")
    if action in PrivacyEvent.Action.values:
        events = events.filter(action=action)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/cockpit/privacy_trail.html",
        {
            "page": page,
            "actions": PrivacyEvent.Action.choices,
            "action": action,
            "erasure": PrivacyEvent.Action.ERASURE,
        },
    )
