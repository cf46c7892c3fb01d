"""Geo reads for the fallback base map: the project's own districts and settlements, drawn under the
communities when the tile server cannot be reached or none is configured (static/js/map-ui.js)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.cache import cache

from geo.models import GeodataLoad, Municipality, Settlement

# 3 decimals is ~100 m: a base drawn at district scale needs no more, and the file stays small.
BASE_DIGITS = 3
TIMEOUT_S = 24 * 3600


def geodata_version() -> str:
    """Which load of fixtures/geo/ is in the database: the base layers change only with it."""
    latest = GeodataLoad.objects.order_by("-loaded_at", "-pk").values_list("sha256", flat=True).first()
    return (latest or "none")[:16]


def _base_layers(*, municipality: Municipality | None = None) -> dict[str, Any]:
    """The home region's districts and settlements, or (for one municipality's offline file) that
    municipality's own outline and settlements."""
    districts = Municipality.objects.filter(boundary_simplified__isnull=False)
    settlements = Settlement.objects.filter(point__isnull=False)
    if municipality is None:
        districts = districts.filter(
            level=Municipality.Level.TOP, region__iso_code=settings.GEO_HOME_REGION_ISO
        )
        settlements = settlements.filter(municipality__region__iso_code=settings.GEO_HOME_REGION_ISO)
    else:
        districts = districts.filter(pk=municipality.pk)
        settlements = settlements.filter(municipality=municipality)
    shapes = (
        districts.annotate(shape=AsGeoJSON("boundary_simplified", precision=BASE_DIGITS))
        .values_list("name", "shape")
        .order_by("name")
    )
    places = (
        settlements.select_related(None)
        .only("type", "name", "point", "population")
        .order_by("-population", "name")
    )
    features: list[dict[str, Any]] = [
        {"type": "Feature", "geometry": json.loads(shape), "properties": {"kind": "district", "name": name}}
        for name, shape in shapes
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [
                    round(settlement.point.x, BASE_DIGITS + 1),
                    round(settlement.point.y, BASE_DIGITS + 1),
                ],
            },
            "properties": {
                "kind": "settlement",
                "name": str(settlement),
                "population": settlement.population,
            },
        }
        for settlement in places
        if settlement.point is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def municipality_base_layers(*, municipality: Municipality) -> dict[str, Any]:
    """One municipality's outline and settlements: the base the downloaded map file carries with it,
    drawn when it is opened without a network (or without tiles)."""
    return _base_layers(municipality=municipality)


def base_layers_json(*, version: str) -> str:
    """The base layers as GeoJSON text, built once per geodata version."""
    key = f"geo:base:{settings.GEO_HOME_REGION_ISO}:{version}"
    text = cache.get(key)
    if text is None:
        text = json.dumps(_base_layers(), ensure_ascii=False, separators=(",", ":"))
        cache.set(key, text, timeout=TIMEOUT_S)
    return str(text)
