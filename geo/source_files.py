"""Reading the shipped geodata files (fixtures/geo/): GeoJSON features, CSV records and a feature's
(multi)polygon, refused with a Russian error naming the file and the key."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem


def features_read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return list(json.load(handle)["features"])


def csv_read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def multipolygon_parse(feature: dict[str, Any], *, where: str) -> MultiPolygon:
    try:
        geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
    except (ValueError, TypeError, KeyError) as error:
        raise DomainError(
            ErrorItem(where, _("Геометрия не читается: {}").format(error), "geometry_unparsable")
        ) from error
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry, srid=4326)
    if not isinstance(geometry, MultiPolygon) or geometry.empty:
        raise DomainError(ErrorItem(where, _("Ожидается (мульти)полигон"), "geometry_wrong_type"))
    if not geometry.valid:
        raise DomainError(
            ErrorItem(where, _("Геометрия некорректна: {}").format(geometry.valid_reason), "geometry_invalid")
        )
    return geometry
