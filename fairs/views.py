"""Fair pages, and the erasure page: erasure spans fairs and the registry, so it lives here."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fairs.services.erasure import leader_erase
from registry.forms import EraseForm
from registry.views_leaders import leader_editable_get


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
