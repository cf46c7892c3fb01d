"""A municipality's printable map (A4 or A3, landscape): title, legend, date and attribution, the
published communities only, the same for everyone; the coordinator's dashboard links to it."""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from registry.maps.printable import printable_map
from registry.models import Sphere
from registry.selectors.communities import community_public_in
from registry.selectors.maps import community_map_points, municipality_shape
from registry.views_public import municipality_or_404

# The drawing's frame in CSS pixels (96 per inch) for each sheet, landscape, less the page margins
# and the title and legend beside it.
SHEETS = {"a4": (760, 560), "a3": (1120, 820)}


@require_safe
def municipality_print_map(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = municipality_or_404(slug)
    sheet = request.GET.get("size", "a4").lower()
    if sheet not in SHEETS:
        sheet = "a4"
    width, height = SHEETS[sheet]
    spheres = {sphere.pk: sphere for sphere in Sphere.objects.all()}
    points = community_map_points(communities=community_public_in(municipality=municipality))
    counts = Counter(point[2] for point in points)  # communities per sphere id
    drawing = printable_map(
        shape=municipality_shape(municipality=municipality),
        points=[(lon, lat, spheres[sphere_id].color) for lon, lat, sphere_id, *_ in points],
        width=width,
        height=height,
    )
    legend = [
        (sphere, counts[sphere.pk])
        for sphere in sorted(spheres.values(), key=lambda item: (item.position, item.name))
        if counts[sphere.pk]
    ]
    return render(
        request,
        "registry/maps/print.html",
        {
            "municipality": municipality,
            "drawing": drawing,
            "legend": legend,
            "total": len(points),
            "sheet": sheet,
            "sheets": list(SHEETS),
            "today": timezone.localdate(),
        },
    )
