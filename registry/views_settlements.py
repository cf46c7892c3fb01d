"""Villages on the map: the team's list of settlements without a point, and placing one (a click on
the map or a suggested point). Parse, call one service, render."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from geo.errors import DomainError
from geo.validation import point_parse
from registry.forms import form_add_domain_errors
from registry.selectors.settlements import (
    settlement_suggested_point,
    settlement_team_get,
    settlement_team_list,
)
from registry.services.settlements import settlement_place

WHICH = {
    "missing": gettext_lazy("без точки"),
    "team": gettext_lazy("поставлены командой"),
    "all": gettext_lazy("все"),
}


class PlaceForm(forms.Form):
    lon = forms.CharField(label=gettext_lazy("Долгота"), max_length=30)
    lat = forms.CharField(label=gettext_lazy("Широта"), max_length=30)


@login_required
@require_safe
def settlement_list_view(request: HttpRequest) -> HttpResponse:
    which = request.GET.get("which", "missing")
    which = which if which in WHICH else "missing"
    query = request.GET.get("q", "")[:100]
    settlements = settlement_team_list(user=request.user, which=which, query=query)
    page = Paginator(settlements, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/team/settlements.html",
        {"page": page, "which": which, "choices": WHICH.items(), "q": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def settlement_place_view(request: HttpRequest, pk: int) -> HttpResponse:
    settlement = settlement_team_get(user=request.user, pk=pk)
    if settlement is None:
        raise Http404  # another district's: as if it did not exist
    suggested, suggested_from = settlement_suggested_point(settlement=settlement)
    initial = {}
    if settlement.point is not None:
        initial = {"lon": f"{settlement.point.x:.6f}", "lat": f"{settlement.point.y:.6f}"}
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            point = point_parse(form.cleaned_data["lon"], form.cleaned_data["lat"])
            settlement_place(user=cast(User, request.user), settlement=settlement, point=point)
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            messages.success(request, _("Точка «{}» сохранена.").format(settlement))
            return redirect("team-settlements")
    return render(
        request,
        "registry/team/settlement_place.html",
        {
            "settlement": settlement,
            "form": form,
            "suggested": suggested,
            "suggested_from": suggested_from,
            "communities": settlement.communities.order_by("name")[:20],
        },
    )
