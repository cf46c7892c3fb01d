"""Public registry pages: a municipality with its published communities, a community, the cases.

Every read goes through the actor-scoped selectors, so a proposed or rejected community never
reaches the public; a team member sees their own unpublished ones with a status banner."""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from geo.models import LocationPrecision, Municipality
from geo.selectors import municipality_by_slug, municipality_list
from registry.maps.builders import community_map, municipality_map, region_map
from registry.maps.cache import REGION, map_cached
from registry.maps.render import EMBED_DEFAULT_HEIGHT, EMBED_HEIGHTS, embed_snippet
from registry.models import Community, Sphere
from registry.pages import public_page
from registry.selectors.cases import case_public_list
from registry.selectors.communities import (
    community_get,
    community_public_counts,
    community_public_in,
    community_public_list,
    community_search,
)
from registry.selectors.leaders import leader_public_list
from registry.selectors.maps import community_map_points, municipality_shape
from registry.selectors.programme import programme_current

SEARCH_MAX_LENGTH = 100
# The list beside the map shows this many at a time (the map shows them all).
LIST_PAGE_SIZE = 100


@dataclass(frozen=True)
class SphereGroup:
    sphere: Sphere
    communities: list[Community]


@dataclass(frozen=True)
class SphereFacet:
    sphere: Sphere
    count: int
    is_selected: bool


