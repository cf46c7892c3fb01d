"""Registry candidates for a sign-up row: which non-rejected communities a row may be (by name, in
its municipality or near its place, or by a leader's shared phone or e-mail), and how far away."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection

from fairs.models import SignupDismissal
from geo.models import Municipality, Settlement
from geo.point_lookups import PointLookups
from registry.matching import (
    NUMBERS_DIFFER,
    name_numbers,
    name_similarity,
    name_stems,
    stems_could_reach,
)
from registry.models import Community


@dataclass(frozen=True)
class RegistryCandidate:
    community: Community
    score: float
    distance_m: float | None
    contact_match: bool


# A row that names no place may be any municipality's community: pg_trgm's index finds similar names
# in the whole registry. (Rows with a place use CandidateFinder's per-municipality pools instead.)
ANYWHERE_SQL = """
SELECT c.id FROM registry_community c
WHERE c.name_normalized %% %(core)s AND similarity(c.name_normalized, %(core)s) >= 0.3
  AND c.status <> 'rejected'
ORDER BY similarity(c.name_normalized, %(core)s) DESC, c.id
LIMIT %(limit)s
"""
CONTACTED_SQL = """
SELECT DISTINCT ls.community_id
FROM registry_leadership ls JOIN registry_leader l ON l.id = ls.leader_id
JOIN registry_community c ON c.id = ls.community_id
WHERE c.status <> 'rejected' AND ((%(phone)s <> '' AND l.phone = %(phone)s) OR (%(email)s <> '' AND l.email = %(email)s))
"""
NEAR_SQL = """
SELECT id, name_normalized FROM registry_community
WHERE status <> 'rejected'
  AND ST_DWithin(location::geography, ST_GeomFromEWKB(%(point)s::bytea)::geography, %(radius)s)
"""
CANDIDATES_MAX = 20
# What matching reads of a candidate (and the sign-up's link to it): the rest stays in the database.
CANDIDATE_FIELDS = ("id", "name", "municipality_id", "settlement_id", "location_precision", "status")


class _NamePool:
    """The distinct names (their stems) of one municipality's non-rejected communities, with the ids
    bearing each, apart by the numbers in the names: a registry of 100,000 generated communities has
    a few hundred distinct names, and a real one repeats «Совет ветеранов» in every village."""

    def __init__(self, rows: Iterable[tuple[str, list[int]]]) -> None:
        self._names: dict[tuple[str, ...], _Names] = {}
        for normalized, ids in rows:
            self.add(normalized, ids)

    def add(self, normalized: str, ids: list[int]) -> None:
        numbers = name_numbers(normalized)
        if numbers not in self._names:
            self._names[numbers] = _Names()
        self._names[numbers].add(name_stems(normalized), ids)

    def similar(self, core: str, *, least: float) -> set[int]:
        """Ids of the communities whose name can score `least` or more against this core."""
        stems = name_stems(core)
        if least <= NUMBERS_DIFFER:
            pools = list(self._names.values())
        else:  # names with other numbers than these score NUMBERS_DIFFER at most
            same = self._names.get(name_numbers(core))
            pools = [same] if same is not None else []
        found: set[int] = set()
        for names in pools:
            found.update(names.similar(stems, least=least))
        return found


class _Names:
    """Distinct stems with the ids bearing each, scored by rapidfuzz.

    A sheet names the same communities again and again: the names a stems can reach are kept, and
    asked again only of the names added since."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.ids: list[list[int]] = []
        self._position: dict[str, int] = {}
        self._reach: dict[tuple[str, float], tuple[int, set[int]]] = {}  # → (keys scored, positions)

    def add(self, key: str, ids: list[int]) -> None:
        if key in self._position:
            self.ids[self._position[key]].extend(ids)
        else:
            self._position[key] = len(self.keys)
            self.keys.append(key)
            self.ids.append(list(ids))

    def similar(self, stems: str, *, least: float) -> set[int]:
        scored, positions = self._reach.get((stems, least), (0, set()))
        if scored < len(self.keys):
            added = stems_could_reach(stems, self.keys[scored:], least)
            positions = positions | {scored + position for position in added}
            self._reach[(stems, least)] = (len(self.keys), positions)
        found: set[int] = set()
        for position in positions:
            found.update(self.ids[position])
        return found


