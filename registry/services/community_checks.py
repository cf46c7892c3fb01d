"""The checks every community write shares, whatever the path (creation, edits, status changes):
which fields a team may write and what their values may be, the municipality a point places a
community in, the team that may write it, and the model's validation before a save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.gis.geos import MultiPolygon, Point
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality
from geo.point_lookups import PointLookups
from geo.selectors import municipality_locate
from geo.validation import geometry_check_in_programme_area
from registry.matching import name_core
from registry.models import DESCRIPTION_MAX_LENGTH, Community
from registry.selectors.teams import AnyUser, team_has_member
from registry.validators import inn_clean, links_clean, name_clean, ogrn_clean, year_clean

# What a team member may edit; everything else is set by the lifecycle services.
EDITABLE_FIELDS = frozenset(
    {
        "name", "description", "sphere", "form", "inn", "ogrn", "location", "area", "location_precision",
        "hide_exact_location", "settlement", "address", "members_count", "founded_year", "activities",
        "links", "contact", "is_contact_public", "internal_notes",
    }
)  # fmt: skip


def team_member_require(*, user: AnyUser, municipality: Municipality) -> None:
    if not team_has_member(municipality=municipality, user=user):
        raise PermissionDenied


def location_municipality(
    location: Point, *, field: str = "location", lookups: PointLookups | None = None
) -> Municipality:
    geometry_check_in_programme_area(location, field=field, lookups=lookups)
    municipality = municipality_locate(point=location, lookups=lookups)
    if municipality is None:
        raise DomainError(
            ErrorItem(
                field, _("Точка не попадает ни в один муниципалитет"), "location_outside_municipalities"
            )
        )
    return municipality


def community_values_clean(values: dict[str, Any]) -> dict[str, Any]:
    """Field-by-field checks with messages that name the field; all errors reported at once."""
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": name_clean,
        "inn": inn_clean,
        "ogrn": ogrn_clean,
        "links": lambda value: links_clean(list(value)),
        "founded_year": year_clean,
    }
    errors: list[ErrorItem] = []
    cleaned = dict(values)
    for field, cleaner in cleaners.items():
        if field in values:
            try:
                cleaned[field] = cleaner(values[field])
            except DomainError as error:
                errors.extend(error.items)
    for field in ("description", "activities", "internal_notes"):
        if len(values.get(field) or "") > DESCRIPTION_MAX_LENGTH:
            errors.append(
                ErrorItem(field, _("Не длиннее {} символов").format(DESCRIPTION_MAX_LENGTH), "max_length")
            )
    members = values.get("members_count")
    if members is not None and (not isinstance(members, int) or members < 0):
        errors.append(
            ErrorItem(
                "members_count",
                _("Число участников: ожидается целое число не меньше 0, получено {}").format(members),
                "members_invalid",
            )
        )
    if values.get("form") == Community.Form.INFORMAL and (values.get("inn") or values.get("ogrn")):
        errors.append(
            ErrorItem(
                "form", _("ИНН и ОГРН указываются только для зарегистрированной организации"), "form_mismatch"
            )
        )
    area = values.get("area")
    if area is not None and not isinstance(area, MultiPolygon):
        errors.append(ErrorItem("area", _("Территория: ожидается (мульти)полигон"), "geometry_wrong_type"))
    if errors:
        raise DomainError(*errors)
    return cleaned


# Foreign keys the services set are model instances already loaded (and the database enforces them):
# full_clean would fetch each again, five queries a community, a sixth of an import's time per new row.
RELATED = ("sphere", "municipality", "settlement", "created_by", "source_type")


def community_save(community: Community) -> Community:
    community_validate(community)
    community.save()
    return community


def community_validate(community: Community, *, unique: bool = True) -> None:
    """The model's field checks before a write; unique=False leaves the id and slug to the caller."""
    community.name_normalized = name_core(community.name)
    loaded = [name for name in RELATED if getattr(community, f"{name}_id") is not None]
    # The model's check constraints (founded from 1800, a rejection has its reason) are checked by
    # community_values_clean and the lifecycle services with messages that name the field, and enforced by the
    # database; validating them again here compiled and ran a query each, 7 ms a new community.
    community.full_clean(
        exclude=[*loaded, *(["slug"] if community.slug or not unique else [])],
        validate_unique=unique,
        validate_constraints=False,
    )
