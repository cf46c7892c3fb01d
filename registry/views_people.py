"""People pages across municipalities: the leaders list with its filters and counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from registry.models import Leader
from registry.selectors.people import CONSENT_STATES, LeaderFilters, leader_directory, leader_directory_counts
from registry.selectors.pickers import municipality_choices
from registry.selectors.programme import leader_counted_ids, programme_current
from registry.selectors.teams import team_municipalities

QUERY_MAX_LENGTH = 100


@login_required
@require_safe
@never_cache
def leader_list_view(request: HttpRequest) -> HttpResponse:
    scope = team_municipalities(user=request.user)
    if not scope.exists():
        raise Http404
    municipality_id = request.GET.get("municipality", "")
    chosen = scope.filter(pk=municipality_id).first() if municipality_id.isdigit() else None
    programme = programme_current()
    is_counted = request.GET.get("counted") == "1" and programme is not None
    filters = LeaderFilters(
        municipality_id=chosen.pk if chosen else None,
        role=request.GET.get("role", ""),
        consent=request.GET.get("consent", ""),
        query=request.GET.get("q", "")[:QUERY_MAX_LENGTH],
        leader_ids=leader_counted_ids(programme=programme) if is_counted and programme else None,
    )
    leaders = leader_directory(user=request.user, filters=filters)
    page = Paginator(leaders, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/team/leader_list.html",
        {
            "page": page,
            "counts": leader_directory_counts(leaders=leaders),
            "filters": filters,
            "chosen": chosen,
            "is_counted": is_counted,
            "municipality_groups": municipality_choices(municipalities=scope, programme=programme),
            "roles": Leader.CitizenRole.choices,
            "consent_states": CONSENT_STATES.items(),
            "role_labels": dict(Leader.CitizenRole.choices),
        },
    )