class CandidateFinder:
    """Registry candidates for the rows of one file (or one on-site sign-up): non-rejected communities
    with a name that can reach the review threshold, in the row's municipality or within the duplicate
    radius of its place (anywhere, for a row that names no place), or led by someone with the same
    phone or e-mail. rapidfuzz scores every name of the municipality's pool, loaded once per file in
    one query: one trigram query per row cost 4–20 ms against 100,000 communities (the bench's names
    repeat, so pg_trgm's posting lists are long), the pool costs well under one.

    Communities the file creates join the pools (add), so later rows of the file see them."""

    def __init__(self, *, points: PointLookups | None = None) -> None:
        self.points = points if points is not None else PointLookups()  # the job's EWKB of each point
        self._pools: dict[int, _NamePool] = {}
        self._near: dict[bytes, _NamePool] = {}
        self._near_xy: dict[bytes, tuple[float, float]] = {}  # the places of _near, as lon/lat
        self._communities: dict[int, Community] = {}
        self._dismissed: dict[int, set[tuple[str, int | None, int]]] = {}
        self._distances: dict[bytes, dict[int, float]] = {}  # metres from a place to communities

    def _pool(self, municipality_id: int) -> _NamePool:
        if municipality_id not in self._pools:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name_normalized, array_agg(id ORDER BY id) FROM registry_community"
                    " WHERE municipality_id = %s AND status <> 'rejected' GROUP BY name_normalized",
                    [municipality_id],
                )
                self._pools[municipality_id] = _NamePool(cursor.fetchall())
        return self._pools[municipality_id]

    def _near_pool(self, point: bytes, location: Point) -> _NamePool:
        """Communities of any municipality within the duplicate radius of a place (places repeat)."""
        if point not in self._near:
            self._near_xy[point] = (location.x, location.y)
            with connection.cursor() as cursor:
                cursor.execute(NEAR_SQL, {"point": point, "radius": settings.REGISTRY_DUPLICATE_RADIUS_M})
                self._near[point] = _NamePool((normalized, [pk]) for pk, normalized in cursor.fetchall())
        return self._near[point]

    def _dismissals(self, municipality_id: int) -> set[tuple[str, int | None, int]]:
        if municipality_id not in self._dismissed:
            self._dismissed[municipality_id] = set(
                SignupDismissal.objects.filter(municipality_id=municipality_id).values_list(
                    "name_core", "settlement_id", "community_id"
                )
            )
        return self._dismissed[municipality_id]

    def add(self, community: Community) -> None:
        """A community this file created: later rows find it like any other."""
        if community.municipality_id in self._pools:
            self._pools[community.municipality_id].add(community.name_normalized, [community.pk])
        # it joins the pools of the places already asked about within its radius
        inside, margin = self._places_near(community.location)
        for place in inside:
            self._near[place].add(community.name_normalized, [community.pk])
        if margin:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT place FROM unnest(%(places)s::bytea[]) AS place WHERE ST_DWithin("
                    "ST_GeomFromEWKB(place)::geography, ST_GeomFromEWKB(%(point)s::bytea)::geography, %(radius)s)",
                    {
                        "places": margin,
                        "point": self.points.ewkb(community.location),
                        "radius": settings.REGISTRY_DUPLICATE_RADIUS_M,
                    },
                )
                for (place,) in cursor.fetchall():
                    self._near[bytes(place)].add(community.name_normalized, [community.pk])
        self._communities[community.pk] = community

    def _places_near(self, location: Point) -> tuple[list[bytes], list[bytes]]:
        """The places asked about within the duplicate radius of a location, and those the database
        must decide: a spherical distance is within half a percent of PostGIS's ellipsoidal one."""
        radius = settings.REGISTRY_DUPLICATE_RADIUS_M
        inside, margin = [], []
        x, y = location.x, location.y
        for place, (lon, lat) in self._near_xy.items():
            metres = _spherical_m(lon, lat, x, y)
            if metres <= radius * 0.99:
                inside.append(place)
            elif metres <= radius * 1.01:
                margin.append(place)
        return inside, margin

    def _load(self, ids: set[int]) -> None:
        missing = ids - self._communities.keys()
        if missing:
            for community in Community.objects.filter(pk__in=missing).only(*CANDIDATE_FIELDS):
                self._communities[community.pk] = community

    def _distances_m(self, point: bytes | None, ids: set[int]) -> dict[int, float]:
        """Metres from the place to each community; a place's distances are asked for once."""
        if point is None:
            return {}
        known = self._distances.setdefault(point, {})
        missing = sorted(ids - known.keys())
        if missing:
            known.update(_distances_m(point, missing))
        return known

    def find(
        self,
        *,
        name: str,
        name_core: str,
        municipality: Municipality,
        settlement: Settlement | None,
        location: Point | None,
        phone: str,
        email: str,
        anywhere: bool = False,
    ) -> list[RegistryCandidate]:
        least = settings.FAIRS_MATCH_REVIEW  # a lower score decides nothing without a shared contact
        point = self.points.ewkb(location) if location is not None else None
        if anywhere:
            with connection.cursor() as cursor:
                cursor.execute(ANYWHERE_SQL, {"core": name_core, "limit": CANDIDATES_MAX * 5})
                named = {row[0] for row in cursor.fetchall()}
        else:
            named = self._pool(municipality.pk).similar(name_core, least=least)
            if point is not None and location is not None:
                named |= self._near_pool(point, location).similar(name_core, least=least)
        contacted: set[int] = set()
        if phone or email:
            with connection.cursor() as cursor:
                cursor.execute(CONTACTED_SQL, {"phone": phone, "email": email})
                contacted = {row[0] for row in cursor.fetchall()}
        ids = (named | contacted) - {
            community for core, place, community in self._dismissals(municipality.pk)
            if core == name_core and place == (settlement.pk if settlement else None)
        }  # fmt: skip
        if not ids:
            return []
        self._load(ids)
        distances = self._distances_m(point, ids)
        candidates = []
        for pk in ids:
            community = self._communities[pk]
            score = round(name_similarity(name, community.name), 3)
            if score >= least or pk in contacted:
                candidates.append(RegistryCandidate(community, score, distances.get(pk), pk in contacted))
        candidates.sort(
            key=lambda item: (-item.contact_match, -item.score, item.distance_m or 0, item.community.pk)
        )
        return candidates[:CANDIDATES_MAX]


def _spherical_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle metres (haversine on the mean Earth radius): a prefilter, never a decision."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))


def _distances_m(point: bytes | None, community_ids: list[int]) -> dict[int, float]:
    if point is None or not community_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_Distance(location::geography, ST_GeomFromEWKB(%s)::geography) FROM registry_community WHERE id = ANY(%s)",
            [point, community_ids],
        )
        return dict(cursor.fetchall())


def community_distances_m(*, point: Point | None, community_ids: list[int]) -> dict[int, float]:
    """Geodesic distances in metres from a point to communities (for the review table)."""
    if point is None:
        return {}
    return {pk: round(distance) for pk, distance in _distances_m(bytes(point.ewkb), community_ids).items()}
