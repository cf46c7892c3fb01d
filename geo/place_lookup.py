"""Which place a Russian place string names: a settlement of the gazetteer, a municipality, or a
pair of coordinates; candidates are returned, never guessed between."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from geo.models import LocationPrecision, Municipality, Settlement
from geo.selectors import municipality_locate, municipality_point
from geo.text import (
    COMPATIBLE_TYPES,
    DISTRICT_MARKERS,
    RURAL_MARKERS,
    PlaceText,
    fold,
    place_text_parse,
    strip_markers,
)


@dataclass(frozen=True)
class PlaceMatch:
    """What place_locate read: a place with its precision, or the candidates it would not choose between."""

    status: Literal["found", "ambiguous", "not_found"]
    municipality: Municipality | None = None
    rural_municipality: Municipality | None = None
    settlement: Settlement | None = None
    point: Point | None = None
    precision: LocationPrecision | None = None
    candidates: tuple[Settlement, ...] = ()
    suggestions: tuple[str, ...] = field(default=())


_COORDINATES = re.compile(r"^\s*(-?\d{1,3}(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$")
SUGGESTION_LIMIT = 5
AMBIGUITY_LIMIT = 50


def _settlement_match(settlement: Settlement) -> PlaceMatch:
    if settlement.point is not None:
        return PlaceMatch(
            "found",
            municipality=settlement.municipality,
            rural_municipality=settlement.rural_municipality,
            settlement=settlement,
            point=settlement.point,
            precision=LocationPrecision.SETTLEMENT,
        )
    return PlaceMatch(
        "found",
        municipality=settlement.municipality,
        rural_municipality=settlement.rural_municipality,
        settlement=settlement,
        point=municipality_point(municipality=settlement.municipality),
        precision=LocationPrecision.MUNICIPALITY,
    )


def _home_first(municipalities: list[Municipality]) -> list[Municipality]:
    """Names repeat across regions («Октябрьский район»): the gazetteer's region decides."""
    home = [item for item in municipalities if item.region.iso_code == settings.GEO_HOME_REGION_ISO]
    return home or municipalities


def _other_districts_named(
    parsed: PlaceText, name: str, district: Municipality | None, settlement: Settlement
) -> list[Municipality]:
    """A bare adjective like «Уфимский» names a village (in Хайбуллинский район) and a district:
    that is a question, not a match. «Межгорье», the town of ЗАТО Межгорье, is no such conflict."""
    if parsed.settlement_type is not None or district is not None:
        return []
    top_levels = Municipality.objects.filter(level=Municipality.Level.TOP).select_related("region")
    return [
        item
        for item in _home_first(_by_core_name(top_levels, name, DISTRICT_MARKERS))
        if item.pk != settlement.municipality_id
    ]


def _municipality_match(municipality: Municipality) -> PlaceMatch:
    top = municipality.parent if municipality.parent_id and municipality.parent else municipality
    return PlaceMatch(
        "found",
        municipality=top,
        rural_municipality=municipality if municipality.level == Municipality.Level.SETTLEMENT else None,
        point=municipality_point(municipality=municipality),
        precision=LocationPrecision.MUNICIPALITY,
    )


def _by_core_name(
    candidates: QuerySet[Municipality], core: str, markers: frozenset[str]
) -> list[Municipality]:
    """Municipalities whose name, less «район», «сельсовет» and the like, folds to core."""
    first_word = core.split()[0]
    rough = candidates.filter(name__icontains=first_word[:4]) if len(first_word) >= 4 else candidates
    return [
        municipality
        for municipality in rough
        if core
        in {
            strip_markers(fold(municipality.name), markers),
            strip_markers(fold(municipality.official_name), markers),
        }
    ]


def _suggest(names: Sequence[str], scope: QuerySet[Settlement]) -> tuple[str, ...]:
    """Closest gazetteer names for a misspelt place: Jaro-Winkler favours the shared beginning
    people rarely get wrong («Иглена» → Иглино, not Лена)."""
    choices = dict(scope.values_list("id", "name_normalized"))
    scores: dict[int, float] = {}
    for name in names:
        for _choice, score, settlement_id in process.extract(
            name,
            choices,
            scorer=JaroWinkler.normalized_similarity,
            limit=SUGGESTION_LIMIT * 4,
            score_cutoff=0.8,
        ):
            scores[settlement_id] = max(score, scores.get(settlement_id, 0.0))
    best = sorted(scores, key=lambda settlement_id: (-scores[settlement_id], settlement_id))[
        :SUGGESTION_LIMIT
    ]
    settlements = Settlement.objects.select_related("municipality").in_bulk(best)
    return tuple(f"{settlements[pk]} ({settlements[pk].municipality.name})" for pk in best)


