"""Region-wide search (name, settlement, sphere): the home page's box leads here."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from registry.models import Sphere
from registry.pages import public_page
from registry.selectors.search import community_region_search
from registry.views_public import SEARCH_MAX_LENGTH

RESULTS_PAGE_SIZE = 50


@require_safe
@public_page
def search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
    sphere_code = request.GET.get("sphere", "").strip()
    spheres = list(Sphere.objects.filter(is_active=True).order_by("position", "name"))
    selected = next((sphere for sphere in spheres if sphere_code and sphere.code == sphere_code), None)
    is_searching = bool(query) or selected is not None
    page = (
        Paginator(community_region_search(query=query, sphere=selected), RESULTS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        if is_searching
        else None
    )
    return render(
        request,
        "registry/public/search.html",
        {
            "query": query,
            "spheres": spheres,
            "selected_sphere": selected,
            "unknown_sphere": bool(sphere_code) and selected is None,
            "is_searching": is_searching,
            "page": page,
        },
    )
