"""The three maps. Each returns what a page needs: folium's map parts and a JSON-ready data block
that static/js/community-map.js (or region-map.js) turns into markers, clusters, popups and links.
Nothing a person typed goes into folium's HTML or JavaScript: names travel as JSON data and reach
the page as text nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import folium
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from geo.models import LocationPrecision, Municipality
from registry.maps.render import MapParts, base_map, map_parts, map_ui
from registry.models import Community, Sphere
from registry.publication import SETTLEMENT_RADIUS_M
from registry.selectors.maps import MapPoint, RegionShape

UFA = (54.735, 55.958)
NO_SPHERE_COLOR = "#6b7280"  # a proposed community whose sphere the team has not chosen yet
# Choropleth classes: (lowest count, fill); a sequential green scale, readable in grey print too.
CLASSES = ((0, "#f7fcf5"), (1, "#c7e9c0"), (5, "#74c476"), (10, "#31a354"), (25, "#006d2c"))
OUTSIDE_FILL = "#e0e0e0"


@dataclass(frozen=True)
class LegendClass:
    label: str
    color: str


@dataclass(frozen=True)
class BuiltMap:
    parts: MapParts
    data: dict[str, Any]
    legend: list[LegendClass] = field(default_factory=list)


def _bounds(layer: Any) -> list[list[float]]:
    return [[float(value or 0) for value in corner] for corner in layer.get_bounds()]


def count_fill(count: int) -> str:
    """The region map's fill for a programme municipality with this many published communities."""
    color = CLASSES[0][1]
    for lowest, fill in CLASSES:
        if count >= lowest:
            color = fill
    return color


def region_legend() -> list[LegendClass]:
    labels = []
    for index, (lowest, color) in enumerate(CLASSES):
        upper = CLASSES[index + 1][0] - 1 if index + 1 < len(CLASSES) else None
        if upper is None:
            label = _("{} и больше").format(lowest)
        elif upper == lowest:
            label = str(lowest)
        else:
            label = f"{lowest}–{upper}"
        labels.append(LegendClass(label, color))
    labels.append(LegendClass(_("не участвует в программе"), OUTSIDE_FILL))
    return labels


