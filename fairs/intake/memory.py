"""Column mappings a team confirmed, remembered by the sheet's shape (its headers in order)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User

from fairs.intake.columns import Column, mapping_key
from fairs.intake.fields import SKIP
from fairs.models import ColumnMapping, Fair


def mapping_remembered(*, fair: Fair) -> Callable[[list[str]], dict[str, str]]:
    """For the fair's team: headers → the mapping confirmed for a sheet of that shape ({} if none)."""

    def lookup(headers: list[str]) -> dict[str, str]:
        found = ColumnMapping.objects.filter(
            municipality=fair.municipality, shape=mapping_key(headers)
        ).first()
        return dict(found.mapping) if found is not None else {}

    return lookup


def mapping_remember(*, fair: Fair, user: User, headers: list[str], columns: list[Column]) -> None:
    mapping = {column.header: "+".join(column.fields) or SKIP for column in columns if column.header}
    ColumnMapping.objects.update_or_create(
        municipality=fair.municipality,
        shape=mapping_key(headers),
        defaults={"headers": headers, "mapping": mapping, "confirmed_by": user},
    )
