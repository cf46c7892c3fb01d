"""Fair pages, and the personal-data pages that span fairs and the registry: erasure and the export
of everything stored about a person."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from fairs.forms_team import FairForm, FairHeldForm, FairPlanForm, ImportForm
from fairs.models import Fair, Signup
from fairs.selectors.fairs import fair_get, fair_list
from fairs.services.annotated import signup_sheet_annotated
from fairs.services.erasure import leader_erase
from fairs.services.fairs import fair_create
from fairs.services.imports import signup_import
from fairs.services.personal_data import leader_subject_access
from fairs.views_lifecycle import fair_communities, fair_steps
from geo.errors import DomainError
from registry.forms import form_add_domain_errors
from registry.forms_leaders import EraseForm
from registry.models import Community
from registry.selectors.teams import team_municipalities
from registry.views_leaders import leader_editable_get


@login_required
@require_safe
@never_cache
def leader_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything stored about the person, as JSON to hand over on request; audited."""
    leader = leader_editable_get(request, pk)
    document = leader_subject_access(user=request.user, leader=leader)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="leader-{leader.pk}-{timezone.localdate():%Y-%m-%d}.json"'
    )
    return response


@login_required
@require_http_methods(["POST"])
def leader_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    leader = leader_editable_get(request, pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Подтвердите удаление отметкой."))
        return redirect("team-leader", pk=leader.pk)
    leader_erase(user=cast(User, request.user), leader=leader)
    messages.success(request, _("Персональные данные лидера удалены."))
    return redirect("team-leader", pk=leader.pk)


def _fair(request: HttpRequest, pk: int) -> Fair:
    fair = fair_get(user=request.user, pk=pk)
    if fair is None:
        raise Http404  # outside the team's municipalities: as if it did not exist
    return fair


@login_required
@require_http_methods(["GET", "POST"])
def fair_list_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = FairForm(request.POST or None, municipalities=team_municipalities(user=user).order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            fair = fair_create(
                user=user,
                municipality=form.cleaned_data["municipality"],
                date=form.cleaned_data["date"],
                title=form.cleaned_data["title"],
                venue_name=form.cleaned_data["venue_name"],
                expected_participants=form.cleaned_data["expected_participants"],
            )
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            messages.success(request, _("Ярмарка создана."))
            return redirect("fair-detail", pk=fair.pk)
    fairs = fair_list(user=user).annotate(signup_count=Count("signups"))
    return render(request, "fairs/team/fair_list.html", {"fairs": fairs, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def fair_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    fair = _fair(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = signup_import(
                user=cast(User, request.user),
                fair=fair,
                data=upload.read(settings.FAIRS_IMPORT_MAX_BYTES + 1),
                file_name=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                mapping=form.cleaned_data["mapping"],
            )
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            report = _report_for_people(imported.as_json())
    elif request.GET.get("report"):  # a stored report again, filtered by outcome
        stored = fair.imports.filter(pk=_int(request.GET["report"])).first()
        if stored is None:
            raise Http404
        report = _report_for_people({**stored.report, "import": stored.pk})
    outcome = request.GET.get("outcome", "")
    if report is not None:
        report["outcomes"] = _outcomes(report)
        report["outcome"] = outcome
        if outcome:
            report["results"] = [result for result in report["results"] if _outcome(result) == outcome]
    counts = dict(
        fair.signups.order_by().values("status").annotate(count=Count("id")).values_list("status", "count")
    )
    return render(
        request,
        "fairs/team/fair_detail.html",
        {
            "fair": fair,
            "form": form,
            "report": report,
            "counts": [(label, counts.get(value, 0)) for value, label in Signup.Status.choices],
            "imports": fair.imports.select_related("uploaded_by")[:20],
            "steps": fair_steps(fair),
            "held_form": FairHeldForm(initial={"participants": fair.visitor_count}),
            "plan_form": FairPlanForm(
                initial={
                    "date": fair.date,
                    "venue_name": fair.venue_name,
                    "expected_participants": fair.expected_participants,
                }
            ),
            "signup_url": request.build_absolute_uri(reverse("fair-signup", args=[fair.pk])),
            "signups": fair.signups.select_related("community").order_by("-created_at", "-id")[:200],
            "signup_total": fair.signups.count(),
            "communities": fair_communities(fair=fair, user=cast(User, request.user)),
        },
    )


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _outcome(result: dict[str, Any]) -> str:
    return "imported_before" if result.get("imported_before") else str(result["status"])


def _outcomes(report: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(code, words, rows) for each outcome the report has: the filter links above its rows."""
    labels = {**dict(Signup.Status.choices), "imported_before": _("импортированы ранее")}
    counts: dict[str, int] = {}
    for result in report["results"]:
        counts[_outcome(result)] = counts.get(_outcome(result), 0) + 1
    return [(code, str(labels.get(code, code)), count) for code, count in counts.items()]


def _report_for_people(report: dict[str, Any]) -> dict[str, Any]:
    """The report with status words, community names and links, and mapped field names: the JSON
    keeps its codes (the API and --report read them), the page shows words."""
    from fairs.intake.fields import FIELD_LABELS

    labels = dict(Signup.Status.choices)
    ids = {result["community"] for result in report["results"] if result["community"]}
    ids |= {item["community"] for result in report["results"] for item in result["candidates"][:1]}
    communities = Community.objects.in_bulk(ids) if not report.get("dry_run") else {}
    for result in report["results"]:
        result["status_label"] = labels.get(result["status"], result["status"])
        result["community_object"] = communities.get(result["community"])
        first = result["candidates"][0] if result["candidates"] else None
        result["candidate_object"] = communities.get(first["community"]) if first else None
        result["candidate_score"] = first["score"] if first else None
    for column in report.get("columns", []):
        column["field_names"] = " + ".join(str(FIELD_LABELS.get(name, name)) for name in column["fields"])
    return report


@login_required
@require_safe
@never_cache
def signup_sheet_view(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """The organiser's sheet with each row's result, its community's link and what to fix."""
    fair = _fair(request, pk)
    source = get_object_or_404(fair.imports.all(), pk=import_pk)
    sheet = signup_sheet_annotated(
        user=cast(User, request.user),
        source=source,
        link=lambda community_id: request.build_absolute_uri(reverse("team-community", args=[community_id])),
    )
    response = HttpResponse(sheet.content, content_type=sheet.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=sheet.file_name) or ""
    )
    return response