def _coordinates_locate(first: float, second: float) -> PlaceMatch:
    """«54.735, 55.958»: latitude first, as map services copy it. Where the swapped reading lands
    in a municipality too (most of Bashkortostan: latitudes 51–57, longitudes 53–60), ask."""
    readings = []
    for lat, lon in ((first, second), (second, first)):
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            point = Point(lon, lat, srid=4326)
            containing = municipality_locate(point=point)
            if containing is not None:
                readings.append((point, containing))
    if len(readings) == 1 or (len(readings) == 2 and readings[0][0] == readings[1][0]):
        point, containing = readings[0]
        return PlaceMatch("found", municipality=containing, point=point, precision=LocationPrecision.EXACT)
    suggestions = tuple(
        f"{containing.name}: {_('широта')} {point.y:.6f}, {_('долгота')} {point.x:.6f}"
        for point, containing in readings
    )
    return PlaceMatch("ambiguous" if readings else "not_found", suggestions=suggestions)


# Towns and bigger places first when a name is ambiguous: a person is likelier to mean them.
_TYPE_RANK = {"г": 0, "рп": 1, "п": 2, "с": 3, "п ст": 4, "д": 5, "х": 6}


def _candidate_order(settlement: Settlement) -> tuple[int, int, int, str]:
    top = settlement.municipality
    is_centre = (
        fold(top.admin_center) == fold(f"{settlement.type} {settlement.name}") if top.admin_center else False
    )
    return (
        0 if is_centre else 1,
        _TYPE_RANK.get(settlement.type, 9),
        -(settlement.population or 0),
        settlement.oktmo,
    )


def place_locate(text: str, *, municipality: Municipality | None = None) -> PlaceMatch:
    """Read a Russian place string against the settlement gazetteer; never guess between candidates.

    «д. Булатово», «дер.Булатово», «с.Иглино», «Иглино», «г Уфа», «пос. Восточный», «Кудеевский»;
    a сельсовет named alongside («д. Ленинское (Кальтовский с/с)») narrows same-named villages,
    and a district («Иглинский р-н») narrows the search when no municipality is given.
    """
    coordinates = _COORDINATES.match(text)
    if coordinates:
        return _coordinates_locate(*(float(part.replace(",", ".")) for part in coordinates.groups()))
    parsed = place_text_parse(text)
    top_levels = Municipality.objects.filter(level=Municipality.Level.TOP).select_related("region")
    district = municipality.parent if municipality and municipality.parent_id else municipality
    if district is None and parsed.district_name:
        districts = _home_first(_by_core_name(top_levels, parsed.district_name, DISTRICT_MARKERS))
        if len(districts) == 1:
            district = districts[0]
    scope = Settlement.objects.select_related("municipality", "rural_municipality")
    if district is not None:
        scope = scope.filter(municipality=district)
    rural: Municipality | None = None
    if municipality is not None and municipality.level == Municipality.Level.SETTLEMENT:
        rural = municipality
    elif parsed.rural_name:
        level_two = Municipality.objects.filter(level=Municipality.Level.SETTLEMENT).select_related("parent")
        if district is not None:
            level_two = level_two.filter(parent=district)
        rurals = _by_core_name(level_two, parsed.rural_name, RURAL_MARKERS)
        rural = rurals[0] if len(rurals) == 1 else None

    for name in parsed.settlement_names:
        matches = list(scope.filter(name_normalized=name).order_by("oktmo")[:AMBIGUITY_LIMIT])
        if rural is not None:
            matches = [
                settlement for settlement in matches if settlement.rural_municipality_id == rural.pk
            ] or matches
        if parsed.settlement_type and len(matches) > 1:
            allowed = COMPATIBLE_TYPES.get(parsed.settlement_type, frozenset({parsed.settlement_type}))
            matches = [settlement for settlement in matches if settlement.type in allowed] or matches
        if len(matches) == 1:
            districts = _other_districts_named(parsed, name, district, matches[0])
            if not districts:
                return _settlement_match(matches[0])
            return PlaceMatch(
                "ambiguous", candidates=tuple(matches), suggestions=tuple(item.name for item in districts)
            )
        if matches:
            return PlaceMatch(
                "ambiguous", municipality=district, candidates=tuple(sorted(matches, key=_candidate_order))
            )

    # No settlement by that name: the string may name the municipality itself («Иглинский», «Кальтовский с/с»).
    if rural is not None and not parsed.settlement_names:
        return _municipality_match(rural)
    for name in parsed.settlement_names:
        if district is None:
            districts = _home_first(_by_core_name(top_levels, name, DISTRICT_MARKERS))
            if len(districts) == 1:
                return _municipality_match(districts[0])
    if district is not None and not parsed.settlement_names:
        return _municipality_match(district)
    return PlaceMatch(
        "not_found", municipality=district, suggestions=_suggest(parsed.settlement_names, scope)
    )
