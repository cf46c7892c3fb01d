"""Personal-data pages: the subject-access answer and the erasure confirmation as PDF letters, and
the audit trail (who exported or erased what, when) for coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from fairs.forms import ProposerLookupForm
from fairs.letters import erasure_letter, proposer_access_letter, subject_access_letter
from registry.models import PrivacyEvent
from registry.selectors.teams import team_municipalities, user_is_coordinator
from registry.services.proposers import proposals_of, proposer_erase, proposer_subject_access
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
    if event is None:
        raise Http404
    if event.leader_id is not None:
        leader_editable_get(request, event.leader_id)  # 404 outside the team's municipalities
    elif not (event.actor_id == request.user.pk or user_is_coordinator(user=request.user)):
        raise Http404  # a proposer's erasure: who carried it out, or a coordinator
    return _pdf(erasure_letter(event=event), f"erasure-{event.pk}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def proposer_privacy_view(request: HttpRequest) -> HttpResponse:
    """A proposer's subject access or erasure, by the e-mail or phone they left. The contact travels
    in a POST body only (never in a URL, which servers log); each export and erasure is audited."""
    if not team_municipalities(user=request.user).exists():
        raise Http404
    form = ProposerLookupForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        action = request.POST.get("action", "find")
        stamp = f"{timezone.localdate():%Y-%m-%d}"
        if action == "json":
            document = proposer_subject_access(user=request.user, contact=contact)
            response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
            response["Content-Disposition"] = f'attachment; filename="proposer-{stamp}.json"'
            return response
        if action == "pdf":
            return _pdf(proposer_access_letter(user=request.user, contact=contact), f"proposer-{stamp}.pdf")
        if action == "erase":
            if form.cleaned_data["confirm"]:
                context["erasure"] = proposer_erase(user=request.user, contact=contact)
                messages.success(request, _("Контакт предложившего удалён из сообществ и их истории."))
            else:
                messages.error(request, _("Подтвердите удаление отметкой."))
        context["proposals"] = list(proposals_of(user=request.user, contact=contact))
        context["searched"] = True
    return render(request, "registry/team/proposer_privacy.html", context)


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
