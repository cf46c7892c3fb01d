"""Printable maps on an A4 or A3 sheet, landscape or portrait: title, legend, date and attribution,
published communities only at their public points, the same for everyone. A municipality's sheet
(its outline and its communities) and the region's (the programme's municipalities coloured like the
region map, with the communities when few enough to read); the coordinator's dashboard links both."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from geo.models import Region
from registry.maps.builders import OUTSIDE_FILL, count_fill, region_legend
from registry.maps.cache import REGION, map_cached
from registry.maps.printable import PrintedMap, Shape, printable_map
from registry.models import Sphere
from registry.selectors.communities import community_public_counts, community_public_in, community_public_list
from registry.selectors.maps import MapPoint, community_map_points, municipality_shape, region_shapes
from registry.selectors.programme import programme_current
from registry.views_public import municipality_or_404

# The drawing's frame in CSS pixels (96 per inch) for each sheet, less the page margins and the
# title; landscape keeps the legend beside the drawing, portrait below it.
FRAMES = {
    ("a4", "landscape"): (760, 560),
    ("a3", "landscape"): (1120, 820),
    ("a4", "portrait"): (710, 700),
    ("a3", "portrait"): (1040, 1130),
}
# Beyond this many communities the region's sheet shows the counts only: dots would merge into a
# smear (and a million of them would not fit a page anyway).
REGION_DOTS_MAX = 3000
MUNICIPALITY_FILL = "#f3f1ea"


@dataclass(frozen=True)
class Sheet:
    size: str
    orientation: str

    @property
    def page(self) -> str:
        """The CSS named page (static/css/print-map.css)."""
        return self.size if self.orientation == "landscape" else f"{self.size}-{self.orientation}"

    @property
    def frame(self) -> tuple[int, int]:
        return FRAMES[(self.size, self.orientation)]


def _sheet(request: HttpRequest) -> Sheet:
    """The sheet asked for; anything unknown falls back to A4 landscape (never echoed)."""
    size = request.GET.get("size", "a4").lower()
    orientation = request.GET.get("orientation", "landscape").lower()
    if (size, orientation) not in FRAMES:
        size = size if (size, "landscape") in FRAMES else "a4"
        orientation = "landscape"
    return Sheet(size, orientation)


def _sphere_dots(points: list[MapPoint]) -> tuple[list[tuple[float, float, str]], list[tuple[Sphere, int]]]:
    """Each community's dot in its sphere's colour, and the legend of the spheres present."""
    spheres = {sphere.pk: sphere for sphere in Sphere.objects.all()}
    counts = Counter(point[2] for point in points)  # communities per sphere id
    dots = [(lon, lat, spheres[sphere_id].color) for lon, lat, sphere_id, *_ in points]
    legend = [
        (sphere, counts[sphere.pk])
        for sphere in sorted(spheres.values(), key=lambda item: (item.position, item.name))
        if counts[sphere.pk]
    ]
    return dots, legend


def _render(
    request: HttpRequest,
    *,
    sheet: Sheet,
    areas: list[tuple[Shape, str]],
    points: list[MapPoint],
    **context: Any,
) -> HttpResponse:
    dots, spheres = _sphere_dots(points)
    width, height = sheet.frame
    drawing: PrintedMap = printable_map(areas=areas, points=dots, width=width, height=height)
    return render(
        request,
        "registry/maps/print.html",
        {
            "drawing": drawing,
            "legend": spheres,
            "sheet": sheet,
            "sizes": sorted({size for size, _orientation in FRAMES}, reverse=True),
            "orientations": [("landscape", _("альбомная")), ("portrait", _("книжная"))],
            "today": timezone.localdate(),
            **context,
        },
    )


@require_safe
def municipality_print_map(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = municipality_or_404(slug)
    points = community_map_points(communities=community_public_in(municipality=municipality))
    return _render(
        request,
        sheet=_sheet(request),
        areas=[(municipality_shape(municipality=municipality), MUNICIPALITY_FILL)],
        points=points,
        place=municipality.name,
        heading=_("Сообщества: {}").format(municipality.name),
        subtitle=municipality.region.name,
        total=len(points),
        boundaries=[(MUNICIPALITY_FILL, _("граница муниципалитета"))],
        back_url=municipality.get_absolute_url(),
    )


@require_safe
def region_print_map(request: HttpRequest) -> HttpResponse:
    """The programme's municipalities coloured by their published communities (the region map's
    classes), the rest of the home region drawn plainly; the dots when few enough."""
    programme = programme_current()
    participating = set(programme.municipalities.values_list("pk", flat=True)) if programme else set()
    counts = map_cached(scope=REGION, variant="counts", build=community_public_counts)
    total = sum(counts.get(pk, 0) for pk in participating)
    shapes = region_shapes(municipality_ids=participating, home_region_iso=settings.GEO_HOME_REGION_ISO)
    areas: list[tuple[Shape, str]] = [
        (
            shape.geometry,
            count_fill(counts.get(shape.municipality.pk, 0))
            if shape.municipality.pk in participating
            else OUTSIDE_FILL,
        )
        for shape in shapes
    ]
    with_dots = 0 < total <= REGION_DOTS_MAX
    points = (
        community_map_points(communities=community_public_list().filter(municipality_id__in=participating))
        if with_dots
        else []
    )
    regions = Region.objects.defer("outline")
    region = (
        regions.filter(pk=programme.region_id)
        if programme
        else regions.filter(iso_code=settings.GEO_HOME_REGION_ISO)
    ).first()
    place = programme.name if programme else (region.name if region else _("Регион"))
    return _render(
        request,
        sheet=_sheet(request),
        areas=areas,
        points=points,
        place=place,
        heading=_("Сообщества программы: {}").format(place),
        subtitle=region.name if region else "",
        total=total,
        boundaries=[(item.color, item.label) for item in region_legend()],
        boundaries_title=_("Опубликованных сообществ в муниципалитете"),
        dots_left_out=total > REGION_DOTS_MAX,
        dots_max=REGION_DOTS_MAX,
        back_url=reverse("home"),
    )
