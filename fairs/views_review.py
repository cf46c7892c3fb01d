"""The fair's review queue on one page: rows in doubt beside their candidates, invalid rows with the
bad field editable in place, and decisions on many rows at once (each confirmed first)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fairs.intake.fields import FIELD_LABELS
from fairs.models import Fair, Signup
from fairs.selectors.candidates import community_distances_m
from fairs.services.fixing import FIXABLE_FIELDS, signup_bad_fields, signup_fix, signup_values
from fairs.services.review import signup_create_new, signup_merge, signup_reject
from fairs.services.review_bulk import (
    review_merge_suggested_list,
    review_new_suggested_list,
    signup_create_new_suggested,
    signup_merge_suggested,
)
from fairs.views import _fair
from geo.errors import DomainError, ErrorItem
from geo.place_lookup import place_locate
from registry.models import Community, Sphere
from registry.selectors.communities import community_editable_list

MERGE_SCORE_DEFAULT = 0.9
NEW_SCORE_DEFAULT = 0.7


def _score(request: HttpRequest, name: str, default: float) -> float:
    try:
        value = float(request.POST.get(name, request.GET.get(name, default)))
    except (TypeError, ValueError):
        return default
    return min(max(value, 0.0), 1.0)


def _place_candidates(signup: Signup) -> list[Any]:
    if signup.settlement_id or not signup.place_text:
        return []
    return list(place_locate(signup.place_text, municipality=signup.municipality).candidates)


def _decide_one(request: HttpRequest, fair: Fair, user: User) -> HttpResponse | None:
    """One row's decision; a fix that is still wrong re-renders the page with what was typed."""
    signup = get_object_or_404(
        fair.signups,
        pk=request.POST.get("signup"),
        status__in=[Signup.Status.NEEDS_REVIEW, Signup.Status.INVALID],
    )
    action = request.POST.get("action")
    try:
        if action == "merge":
            community = (
                community_editable_list(user=user).filter(pk=request.POST.get("community") or 0).first()
            )
            if community is None:
                raise DomainError(
                    ErrorItem("community", _("Выберите сообщество, с которым объединить"), "required")
                )
            signup_merge(user=user, signup=signup, community=community)
        elif action == "new":
            sphere = Sphere.objects.filter(pk=request.POST.get("sphere") or 0, is_active=True).first()
            signup_create_new(
                user=user,
                signup=signup,
                sphere=sphere,
                settlement_oktmo=request.POST.get("settlement") or None,
            )
        elif action == "fix":
            values = {key: request.POST.get(key, "") for key in FIXABLE_FIELDS}
            try:
                fixed = signup_fix(user=user, signup=signup, values=values)
            except DomainError as error:
                return _page(
                    request, fair, fix={"signup": signup.pk, "values": values, "errors": error.items}
                )
            messages.success(
                request,
                _("Строка {} исправлена: {}.").format(signup.row_number or "—", fixed.get_status_display()),
            )
            return None
        elif action == "reject":
            signup_reject(user=user, signup=signup, reason=request.POST.get("reason", ""))
        else:
            raise DomainError(ErrorItem("action", _("Неизвестное действие"), "action_unknown"))
    except DomainError as error:
        for item in error.items:
            messages.error(request, f"{_('Строка')} {signup.row_number or '—'}: {item.message}")
    else:
        messages.success(request, _("Решение по строке {} сохранено.").format(signup.row_number or "—"))
    return None


def _decide_many(request: HttpRequest, fair: Fair, user: User, action: str) -> HttpResponse | None:
    """Many rows at once: the first POST shows what would happen; the confirmed one does it."""
    merge_score = _score(request, "min_score", MERGE_SCORE_DEFAULT)
    new_score = _score(request, "below_score", NEW_SCORE_DEFAULT)
    if request.POST.get("confirm") != "1":
        pairs: list[tuple[Signup, Community | None]]
        if action == "merge_all":
            pairs = list(review_merge_suggested_list(user=user, fair=fair, min_score=merge_score))
        else:
            pairs = [(signup, None) for signup in review_new_suggested_list(fair=fair, below_score=new_score)]
        return render(
            request,
            "fairs/team/fair_review_confirm.html",
            {
                "fair": fair,
                "action": action,
                "pairs": pairs,
                "min_score": merge_score,
                "below_score": new_score,
            },
        )
    try:
        if action == "merge_all":
            done = signup_merge_suggested(user=user, fair=fair, min_score=merge_score)
            messages.success(request, _("Объединено строк: {}.").format(len(done)))
        else:
            done = signup_create_new_suggested(user=user, fair=fair, below_score=new_score)
            messages.success(request, _("Создано новых сообществ: {}.").format(len(done)))
    except DomainError as error:  # one row refused: the whole batch is rolled back
        for item in error.items:
            messages.error(request, _("Ничего не изменено: {}").format(item.message))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def fair_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    fair = _fair(request, pk)
    user = cast(User, request.user)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in {"merge_all", "new_all"}:
            response = _decide_many(request, fair, user, action)
        else:
            response = _decide_one(request, fair, user)
        return response or redirect("fair-review", pk=fair.pk)
    return _page(request, fair)


def _page(request: HttpRequest, fair: Fair, *, fix: dict[str, Any] | None = None) -> HttpResponse:
    pending = list(
        fair.signups.filter(status=Signup.Status.NEEDS_REVIEW).select_related(
            "settlement", "municipality", "sphere"
        )
    )
    communities = Community.objects.in_bulk(
        [item["community"] for signup in pending for item in signup.candidates]
    )
    rows = []
    for signup in pending:
        distances = community_distances_m(
            point=signup.location, community_ids=[item["community"] for item in signup.candidates]
        )
        candidates = [
            {
                "community": communities[item["community"]],
                "score": item["score"],
                "distance_m": distances.get(item["community"]),
            }
            for item in signup.candidates
            if item["community"] in communities
        ]
        rows.append({"signup": signup, "candidates": candidates, "places": _place_candidates(signup)})
    invalid = []
    for signup in fair.signups.filter(status=Signup.Status.INVALID).select_related("source_import", "fair"):
        is_refixed = fix is not None and fix["signup"] == signup.pk
        values = fix["values"] if fix is not None and is_refixed else signup_values(signup=signup)
        errors = [item.message for item in fix["errors"]] if fix is not None and is_refixed else None
        bad = signup_bad_fields(signup=signup)
        invalid.append(
            {
                "signup": signup,
                "errors": errors if errors is not None else [item["message"] for item in signup.errors],
                "fields": [
                    {
                        "name": key,
                        "label": FIELD_LABELS[key],
                        "value": values.get(key, ""),
                        "is_bad": key in bad,
                    }
                    for key in FIXABLE_FIELDS
                ],
            }
        )
    return render(
        request,
        "fairs/team/fair_review.html",
        {
            "fair": fair,
            "rows": rows,
            "invalid": invalid,
            "spheres": Sphere.objects.filter(is_active=True),
            "min_score": MERGE_SCORE_DEFAULT,
            "below_score": NEW_SCORE_DEFAULT,
        },
        status=400 if fix is not None else 200,
    )
