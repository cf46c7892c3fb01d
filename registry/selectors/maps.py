"""Reads for the maps: compact point lists, one community's popup, the region's boundaries with counts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import FloatField, Func, QuerySet

from geo.models import Municipality
from registry.models import Community
from registry.selectors.communities import community_public_list

COORDINATE_DIGITS = 5  # about a metre: enough for a marker, and 16,000 points stay small


# How precise a marker's place is, as the map data's fifth number (the browser draws a settlement's
# or a municipality's place as an area, not as a pin).
PRECISION_CODES = {"exact": 0, "settlement": 1, "municipality": 2}
MapPoint = tuple[float, float, int, int, int]


def community_map_points(*, communities: QuerySet[Community]) -> list[MapPoint]:
    """(lon, lat, sphere id, community id, precision code) of each community at its stored public
    point (registry.publication); one query."""
    rows = (
        communities.order_by()
        .filter(public_point__isnull=False)
        .annotate(
            map_lon=Func("public_point", function="ST_X", output_field=FloatField()),
            map_lat=Func("public_point", function="ST_Y", output_field=FloatField()),
        )
        .values_list("map_lon", "map_lat", "sphere_id", "id", "public_precision")
    )
    return [
        (
            round(lon, COORDINATE_DIGITS),
            round(lat, COORDINATE_DIGITS),
            sphere_id,
            pk,
            PRECISION_CODES[precision],
        )
        for lon, lat, sphere_id, pk, precision in rows
    ]


@dataclass(frozen=True)
class Popup:
    name: str
    sphere: str
    settlement: str
    members: int | None
    url: str
    place: str  # what the marker shows when not the exact place («место скрыто: показан …»)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sphere": self.sphere,
            "settlement": self.settlement,
            "members": self.members,
            "url": self.url,
            "place": self.place,
        }


def community_popups(*, communities: QuerySet[Community]) -> dict[int, Popup]:
    rows = communities.select_related("sphere", "settlement")
    return {
        community.pk: Popup(
            name=community.name,
            sphere=community.sphere.name if community.sphere else "",
            settlement=str(community.settlement) if community.settlement else "",
            members=community.members_count,
            url=community.get_absolute_url(),
            place=community.public_place_caption,
        )
        for community in rows
    }


def community_popup(*, pk: int) -> Popup | None:
    """The popup of a published community; None for any other id."""
    return community_popups(communities=community_public_list().filter(pk=pk)).get(pk)


@dataclass(frozen=True)
class RegionShape:
    municipality: Municipality
    geometry: dict[str, Any]


def region_shapes(*, municipality_ids: set[int], home_region_iso: str) -> list[RegionShape]:
    """Simplified boundaries of the home region's districts and okrugs plus the given municipalities."""
    from django.db.models import Q

    rows = (
        Municipality.objects.filter(level=Municipality.Level.TOP, boundary_simplified__isnull=False)
        .filter(Q(region__iso_code=home_region_iso) | Q(pk__in=municipality_ids))
        .select_related("region")
        .defer("boundary", "boundary_simplified", "region__outline")
        .annotate(shape=AsGeoJSON("boundary_simplified", precision=4))
        .order_by("name", "pk")
    )
    return [RegionShape(row, json.loads(row.shape)) for row in rows]


def municipality_shape(*, municipality: Municipality) -> dict[str, Any] | None:
    """The municipality's full boundary as GeoJSON (5 decimals)."""
    row = (
        Municipality.objects.filter(pk=municipality.pk, boundary__isnull=False)
        .annotate(shape=AsGeoJSON("boundary", precision=COORDINATE_DIGITS))
        .values_list("shape", flat=True)
        .first()
    )
    return json.loads(row) if row else None
