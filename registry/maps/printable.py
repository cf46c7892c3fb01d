"""A printable map as SVG: outlined (and filled) areas and a dot per published community, drawn on
the server so the sheet prints the same in every browser (no tiles, no script). One drawing serves
a municipality's sheet (its outline) and the region's (its municipalities coloured like the region
map).

Projection: equirectangular with longitudes shrunk by cos(mid latitude), fitted into the frame with a
margin; ample for a district's few tens of kilometres and a region's few hundred."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Ring = Sequence[Sequence[float]]
Shape = dict[str, Any] | None  # GeoJSON Polygon or MultiPolygon


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    color: str


@dataclass(frozen=True)
class Area:
    path: str  # SVG path data
    fill: str


@dataclass(frozen=True)
class PrintedMap:
    width: int
    height: int
    areas: tuple[Area, ...]
    dots: tuple[Dot, ...]


def _rings(shape: Shape) -> list[Ring]:
    if not shape:
        return []
    if shape["type"] == "Polygon":
        return list(shape["coordinates"])
    if shape["type"] == "MultiPolygon":
        return [ring for polygon in shape["coordinates"] for ring in polygon]
    return []


def printable_map(
    *,
    areas: Iterable[tuple[Shape, str]],  # shape, fill
    points: Iterable[tuple[float, float, str]],  # lon, lat, colour
    width: int,
    height: int,
    margin: int = 20,
) -> PrintedMap:
    filled = [(_rings(shape), fill) for shape, fill in areas]
    dots_in = list(points)
    coords = [(lon, lat) for rings, _ in filled for ring in rings for lon, lat, *_ in ring]
    coords += [(p[0], p[1]) for p in dots_in]
    if not coords:
        return PrintedMap(width, height, (), ())
    lons = [lon for lon, _ in coords]
    lats = [lat for _, lat in coords]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * shrink, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    # centre the drawing in the frame
    offset_x = (width - span_x * scale) / 2
    offset_y = (height - span_y * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(offset_x + (lon - min(lons)) * shrink * scale, 1),
            round(offset_y + (max(lats) - lat) * scale, 1),
        )

    drawn = []
    for rings, fill in filled:
        parts = []
        for ring in rings:
            projected = [project(lon, lat) for lon, lat, *_ in ring]
            parts.append("M" + "L".join(f"{x},{y}" for x, y in projected) + "Z")
        if parts:
            drawn.append(Area("".join(parts), fill))
    dots = tuple(Dot(*project(lon, lat), color=color) for lon, lat, color in dots_in)
    return PrintedMap(width, height, tuple(drawn), dots)
