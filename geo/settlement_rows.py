"""What a settlement row holds when read from the shipped files: its OKTMO record, and the point
and population taken from HFLabs (by code), GeoNames (by name in the district) or the list itself."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality
from geo.source_files import csv_read, features_read
from geo.text import fold


def _known_points(
    directory: Path, settlements: list[dict[str, str]]
) -> dict[str, tuple[Point, int | None, str]]:
    """Points joined where OKTMO and names agree: HFLabs towns by code, GeoNames places by name in the district."""
    points: dict[str, tuple[Point, int | None, str]] = {}
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for record in settlements:
        by_name[(record["municipality_oktmo"], fold(record["name"]))].append(record["oktmo"])
    codes = {record["oktmo"] for record in settlements}
    for feature in features_read(directory / "cities_hflabs.geojson"):
        properties = feature["properties"]
        if properties.get("oktmo") in codes:
            lon, lat = feature["geometry"]["coordinates"]
            points[properties["oktmo"]] = (
                Point(lon, lat, srid=4326),
                properties.get("population"),
                "HFLabs / DaData (CC BY-SA 4.0)",
            )
    for feature in features_read(directory / "places_geonames.geojson"):
        properties = feature["properties"]
        if not properties.get("name_ru") or not properties.get("municipality_oktmo"):
            continue
        same_name = by_name.get((properties["municipality_oktmo"], fold(properties["name_ru"])), [])
        if len(same_name) == 1 and same_name[0] not in points:
            lon, lat = feature["geometry"]["coordinates"]
            points[same_name[0]] = (Point(lon, lat, srid=4326), None, "GeoNames (CC BY 4.0)")
    return points


def settlement_rows_read(
    directory: Path, top: dict[str, Municipality], level_two: dict[str, Municipality]
) -> list[dict[str, Any]]:
    records = csv_read(directory / "bashkortostan_settlements_oktmo.csv")
    points = _known_points(directory, records)
    rows = []
    for number, record in enumerate(records, start=2):
        if record["municipality_oktmo"] not in top:
            raise DomainError(
                ErrorItem(
                    f"bashkortostan_settlements_oktmo.csv:{number}",
                    _("Неизвестный ОКТМО района {}").format(record["municipality_oktmo"]),
                    "municipality_unknown",
                )
            )
        point, population, source = points.get(record["oktmo"], (None, None, "ОКТМО"))
        if point is None and record["lon"] and record["lat"]:
            point = Point(float(record["lon"]), float(record["lat"]), srid=4326)
            source = record["coord_source"]
        if population is None and record["population"]:
            population = int(record["population"])
        rows.append(
            {
                "oktmo": record["oktmo"],
                "type": record["type"],
                "type_full": record["type_full"],
                "name": record["name"],
                "name_normalized": fold(record["name"]),
                "municipality": top[record["municipality_oktmo"]],
                "rural_municipality": level_two.get(record["settlement_mo_oktmo"]),
                "point": point,
                "population": population,
                "source": source if point is not None else "ОКТМО",
            }
        )
    return rows
