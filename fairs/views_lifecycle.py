"""A fair through its life on the team's fair page: plan → prepare (poster with QR, sign-up link) →
hold (the real number of participants) → import sheets → review → verify. Each step a visible state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fairs.forms_team import FairHeldForm, FairPlanForm
from fairs.models import Fair, Signup
from fairs.selectors.fairs import fair_get
from fairs.services.fairs import fair_mark_held, fair_plan_update
from geo.errors import DomainError
from registry.models import Community
from registry.selectors.communities import community_editable_list


@dataclass(frozen=True)
class FairStep:
    title: str | Promise
    is_done: bool
    is_current: bool = False


def fair_steps(fair: Fair) -> list[FairStep]:
    has_signups = fair.signups.exists()
    is_held = fair.status == Fair.Status.HELD
    has_imports = fair.imports.exists()
    is_reviewed = has_imports and not fair.signups.filter(status=Signup.Status.NEEDS_REVIEW).exists()
    from_fair = fair_communities(fair=fair, user=None)
    is_verified = from_fair.exists() and not from_fair.filter(status=Community.Status.PROPOSED).exists()
    done = [True, has_signups or is_held, is_held, has_imports, is_reviewed, is_verified]
    titles = [
        gettext_lazy("Запланирована"),
        gettext_lazy("Подготовка: плакат с QR-кодом и ссылка на запись"),
        gettext_lazy("Проведена"),
        gettext_lazy("Листы заявок загружены"),
        gettext_lazy("Спорные заявки разобраны"),
        gettext_lazy("Сообщества подтверждены"),
    ]
    current = next((index for index, is_done in enumerate(done) if not is_done), len(done))
    return [
        FairStep(title, is_done, index == current)
        for index, (title, is_done) in enumerate(zip(titles, done, strict=True))
    ]


def fair_communities(*, fair: Fair, user: User | None) -> QuerySet[Community]:
    """The communities this fair's sign-ups created or matched."""
    communities = Community.objects.filter(signups__fair=fair).distinct()
    if user is not None:
        communities = communities.filter(pk__in=community_editable_list(user=user).values("pk"))
    return communities.select_related("sphere").order_by("name")


def _fair(request: HttpRequest, pk: int) -> Fair:
    fair = fair_get(user=request.user, pk=pk)
    if fair is None:
        raise Http404  # another team's fair: as if it did not exist
    return fair


@login_required
@require_POST
def fair_held_view(request: HttpRequest, pk: int) -> HttpResponse:
    fair = _fair(request, pk)
    form = FairHeldForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("fair-detail", pk=fair.pk)
    try:
        fair_mark_held(
            user=cast(User, request.user), fair=fair, participants=form.cleaned_data["participants"]
        )
    except DomainError as error:
        for item in error.items:
            messages.error(request, item.message)
    else:
        messages.success(
            request, _("Ярмарка отмечена проведённой: участников — {}.").format(fair.visitor_count)
        )
    return redirect(reverse("fair-detail", args=[fair.pk]) + "#steps")


@login_required
@require_POST
def fair_plan_view(request: HttpRequest, pk: int) -> HttpResponse:
    fair = _fair(request, pk)
    form = FairPlanForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("fair-detail", pk=fair.pk)
    try:
        fair_plan_update(user=cast(User, request.user), fair=fair, **form.cleaned_data)
    except DomainError as error:
        for item in error.items:
            messages.error(request, item.message)
    else:
        messages.success(request, _("План ярмарки сохранён."))
    return redirect("fair-detail", pk=fair.pk)