def municipality_or_404(slug: str) -> Municipality:
    municipality = municipality_by_slug(slug=slug)
    if municipality is None:
        raise Http404
    return municipality


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The region overview: programme municipalities with their published communities, then the rest."""
    # Counting 1,000,000 communities takes a while: cached with the region map, invalidated with it.
    counts = map_cached(scope=REGION, variant="counts", build=community_public_counts)
    programme = programme_current()
    participating = set(programme.municipalities.values_list("pk", flat=True)) if programme else set()
    # The table needs names only: the boundaries (megabytes for 342 districts) stay in the database.
    municipalities = list(
        municipality_list(level=Municipality.Level.TOP)
        .select_related(None)
        .select_related("region")
        .defer("boundary", "boundary_simplified", "region__outline")
        .order_by("region__name", "name")
    )
    for municipality in municipalities:
        municipality.public_count = counts.get(municipality.pk, 0)  # type: ignore[attr-defined]
    programme_rows = [item for item in municipalities if item.pk in participating]
    others = [item for item in municipalities if item.pk not in participating]
    regions = [(region, list(items)) for region, items in groupby(others, key=lambda item: item.region)]
    regions.sort(key=lambda pair: (pair[0].iso_code != settings.GEO_HOME_REGION_ISO, pair[0].name))
    built = map_cached(
        scope=REGION, variant="region", build=lambda: region_map(geojson_url=reverse("region-map-json"))
    )
    return render(
        request,
        "registry/public/home.html",
        {
            "programme": programme,
            "programme_rows": programme_rows,
            "regions": regions,
            "total": sum(counts.values()),
            "programme_total": sum(counts.get(pk, 0) for pk in participating),
            "with_communities": sum(1 for item in programme_rows if counts.get(item.pk)),
            "region_map": built,
            "spheres": Sphere.objects.filter(is_active=True).order_by("position", "name"),
        },
    )


@public_page
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = municipality_or_404(slug)
    query = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
    sphere_code = request.GET.get("sphere", "").strip()

    published = community_public_in(municipality=municipality)
    total_count = published.count()
    found = community_search(communities=published, query=query) if query else published
    counts = dict(
        found.order_by().values("sphere").annotate(count=Count("id")).values_list("sphere", "count")
    )
    spheres = list(Sphere.objects.filter(Q(is_active=True) | Q(pk__in=list(counts))))
    selected = next((sphere for sphere in spheres if sphere_code and sphere.code == sphere_code), None)
    unknown_sphere = bool(sphere_code) and selected is None
    if selected is not None:
        found = found.filter(sphere=selected)
    map_variant = f"page:{selected.code if selected else ''}:{query}"
    built = map_cached(
        scope=municipality.pk,
        variant=map_variant,
        build=lambda: municipality_map(
            municipality=municipality,
            shape=municipality_shape(municipality=municipality),
            points=community_map_points(communities=found),
            spheres=spheres,
        ),
    )
    # the municipality's boundary came along with every row of the page (100 copies, 16,000 rows
    # sorted with it): a third of a cold page's time at 16,000 communities
    ordered = (
        found.order_by("sphere__position", "sphere__name", "name", "id")
        .select_related("sphere", "settlement")
        .defer("area", "municipality__boundary", "municipality__boundary_simplified")
    )
    page = Paginator(ordered, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    communities = list(page.object_list)
    groups = [
        SphereGroup(sphere, list(items))
        for sphere, items in groupby(communities, key=lambda community: community.sphere)
    ]
    facets = [
        SphereFacet(sphere, counts[sphere.pk], sphere == selected)
        for sphere in spheres
        if sphere.pk in counts
    ]

    children = municipality.children.order_by("name")
    settlements_count = (
        municipality.settlements.count()
        if municipality.level == Municipality.Level.TOP
        else municipality.settlements_inside.count()
    )
    embed_url = request.build_absolute_uri(reverse("municipality-embed", kwargs={"slug": municipality.slug}))
    embed_title = f"{_('Карта сообществ')}: {municipality.name}"
    return render(
        request,
        "registry/public/municipality_detail.html",
        {
            "municipality": municipality,
            "children": children,
            "settlements_count": settlements_count,
            "groups": groups,
            "facets": facets,
            "found_count": page.paginator.count,
            "page": page,
            "municipality_map": built,
            "embed_url": embed_url,
            "embed_heights": EMBED_HEIGHTS,
            "embed_default_height": EMBED_DEFAULT_HEIGHT,
            "embed_snippet": embed_snippet(url=embed_url, title=embed_title, height=EMBED_DEFAULT_HEIGHT),
            "embed_template": embed_snippet(url=embed_url, title=embed_title, height="{height}"),
            "total_count": total_count,
            "search_count": sum(counts.values()),
            "query": query,
            "selected_sphere": selected,
            "unknown_sphere": unknown_sphere,
            "is_filtered": bool(query) or selected is not None,
        },
    )


@public_page
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get(user=request.user, slug=slug)
    if community is None:
        raise Http404(_("Сообщество не найдено"))
    is_public = community_public_list().filter(pk=community.pk).exists()
    today = timezone.localdate()
    cases = community.cases.filter(is_published=True).order_by("-published_at", "-id")
    point, precision = community.public_point, community.public_precision
    area = (
        json.loads(community.area.geojson)
        if community.area is not None and precision == LocationPrecision.EXACT
        else None
    )
    outline = (
        municipality_shape(municipality=community.municipality)
        if precision == LocationPrecision.MUNICIPALITY
        else None
    )
    built = (
        community_map(
            community=community, point=(point.x, point.y), precision=precision, area=area, outline=outline
        )
        if point is not None
        else None
    )
    return render(
        request,
        "registry/public/community_detail.html",
        {
            "community": community,
            "is_public": is_public,
            "is_lapsed": community.verified_until is not None and community.verified_until < today,
            "leaders": leader_public_list(community=community),
            "cases": list(cases),
            "links": list(community.links),
            "community_map": built,
            "location_precision": precision,
            "place_caption": community.public_place_caption,
        },
    )


@public_page
def case_list(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/public/case_list.html", {"cases": list(case_public_list())})


PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


@require_safe
@cache_control(public=True, max_age=24 * 3600)
def case_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A published case's photo. Only these are served from the uploads: the rest of MEDIA_ROOT
    (a community's evidence files) stays private. An image type only, named by its suffix."""
    case = case_public_list().filter(pk=pk).exclude(photo="").first()
    suffix = Path(case.photo.name).suffix.lower() if case is not None else ""
    if case is None or suffix not in PHOTO_TYPES or not case.photo.storage.exists(case.photo.name):
        raise Http404
    return FileResponse(case.photo.open("rb"), content_type=PHOTO_TYPES[suffix])
