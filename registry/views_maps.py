"""Map pages beyond the public pages themselves: a marker's popup, the iframe embed, the offline file."""

from __future__ import annotations

import json

from csp.decorators import csp_exempt, csp_replace
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition, require_safe

from geo.basemap import municipality_base_layers
from geo.models import Municipality
from registry.maps.builders import BuiltMap, municipality_map, region_features
from registry.maps.cache import REGION, map_cached, map_data_version
from registry.maps.standalone import standalone_assets, standalone_data
from registry.models import Sphere
from registry.selectors.communities import community_public_counts, community_public_in
from registry.selectors.maps import (
    community_map_points,
    community_popup,
    community_popups,
    municipality_shape,
    region_shapes,
)
from registry.selectors.programme import programme_current
from registry.views_public import municipality_or_404


@require_safe
@cache_control(public=True, max_age=300)
def community_popup_json(request: HttpRequest, pk: int) -> JsonResponse:
    """What a marker's popup says: published communities only (404 for any other id)."""
    popup = community_popup(pk=pk)
    if popup is None:
        raise Http404
    return JsonResponse(popup.as_dict())


def _region_json() -> str:
    counts = map_cached(scope=REGION, variant="counts", build=community_public_counts)
    programme = programme_current()
    participating = set(programme.municipalities.values_list("pk", flat=True)) if programme else set()
    shapes = region_shapes(municipality_ids=participating, home_region_iso=settings.GEO_HOME_REGION_ISO)
    features = region_features(shapes=shapes, counts=counts, participating=participating)
    return json.dumps(features, ensure_ascii=False, separators=(",", ":"))


@require_safe
@cache_control(public=True, max_age=300)
@condition(etag_func=lambda request: f"region-{map_data_version(REGION)}-{get_language()}")
def region_map_json(request: HttpRequest) -> HttpResponse:
    """The region map's municipalities with their counts and colours: one cached file, revalidated
    by the version that invalidates the map cache (304 until a community changes)."""
    text = map_cached(scope=REGION, variant="region-json", build=_region_json)
    return HttpResponse(text, content_type="application/geo+json; charset=utf-8")


def _whole_map(municipality: Municipality, *, offline: bool) -> BuiltMap:
    communities = community_public_in(municipality=municipality)
    spheres = list(Sphere.objects.order_by("position", "name"))

    def build() -> BuiltMap:
        popups = (
            {pk: popup.as_dict() for pk, popup in community_popups(communities=communities).items()}
            if offline
            else None
        )
        return municipality_map(
            municipality=municipality,
            shape=municipality_shape(municipality=municipality),
            points=community_map_points(communities=communities),
            spheres=spheres,
            popups=popups,
        )

    return map_cached(scope=municipality.pk, variant="offline" if offline else "all", build=build)


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]
def municipality_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The municipality map alone, for an <iframe> on a municipal website (any site may frame it)."""
    municipality = municipality_or_404(slug)
    return render(
        request,
        "registry/maps/embed.html",
        {"municipality": municipality, "municipality_map": _whole_map(municipality, offline=False)},
    )


@require_safe
@csp_exempt()  # type: ignore[arg-type]
def municipality_map_download(request: HttpRequest, slug: str) -> HttpResponse:
    """A standalone HTML file of the municipality map that works opened from disk: scripts, styles,
    images, data and the outline inlined, links to this site absolute (registry/maps/standalone.py)."""
    municipality = municipality_or_404(slug)
    built = _whole_map(municipality, offline=True)
    data = standalone_data(
        data=built.data,
        absolute=request.build_absolute_uri,
        base=municipality_base_layers(municipality=municipality),
    )
    html = render_to_string(
        "registry/maps/standalone.html",
        {
            "municipality": municipality,
            "municipality_map": built,
            "map_data": data,
            "site_url": request.build_absolute_uri(municipality.get_absolute_url()),
            **standalone_assets(),
            "tile_url": settings.MAP_TILE_URL,
            "generated": timezone.localdate(),
        },
        request=request,
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    filename = f"karta-{municipality.slug}-{timezone.localdate():%Y-%m-%d}.html"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
