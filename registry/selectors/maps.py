"""Reads for the maps: compact point lists, one community's popup, the region's boundaries with counts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import AsGeoJSON, PointOnSurface
from django.db.models import Case, F, FloatField, Func, QuerySet, When

from geo.models import Municipality
from registry.models import Community
from registry.selectors.communities import community_public_list

COORDINATE_DIGITS = 5  # about a metre: enough for a marker, and 16,000 points stay small


def _public_point() -> Case:
    """In SQL, where the public sees a community (community_public_point's rule)."""
    return Case(
        When(hide_exact_location=True, settlement__point__isnull=False, then=F("settlement__point")),
        When(hide_exact_location=True, then=PointOnSurface("municipality__boundary")),
        default=F("location"),
        output_field=PointField(srid=4326),
    )


def community_map_points(*, communities: QuerySet[Community]) -> list[tuple[float, float, int, int]]:
    """(lon, lat, sphere id, community id) of each community, at its public point; one query."""
    point = _public_point()
    rows = (
        communities.order_by()
        .annotate(
            map_lon=Func(point, function="ST_X", output_field=FloatField()),
            map_lat=Func(point, function="ST_Y", output_field=FloatField()),
        )
        .values_list("map_lon", "map_lat", "sphere_id", "id")
    )
    return [
        (round(lon, COORDINATE_DIGITS), round(lat, COORDINATE_DIGITS), sphere_id, pk)
        for lon, lat, sphere_id, pk in rows
    ]


@dataclass(frozen=True)
class Popup:
    name: str
    sphere: str
    settlement: str
    members: int | None
    url: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sphere": self.sphere,
            "settlement": self.settlement,
            "members": self.members,
            "url": self.url,
        }


def community_popups(*, communities: QuerySet[Community]) -> dict[int, Popup]:
    rows = communities.select_related("sphere", "settlement")
    return {
        community.pk: Popup(
            name=community.name,
            sphere=community.sphere.name,
            settlement=str(community.settlement) if community.settlement else "",
            members=community.members_count,
            url=community.get_absolute_url(),
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
