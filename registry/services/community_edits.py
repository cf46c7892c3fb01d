"""Editing a community: a team member's edit of the editable fields, and a proposer's move of their
own unreviewed proposal's point. The municipality always follows the point."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Settlement
from registry.models import Community
from registry.selectors.teams import AnyUser, team_has_member
from registry.services.community_checks import (
    EDITABLE_FIELDS,
    community_save,
    community_values_clean,
    location_municipality,
    team_member_require,
)
from registry.services.community_slugs import community_slug_unique


@transaction.atomic
def community_update(*, user: AnyUser, community: Community, **fields: Any) -> Community:
    """Edit the editable fields; a moved point moves the community to the municipality that contains it."""
    team_member_require(user=user, municipality=community.municipality)
    ignored = set(fields) - EDITABLE_FIELDS  # status, municipality, created_by, source: never from input
    changes = {key: value for key, value in fields.items() if key not in ignored}
    values = community_values_clean(
        {"form": community.form, "inn": community.inn, "ogrn": community.ogrn, **changes}
    )
    if "location" in values and values["location"] != community.location:
        municipality = location_municipality(values["location"])
        if not team_has_member(municipality=municipality, user=user):
            raise DomainError(
                ErrorItem("location", _("Точка вне вашего муниципалитета"), "location_outside_team")
            )
        community.municipality = municipality
    for field, value in values.items():
        setattr(community, field, value)
    if "name" in values:
        community.slug = community_slug_unique(
            community.name, community.municipality, exclude_pk=community.pk
        )
    return community_save(community)


@transaction.atomic
def community_proposal_relocate(
    *, community: Community, location: Point, settlement: Settlement | None, location_precision: str
) -> Community:
    """The proposer moves their own proposal's point (from a signed link) while it is unreviewed;
    the municipality follows the point, as for every other placement."""
    if community.status != Community.Status.PROPOSED or community.source != Community.Source.PUBLIC_PROPOSAL:
        raise DomainError(
            ErrorItem(
                None,
                _("Предложение уже рассмотрено: место исправит муниципальная команда"),
                "proposal_reviewed",
            )
        )
    community.municipality = location_municipality(location)
    community.location = location
    community.settlement = settlement
    community.location_precision = location_precision
    community.full_clean()
    community.save()
    return community
