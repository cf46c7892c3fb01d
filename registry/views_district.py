"""The district's community list (filters, sort, search, CSV/XLSX), bulk actions with a confirmation,
and evidence files sent through a scoped view. Parse, call one service or selector, render."""

from __future__ import annotations

from pathlib import PurePath
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from geo.errors import DomainError
from geo.models import Settlement
from registry.exports import district_table, table_csv, table_xlsx
from registry.forms import form_add_domain_errors
from registry.forms_team import BulkEvidenceForm, BulkReasonForm, CommunityFilterForm, ConfirmForm
from registry.models import Community, Evidence
from registry.selectors.communities import community_editable_list
from registry.selectors.district import DistrictFilters, community_district_list, district_filters_parse
from registry.selectors.teams import team_municipalities
from registry.services.batch import communities_archive, communities_reject, communities_verify
from registry.services.community_status import EvidenceInput

# action → (its button, the statuses it applies to)
ACTIONS = {
    "verify": (gettext_lazy("Подтвердить"), (Community.Status.PROPOSED,)),
    "reverify": (gettext_lazy("Подтвердить заново"), (Community.Status.VERIFIED, Community.Status.ARCHIVED)),
    "archive": (gettext_lazy("В архив"), (Community.Status.VERIFIED,)),
    "reject": (gettext_lazy("Отклонить"), (Community.Status.PROPOSED,)),
}


def _filter_form(request: HttpRequest) -> tuple[CommunityFilterForm, DistrictFilters]:
    settlements = Settlement.objects.filter(
        municipality__in=team_municipalities(user=request.user), communities__isnull=False
    ).distinct()
    form = CommunityFilterForm(request.GET or None, settlements=settlements.order_by("name"))
    filters = district_filters_parse(form.cleaned_data) if form.is_valid() else DistrictFilters()
    return form, filters


@login_required
@require_safe
def district_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filter_form(request)
    communities = community_district_list(user=request.user, filters=filters).select_related(
        "sphere", "settlement", "municipality"
    )
    page = Paginator(communities, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/team/district.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "actions": [(code, label) for code, (label, _statuses) in ACTIONS.items()],
        },
    )


@login_required
@require_safe
def district_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, filters = _filter_form(request)
    communities = community_district_list(user=request.user, filters=filters).select_related(
        "sphere", "settlement", "municipality"
    )
    table = district_table(communities.iterator(chunk_size=2000))
    name = f"communities-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        response = HttpResponse(
            table_xlsx(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _selected(request: HttpRequest, field: str, statuses: tuple[str, ...]) -> QuerySet[Community]:
    ids = [int(value) for value in request.POST.getlist(field) if value.isdigit()][:1000]
    return (
        community_editable_list(user=request.user)
        .filter(pk__in=ids, status__in=statuses)
        .order_by("name", "id")
    )


@login_required
@require_http_methods(["POST"])
def bulk_view(request: HttpRequest) -> HttpResponse:
    """Step 1 (from the list): the selection, shown for confirmation. Step 2 (stage=apply): all in one
    transaction. Verification asks to tick each community again on the confirmation page."""
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("Выберите действие."))
        return redirect("team-district")
    label, statuses = ACTIONS[action]
    selected = list(_selected(request, "ids", statuses))
    if not selected:
        messages.error(request, _("Среди отмеченных нет сообществ, к которым применимо это действие."))
        return redirect("team-district")
    is_verify = action in ("verify", "reverify")
    applying = request.POST.get("stage") == "apply"
    evidence_form = BulkEvidenceForm(request.POST if applying else None, request.FILES if applying else None)
    reason_form = BulkReasonForm(request.POST if applying else None)
    confirm_form = ConfirmForm(request.POST if applying else None)
    ticked = {int(value) for value in request.POST.getlist("confirm_ids") if value.isdigit()}
    if applying:
        try:
            count = _apply(request, action, selected, ticked, evidence_form, reason_form, confirm_form)
        except DomainError as error:
            form_add_domain_errors(evidence_form if is_verify else reason_form, error)
        else:
            if count:
                messages.success(request, _done_message(action, count))
                return redirect("team-district")
    return render(
        request,
        "registry/team/bulk_confirm.html",
        {
            "action": action,
            "label": label,
            "communities": selected,
            "ticked": ticked,
            "is_verify": is_verify,
            "form": evidence_form if is_verify else reason_form,
            "confirm_form": confirm_form,
        },
    )


def _apply(
    request: HttpRequest,
    action: str,
    selected: list[Community],
    ticked: set[int],
    evidence_form: BulkEvidenceForm,
    reason_form: BulkReasonForm,
    confirm_form: ConfirmForm,
) -> int:
    user = cast(User, request.user)  # login_required
    if action in ("verify", "reverify"):
        chosen = [community for community in selected if community.pk in ticked]
        if not chosen:
            evidence_form.add_error(
                None, _("Отметьте каждое сообщество, которое подтверждает это свидетельство.")
            )
        if not evidence_form.is_valid() or not chosen:
            return 0
        data = evidence_form.cleaned_data
        evidence = EvidenceInput(
            kind=data["kind"], text=data["text"], link=data["link"].strip(), file=data["file"]
        )
        return communities_verify(user=user, communities=chosen, evidence=evidence)
    if not reason_form.is_valid() or not confirm_form.is_valid():
        return 0
    service = communities_archive if action == "archive" else communities_reject
    return service(user=user, communities=selected, reason=reason_form.cleaned_data["reason"])


def _done_message(action: str, count: int) -> str:
    if action in ("verify", "reverify"):
        return ngettext("Подтверждено %(count)d сообщество.", "Подтверждено %(count)d сообществ.", count) % {
            "count": count
        }
    if action == "archive":
        return ngettext(
            "В архив перенесено %(count)d сообщество.", "В архив перенесено %(count)d сообществ.", count
        ) % {"count": count}
    return ngettext("Отклонено %(count)d сообщество.", "Отклонено %(count)d сообществ.", count) % {
        "count": count
    }


@login_required
@require_safe
def evidence_file_view(request: HttpRequest, pk: int) -> FileResponse:
    """A verification's evidence file, for the community's team only, always as a download."""
    evidence = (
        Evidence.objects.filter(pk=pk, verification__community__in=community_editable_list(user=request.user))
        .exclude(file="")
        .first()
    )
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=PurePath(evidence.file.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