def region_features(
    *, shapes: list[RegionShape], counts: dict[int, int], participating: set[int]
) -> dict[str, Any]:
    """Programme municipalities coloured by their published communities, the rest drawn plainly:
    the GeoJSON static/js/region-map.js draws (names are set there as text, never as HTML)."""
    features = []
    for shape in shapes:
        municipality = shape.municipality
        inside = municipality.pk in participating
        count = counts.get(municipality.pk, 0)
        features.append(
            {
                "type": "Feature",
                "geometry": shape.geometry,
                "properties": {
                    "name": municipality.name,
                    "label": ngettext("%(count)s сообщество", "%(count)s сообществ", count) % {"count": count}
                    if inside
                    else _("не участвует в программе"),
                    "url": municipality.get_absolute_url(),
                    "fill": count_fill(count) if inside else OUTSIDE_FILL,
                    "weight": 1.5 if inside else 0.5,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def region_map(*, geojson_url: str) -> BuiltMap:
    """The region map's frame: its boundaries come as a cached JSON file (region-map.js), not inline
    (they were 384 KB of every home page)."""
    figure = base_map(location=UFA, zoom=6)
    return BuiltMap(
        map_parts(figure),
        {
            "map": figure.get_name(),
            "geojson_url": geojson_url,
            "ui": map_ui(),
            "style": {"color": "#4d4d4d", "fillOpacity": 0.8, "highlight": "#08306b"},
        },
        region_legend(),
    )


def _sphere_letter(sphere: Sphere) -> str:
    return sphere.name[:1].upper()


def municipality_map(
    *,
    municipality: Municipality,
    shape: dict[str, Any] | None,
    points: list[MapPoint],
    spheres: list[Sphere],
    popups: dict[int, dict[str, Any]] | None = None,
) -> BuiltMap:
    """The municipality's boundary and its communities, clustered in the browser, a layer per sphere.

    popups: for a map that must work offline (map.html) the popup texts travel with the points;
    otherwise the browser fetches one community's popup when its marker is clicked."""
    figure = base_map(location=UFA, zoom=9)
    if shape is not None:
        boundary = folium.GeoJson(
            shape,
            name="boundary",
            style_function=lambda feature: {"color": "#08306b", "weight": 2, "fillOpacity": 0.03},
            control=False,
            zoom_on_click=False,
        ).add_to(figure)
        figure.fit_bounds(_bounds(boundary))
    index = {sphere.pk: position for position, sphere in enumerate(spheres)}
    data: dict[str, Any] = {
        "map": figure.get_name(),
        "spheres": [
            {
                "code": sphere.code,
                "name": sphere.name,
                "color": sphere.color,
                "letter": _sphere_letter(sphere),
            }
            for sphere in spheres
        ],
        "points": [
            [lon, lat, index[sphere_id], pk, precision]
            for lon, lat, sphere_id, pk, precision in points
            if sphere_id in index
        ],
        "popup_url": reverse("community-popup", kwargs={"pk": 0}).replace("/0/", "/{id}/"),
        "labels": {
            "here": _("в этой точке"),
            "more": _("и ещё {n} — в списке на странице муниципалитета"),
            "close": _("Закрыть"),
            "loading": _("Загрузка…"),
            "failed": _("Не удалось загрузить описание"),
            "hidden_settlement": _("место скрыто: показан населённый пункт"),
            "hidden_municipality": _("место скрыто: показан район"),
        },
        "settlement_radius_m": SETTLEMENT_RADIUS_M,
        "ui": map_ui(),
    }
    if popups is not None:
        data["popups"] = {str(pk): popup for pk, popup in popups.items()}
    return BuiltMap(map_parts(figure), data)


def community_map(
    *,
    community: Community,
    point: tuple[float, float],
    precision: str,
    area: dict[str, Any] | None,
    outline: dict[str, Any] | None = None,
) -> BuiltMap:
    """One community at its public place. Only an exact place is a marker: a settlement is a soft
    circle around the settlement's point, a municipality its outline, never a pin at street zoom
    (that would read as an address). No text on the map."""
    lon, lat = point
    color = community.sphere.color if community.sphere else NO_SPHERE_COLOR
    if precision == LocationPrecision.EXACT:
        figure = base_map(location=(lat, lon), zoom=13)
        if area is not None:
            layer = folium.GeoJson(
                area,
                name="area",
                style_function=lambda feature: {"color": color, "weight": 2, "fillOpacity": 0.2},
                control=False,
                zoom_on_click=False,
            ).add_to(figure)
            figure.fit_bounds(_bounds(layer))
        folium.CircleMarker(
            location=[lat, lon], radius=9, color="#ffffff", weight=2, fill=True, fill_color=color,
            fill_opacity=0.95,
        ).add_to(figure)  # fmt: skip
    elif precision == LocationPrecision.SETTLEMENT or outline is None:
        figure = base_map(location=(lat, lon), zoom=11)
        folium.Circle(
            location=[lat, lon], radius=SETTLEMENT_RADIUS_M, color=color, weight=1, dash_array="4 4",
            fill=True, fill_color=color, fill_opacity=0.15,
        ).add_to(figure)  # fmt: skip
    else:
        figure = base_map(location=(lat, lon), zoom=8)
        layer = folium.GeoJson(
            outline,
            name="municipality",
            style_function=lambda feature: {
                "color": color,
                "weight": 2,
                "dashArray": "4 4",
                "fillColor": color,
                "fillOpacity": 0.12,
            },  # fmt: skip
            control=False,
            zoom_on_click=False,
        ).add_to(figure)
        figure.fit_bounds(_bounds(layer))
    return BuiltMap(map_parts(figure), {"map": figure.get_name(), "ui": map_ui()})
