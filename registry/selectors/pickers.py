"""Municipality pickers: the programme's municipalities first, then the rest grouped by region, and
the region beside every name that occurs more than once (there are several «Кировский район»)."""

from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from geo.models import Municipality, Region
from registry.models import Programme

Choice = tuple[int, str]


def municipality_label(municipality: Municipality, *, repeated: set[str]) -> str:
    if municipality.name in repeated:
        return f"{municipality.name} ({municipality.region.name})"
    return municipality.name


def municipality_choices(
    *, municipalities: QuerySet[Municipality], programme: Programme | None, home: Region | None = None
) -> list[tuple[str, list[Choice]]]:
    """Grouped choices for a <select> (Django's optgroup format), in one query; `home`: the region
    listed first when no programme is given."""
    items = list(
        municipalities.select_related("region")
        .defer("boundary", "boundary_simplified", "region__outline")
        .order_by("region__name", "name")
    )
    names = Counter(item.name for item in items)
    repeated = {name for name, count in names.items() if count > 1}
    participating = set(programme.municipalities.values_list("pk", flat=True)) if programme else set()
    groups: list[tuple[str, list[Choice]]] = []
    if participating:
        ours = sorted(
            (item for item in items if item.pk in participating),
            key=lambda item: (item.region_id != programme.region_id if programme else 0, item.name),
        )
        groups.append(
            (
                _("Программа «{}»").format(programme.name) if programme else "",
                [(item.pk, municipality_label(item, repeated=repeated)) for item in ours],
            )
        )
    by_region: dict[str, list[Choice]] = {}
    for item in items:
        if item.pk not in participating:
            by_region.setdefault(item.region.name, []).append(
                (item.pk, municipality_label(item, repeated=repeated))
            )
    home_name = programme.region.name if programme else (home.name if home else None)
    for region in sorted(by_region, key=lambda name: (name != home_name, name)):
        groups.append((region, by_region[region]))
    return groups
