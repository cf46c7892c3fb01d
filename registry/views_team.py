"""The team workspace (/team/), sign-in, and the public proposal form: parse, call one service, render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geo.errors import DomainError
from registry.forms import form_add_domain_errors
from registry.forms_community import CommunityForm, RejectForm, VerifyForm
from registry.forms_team import ArchiveForm
from registry.models import Community
from registry.selectors.communities import (
    community_duplicate_candidates,
    community_editable_list,
)
from registry.selectors.teams import team_municipalities
from registry.services.community_creation import community_create
from registry.services.community_edits import community_update
from registry.services.community_status import (
    EvidenceInput,
    community_archive,
    community_reject,
    community_verify,
)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """429 in Russian, with Retry-After, for every rate-limited form."""
    response = render(request, "registry/rate_limited.html", status=429)
    response["Retry-After"] = "3600"
    return response


class TeamLoginView(LoginView):
    template_name = "registry/team/login.html"
    redirect_authenticated_user = True


def _editable(request: HttpRequest, pk: int) -> Community:
    community = community_editable_list(user=request.user).filter(pk=pk).first()
    if community is None:
        raise Http404  # outside the team's municipalities: as if it did not exist
    return community


def _single_municipality(request: HttpRequest) -> Any:
    municipalities = list(team_municipalities(user=request.user)[:2])
    return municipalities[0] if len(municipalities) == 1 else None


def _duplicates_block(form: CommunityForm, exclude: Community | None) -> list[Any]:
    if form.cleaned_data.get("not_a_duplicate"):
        return []
    return community_duplicate_candidates(
        name=form.cleaned_data["name"],
        location=form.location or (exclude.location if exclude else None),
        municipality=exclude.municipality if exclude else None,
        exclude=exclude,
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_create_view(request: HttpRequest) -> HttpResponse:
    form = CommunityForm(request.POST or None)
    form.scope_municipality = _single_municipality(request)
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_block(form, None)
        if not duplicates:
            try:
                community = community_create(
                    user=request.user, source=Community.Source.TEAM, **form.service_fields()
                )
            except DomainError as error:
                form_add_domain_errors(form, error)
            else:
                messages.success(
                    request, _("Сообщество «{}» добавлено и ждёт подтверждения.").format(community.name)
                )
                return redirect("team-community", pk=community.pk)
    return render(
        request,
        "registry/team/community_form.html",
        {"form": form, "duplicates": duplicates, "community": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    community = _editable(request, pk)
    initial = {
        "name": community.name, "sphere": community.sphere_id, "form": community.form, "inn": community.inn,
        "ogrn": community.ogrn, "hide_exact_location": community.hide_exact_location, "address": community.address,
        "description": community.description, "activities": community.activities, "members_count": community.members_count,
        "founded_year": community.founded_year, "links": "\n".join(community.links), "contact": community.contact,
        "is_contact_public": community.is_contact_public, "internal_notes": community.internal_notes,
    }  # fmt: skip
    form = CommunityForm(request.POST or None, initial=initial, require_location=False)
    form.scope_municipality = community.municipality
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_block(form, community) if form.cleaned_data["name"] != community.name else []
        if not duplicates:
            try:
                community_update(user=request.user, community=community, **form.service_fields())
            except DomainError as error:
                form_add_domain_errors(form, error)
            else:
                messages.success(request, _("Изменения сохранены."))
                return redirect("team-community", pk=community.pk)
    return render(
        request,
        "registry/team/community_form.html",
        {"form": form, "duplicates": duplicates, "community": community},
    )


@login_required
def community_team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community = _editable(request, pk)
    history = community.history.select_related("history_user").order_by("-history_date")[:50]
    return render(
        request,
        "registry/team/community_detail.html",
        {
            "community": community,
            "history": history,
            "verifications": community.verifications.select_related("verified_by").prefetch_related(
                "evidence"
            )[:10],
            "duplicates": community_duplicate_candidates(
                name=community.name,
                location=community.location,
                municipality=community.municipality,
                exclude=community,
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    community = _editable(request, pk)
    form = VerifyForm(request.POST or None, request.FILES or None, initial={"sphere": community.sphere})
    if request.method == "POST" and form.is_valid():
        link = form.cleaned_data["link"].strip()
        evidence = [
            EvidenceInput(
                kind=kind,
                text=form.cleaned_data[kind],
                link=link if index == 0 else "",
                file=form.cleaned_data["file"] if index == 0 else None,
            )
            for index, kind in enumerate(
                kind
                for kind in ("meetings", "members", "results", "documents")
                if form.cleaned_data[kind].strip()
            )
        ]
        try:
            community_verify(
                user=cast(User, request.user),  # login_required: never anonymous here
                community=community,
                evidence=evidence,
                comment=form.cleaned_data["comment"],
                sphere=form.cleaned_data["sphere"],
            )
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            messages.success(request, _("Сообщество подтверждено и опубликовано."))
            return redirect("team-community", pk=community.pk)
    # what the sign-ups wrote for its sphere, for the person who picks it
    written = sorted({text for text in community.signups.values_list("sphere_text", flat=True) if text})
    return render(
        request,
        "registry/team/community_verify.html",
        {"form": form, "community": community, "sphere_texts": written},
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    community = _editable(request, pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community_reject(user=request.user, community=community, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            messages.success(request, _("Сообщество отклонено."))
            return redirect("team")
    return render(request, "registry/team/community_reject.html", {"form": form, "community": community})


@login_required
@require_http_methods(["GET", "POST"])
def community_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    community = _editable(request, pk)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community_archive(user=request.user, community=community, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            messages.success(request, _("Сообщество перенесено в архив."))
            return redirect("team-community", pk=community.pk)
    return render(request, "registry/team/community_archive.html", {"form": form, "community": community})
