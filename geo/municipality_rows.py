"""What a municipality row holds when read from the shipped files: the republic's districts and
okrugs with their boundaries, the neighbours' (kind guessed from name and OKTMO, boundary
simplified for overview maps) and the republic's level-two municipalities from the OKTMO list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.gis.geos import MultiPolygon, Polygon
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality, Region
from geo.source_files import csv_read, features_read, multipolygon_parse
from geo.text import fold

RB_ISO = "RU-BA"
# Overview maps of neighbours: the same tolerance the shipped simplified RB file used (~130–220 m).
SIMPLIFY_TOLERANCE_DEG = 0.002
OSM_SOURCE = "OpenStreetMap (ODbL), 2020"


def boundary_simplify(geometry: MultiPolygon) -> MultiPolygon:
    simple = geometry.simplify(SIMPLIFY_TOLERANCE_DEG, preserve_topology=True)
    result = MultiPolygon(simple, srid=4326) if isinstance(simple, Polygon) else simple
    if not isinstance(result, MultiPolygon):
        raise DomainError(ErrorItem(None, _("Упрощение границы дало не полигон"), "geometry_wrong_type"))
    result.srid = 4326
    return result


def _neighbour_kind(properties: dict[str, Any]) -> str:
    name = fold(properties.get("oktmo_2016_name") or properties["name"])
    code = properties.get("oktmo_2016") or ""
    if "муниципальный округ" in name or code[2:3] == "5":
        return Municipality.Kind.MUNICIPAL_OKRUG
    if "район" in name.split() or code[2:3] == "6":
        return Municipality.Kind.MUNICIPAL_DISTRICT
    return Municipality.Kind.URBAN_OKRUG


def rb_top_level_rows_read(directory: Path, regions: dict[str, Region]) -> list[dict[str, Any]]:
    simplified = {
        f["properties"]["oktmo"]: f
        for f in features_read(directory / "bashkortostan_municipalities_simplified.geojson")
    }
    rows = []
    for feature in features_read(directory / "bashkortostan_municipalities.geojson"):
        properties = feature["properties"]
        oktmo = properties["oktmo"]
        rows.append(
            {
                "source_key": oktmo,
                "oktmo": oktmo,
                "region": regions[RB_ISO],
                "parent": None,
                "name": properties["name"],
                "official_name": properties["oktmo_name"],
                "kind": properties["kind"],
                "level": Municipality.Level.TOP,
                "admin_center": properties.get("admin_center") or "",
                "area_km2": float(properties["area_km2"]),
                "boundary": multipolygon_parse(
                    feature, where=f"bashkortostan_municipalities.geojson: {oktmo}"
                ),
                "boundary_simplified": multipolygon_parse(simplified[oktmo], where=f"simplified: {oktmo}"),
                "source": OSM_SOURCE + "; ОКТМО",
            }
        )
    return rows


def neighbour_rows_read(directory: Path, regions: dict[str, Region]) -> list[dict[str, Any]]:
    rows = []
    for feature in features_read(directory / "neighbours_municipalities.geojson"):
        properties = feature["properties"]
        code = properties.get("oktmo_2016")
        key = code or f"{properties['region_iso']}/{properties['name']}"
        boundary = multipolygon_parse(feature, where=f"neighbours_municipalities.geojson: {key}")
        rows.append(
            {
                "source_key": key,
                # OKTMO 2016 edition: a hint for neighbours (some were reorganised since), see SOURCES.md.
                "oktmo": code,
                "region": regions[properties["region_iso"]],
                "parent": None,
                "name": properties["name"],
                "official_name": properties.get("oktmo_2016_name") or properties["name"],
                "kind": _neighbour_kind(properties),
                "level": Municipality.Level.TOP,
                "admin_center": "",
                "area_km2": float(properties["area_km2"]),
                "boundary": boundary,
                "boundary_simplified": boundary_simplify(boundary),
                "source": OSM_SOURCE + ("; ОКТМО 2016 (подсказка)" if code else ""),
            }
        )
    return rows


def level_two_rows_read(
    directory: Path, parents: dict[str, Municipality], regions: dict[str, Region]
) -> list[dict[str, Any]]:
    rows = []
    for record in csv_read(directory / "bashkortostan_oktmo_municipalities.csv"):
        if record["level"] != "2":
            continue
        rows.append(
            {
                "source_key": record["oktmo"],
                "oktmo": record["oktmo"],
                "region": regions[RB_ISO],
                "parent": parents[record["parent_oktmo"]],
                "name": record["name"],
                "official_name": record["name"],
                "kind": record["kind"],
                "level": Municipality.Level.SETTLEMENT,
                "admin_center": record["admin_center"],
                "area_km2": None,
                "boundary": None,
                "boundary_simplified": None,
                "source": "ОКТМО",
            }
        )
    return rows
