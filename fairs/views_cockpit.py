"""The coordinator's dashboard and the lists behind each of its figures. Coordinators only (the
«Координаторы программы» group; staff status plays no part); anyone else is told nothing exists."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from fairs.cockpit import (
    FAIR_STATE_LABELS,
    MEASURES,
    dashboard_build,
    dashboard_sorted,
    fair_list_in,
    progress_by_month,
)
from fairs.cockpit_charts import BANDS, map_shapes, progress_chart
from registry.models import Programme
from registry.selectors.cockpit import (
    LAPSING_DAYS,
    PACE_LABELS,
    PACE_RULE,
    lapsing_list,
    municipality_outlines,
    team_list,
)
from registry.selectors.communities import community_pending_list
from registry.selectors.programme import programme_municipalities
from registry.views_access import coordinator_required, programme_or_404


def _scope(request: HttpRequest, programme: Programme) -> tuple[list[int], Any]:
    """The municipalities a list covers: one programme municipality (?municipality=id), or all of
    the programme's; `None` for the chosen one when the list covers them all."""
    municipalities = programme_municipalities(programme=programme)
    wanted = request.GET.get("municipality", "")
    chosen = next((item for item in municipalities if str(item.pk) == wanted), None)
    if wanted and chosen is None:
        raise Http404
    return ([chosen.pk] if chosen else [item.pk for item in municipalities]), chosen


def _row_links(pk: int, municipality: Any) -> dict[str, str]:
    """Where each figure of a row leads: the list it counts."""
    query = f"?municipality={pk}"
    return {
        "communities": municipality.get_absolute_url(),  # the public list: the same published ones
        "leaders": reverse("team-leaders") + query + "&counted=1",
        "fairs": reverse("programme-fairs") + query,
    }


@require_safe
@never_cache
@coordinator_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404()
    dashboard = dashboard_build(user=request.user, programme=programme)
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("order") == "desc"
    rows = dashboard_sorted(dashboard.rows, key=sort, descending=descending)
    outlines = municipality_outlines(municipality_ids=[row.municipality.pk for row in rows])
    points = progress_by_month(programme=programme)
    return render(
        request,
        "registry/cockpit/dashboard.html",
        {
            "dashboard": dashboard,
            "programme": programme,
            "table": [(row, _row_links(row.municipality.pk, row.municipality)) for row in rows],
            "measure_keys": MEASURES,
            "sort": sort,
            "descending": descending,
            "pace_rule": PACE_RULE,
            "pace_labels": PACE_LABELS,
            "fair_labels": FAIR_STATE_LABELS,
            "lapsing_days": LAPSING_DAYS,
            "elapsed_percent": round(dashboard.pace.elapsed_share * 100),
            "outlines": outlines,
            "shapes": map_shapes(progress=dashboard.progress, outlines=outlines),
            "bands": BANDS,
            "chart": progress_chart(programme=programme, points=points, progress=dashboard.progress),
            "points": points,
            "now": timezone.now(),
        },
    )


@require_safe
@never_cache
@coordinator_required
def pending_view(request: HttpRequest) -> HttpResponse:
    """What waits for verification, oldest first, with where it came from. Programme municipalities
    by default; ?scope=outside shows the proposals elsewhere (counted apart, never mixed in)."""
    programme = programme_or_404()
    ids, chosen = _scope(request, programme)
    every = community_pending_list(user=request.user).select_related("municipality__region", "sphere")
    outside = every.exclude(municipality_id__in=programme.municipalities.values("pk"))
    is_outside = request.GET.get("scope") == "outside" and chosen is None
    communities = outside if is_outside else every.filter(municipality_id__in=ids)
    return render(
        request,
        "registry/cockpit/pending.html",
        {
            "communities": communities[:500],
            "count": communities.count(),
            "outside_count": outside.count(),
            "is_outside": is_outside,
            "chosen": chosen,
            "now": timezone.now(),
        },
    )


@require_safe
@never_cache
@coordinator_required
def lapsing_view(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404()
    ids, chosen = _scope(request, programme)
    try:
        days = int(request.GET.get("days", "90"))
    except ValueError:
        days = 90
    if days not in LAPSING_DAYS:
        days = 90
    communities = lapsing_list(user=request.user, municipality_ids=ids, days=days).select_related(
        "municipality__region", "sphere"
    )
    return render(
        request,
        "registry/cockpit/lapsing.html",
        {"communities": communities, "days": days, "chosen": chosen, "lapsing_days": LAPSING_DAYS},
    )


@require_safe
@never_cache
@coordinator_required
def team_view(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404()
    ids, chosen = _scope(request, programme)
    members = team_list(municipality_ids=ids)
    staffed = {member.municipality_id for member in members}
    without = [
        item
        for item in programme_municipalities(programme=programme)
        if item.pk in ids and item.pk not in staffed
    ]
    return render(
        request,
        "registry/cockpit/team.html",
        {"members": members, "without": without, "chosen": chosen},
    )


@require_safe
@never_cache
@coordinator_required
def fairs_view(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404()
    ids, chosen = _scope(request, programme)
    fairs = fair_list_in(municipality_ids=ids)
    in_period = Q(date__gte=programme.starts_on, date__lte=programme.ends_on)
    return render(
        request,
        "registry/cockpit/fairs.html",
        {
            "fairs": fairs,
            "chosen": chosen,
            "programme": programme,
            "outside_period": fairs.exclude(in_period).count(),
        },
    )
