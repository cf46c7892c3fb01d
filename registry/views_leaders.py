"""Team pages for leaders: add with consent, see consents, withdraw, erase; the consent log (152-FZ)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from geo.errors import DomainError
from registry.exports import table_csv
from registry.forms import form_add_domain_errors
from registry.forms_leaders import EraseForm, LeaderForm
from registry.models import Consent, Leader, PrivacyEvent
from registry.selectors.communities import community_editable_list
from registry.selectors.teams import team_municipalities
from registry.services.leaders import consent_withdraw, leader_create, leadership_add
from registry.services.privacy import consent_log_export


def leader_editable_get(request: HttpRequest, pk: int) -> Leader:
    """A leader of the acting user's municipalities, or 404."""
    leader = Leader.objects.filter(pk=pk, municipality__in=team_municipalities(user=request.user)).first()
    if leader is None:
        raise Http404
    return leader


@login_required
@require_http_methods(["GET", "POST"])
def leader_create_view(request: HttpRequest, community_pk: int) -> HttpResponse:
    community = community_editable_list(user=request.user).filter(pk=community_pk).first()
    if community is None:
        raise Http404
    form = LeaderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leader = leader_create(
                user=request.user,
                municipality=community.municipality,
                full_name=data["full_name"],
                display_name=data["display_name"],
                bio=data["bio"],
                roles=data["roles"],
                phone=data["phone"],
                email=data["email"],
                consents=form.consents(),
            )
            leadership_add(
                user=request.user, leader=leader, community=community, role=data["leadership_role"]
            )
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            messages.success(request, _("Лидер добавлен."))
            return redirect("team-leader", pk=leader.pk)
    return render(request, "registry/team/leader_form.html", {"form": form, "community": community})


@login_required
def leader_team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    leader = leader_editable_get(request, pk)
    return render(
        request,
        "registry/team/leader_detail.html",
        {
            "leader": leader,
            "consents": leader.consents.select_related("collected_by"),
            "leaderships": leader.leaderships.select_related("community"),
            "history": leader.history.select_related("history_user").order_by("-history_date")[:50],
            "erase_form": EraseForm(),
            "erasure_event": PrivacyEvent.objects.filter(
                action=PrivacyEvent.Action.ERASURE, leader_id=leader.pk
            )
            .order_by("-at")
            .first()
            if leader.erased_at
            else None,
        },
    )


@login_required
@require_http_methods(["POST"])
def consent_withdraw_view(request: HttpRequest, pk: int, scope: str) -> HttpResponse:
    leader = leader_editable_get(request, pk)
    if scope not in Consent.Scope.values:
        raise Http404
    consent_withdraw(user=request.user, leader=leader, scope=scope)
    messages.success(request, _("Согласие отозвано: данные скрыты везде."))
    return redirect("team-leader", pk=leader.pk)


@login_required
@require_safe
@never_cache
def consent_log_csv(request: HttpRequest) -> HttpResponse:
    """The consent log of the user's municipalities (CSV for Excel); each download is audited."""
    if not team_municipalities(user=request.user).exists():
        raise Http404
    response = HttpResponse(
        table_csv(consent_log_export(user=request.user)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="consents-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
