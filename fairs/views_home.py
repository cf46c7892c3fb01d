"""The team home: what to do next, as a checklist with counts that link to the lists. It sits in
fairs because it counts fairs and sheet imports beside the registry's communities and members."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from fairs.models import SignupImport
from fairs.selectors.fairs import fair_list
from registry.models import Case
from registry.selectors.communities import (
    community_editable_list,
    community_pending_list,
    community_reverify_list,
)
from registry.selectors.district import district_counts
from registry.selectors.teams import team_membership_list, team_municipalities, user_is_coordinator


@dataclass(frozen=True)
class Step:
    title: str | Promise
    hint: str | Promise
    is_done: bool
    url: str
    count: int | None = None


@login_required
@require_safe
def team_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_coordinator = user_is_coordinator(user=user)
    counts = district_counts(user=user)
    fairs = fair_list(user=user)
    members = team_membership_list(user=user).count()
    municipalities = list(team_municipalities(user=user).order_by("name")[:50]) if not is_coordinator else []
    district = reverse("team-district")
    steps = [
        Step(_("Пригласите свою команду"), _("Четыре человека: НКО, администрация, муниципальная организация, лидер мнений."), members >= 4, reverse("team-members"), members),
        Step(_("Добавьте известные вам сообщества"), _("ТОСы, инициативные группы, клубы, НКО — всё, что уже знаете."), counts.total > 0, reverse("team-community-create"), counts.total),
        Step(_("Запланируйте ярмарку сообществ"), _("Дата, место и сколько участников ожидаете."), fairs.exists(), reverse("fair-list"), fairs.count()),
        Step(_("Загрузите лист заявок с ярмарки"), _("CSV или XLSX с бумажных анкет; спорные строки разберёте после."), SignupImport.objects.filter(fair__in=fairs).exists(), reverse("fair-list")),
        Step(_("Подтвердите сообщества"), _("Только по доказательствам: встречи, участники, результаты."), counts.verified > 0 and counts.proposed == 0, f"{district}?status=proposed", counts.proposed),
        Step(_("Напишите кейс успешного сообщества"), _("История и золотые правила; публикует координатор."), Case.objects.filter(community__in=community_editable_list(user=user)).exists(), reverse("team-roles")),
    ]  # fmt: skip
    return render(
        request,
        "registry/team/home.html",
        {
            "municipalities": municipalities,
            "is_coordinator": is_coordinator,
            "steps": steps,
            "counts": counts,
            "pending": community_pending_list(user=user)[:20],
            "reverify": community_reverify_list(user=user)[:20],
            "recent": community_editable_list(user=user).order_by("-updated_at")[:10],
        },
    )
