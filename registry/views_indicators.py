"""Before/after indicators: a team enters its municipality's values, a coordinator approves them;
the programme-wide value by the indicator's stated rule."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from geo.errors import DomainError
from registry.forms import form_add_domain_errors
from registry.forms_cockpit import IndicatorValueForm, ReviewForm
from registry.models import IndicatorValue
from registry.selectors.indicators import indicator_summaries, indicator_value_list
from registry.selectors.teams import team_municipalities, user_is_coordinator
from registry.services.indicators import indicator_value_review, indicator_value_submit
from registry.views_access import coordinator_required, programme_or_404


@login_required
@require_http_methods(["GET", "POST"])
def indicator_list_view(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404()
    user = cast(User, request.user)
    scope = team_municipalities(user=user)
    if not scope.filter(pk__in=programme.municipalities.all()).exists():
        raise Http404
    form = IndicatorValueForm(request.POST or None, programme=programme, municipalities=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator_value_submit(
                user=user,
                indicator=data["indicator"],
                municipality=form.municipality_object(),
                period=data["period"],
                value=data["value"],
                weight=data["weight"],
                measured_on=data["measured_on"],
                source=data["source"],
                method=data["method"],
            )
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            messages.success(request, _("Значение сохранено и ждёт утверждения координатором."))
            return redirect("programme-indicators")
    values = indicator_value_list(user=user, programme=programme)
    return render(
        request,
        "registry/cockpit/indicators.html",
        {
            "programme": programme,
            "form": form,
            "values": values,
            "summaries": indicator_summaries(programme=programme),
            "is_coordinator": user_is_coordinator(user=user),
            "review_form": ReviewForm(),
            "submitted": IndicatorValue.Status.SUBMITTED,
        },
    )


@require_POST
@coordinator_required
def indicator_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_or_404()
    item = indicator_value_list(user=request.user, programme=programme).filter(pk=pk).first()
    if item is None:
        raise Http404
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    try:
        indicator_value_review(user=cast(User, request.user), item=item, approve=approve, note=note)
    except DomainError as error:
        messages.error(request, "; ".join(entry.message for entry in error.items))
    else:
        messages.success(request, _("Значение утверждено.") if approve else _("Значение возвращено команде."))
    return redirect("programme-indicators")
