"""Team writes on the gazetteer: a team places the villages of its district that have no point."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied

from geo.models import Settlement
from geo.placement import settlement_point_set
from registry.roles import Right, user_has_right
from registry.signals import communities_changed


def settlement_place(*, user: User, settlement: Settlement, point: Point) -> Settlement:
    """Set or correct the point; the district's team (or a coordinator) only, inside the district."""
    if not user_has_right(user=user, right=Right.PLACE_SETTLEMENTS, municipality=settlement.municipality):
        raise PermissionDenied
    settlement = settlement_point_set(settlement=settlement, point=point, user=user)
    # the communities hiding their place there followed in the database (registry.publication);
    # their municipality's map is drawn again
    communities_changed([settlement.municipality_id])
    return settlement
