"""Geo writes: loading the shipped boundaries, OKTMO classifier and gazetteer (fixtures/geo/).

The rows come from geo.municipality_rows and geo.settlement_rows (read by geo.source_files) and
are written by geo.upsert; this module orders the load and decides whether it is needed."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from slugify import slugify

from geo.models import GeodataLoad, Municipality, Region, Settlement
from geo.municipality_rows import level_two_rows_read, neighbour_rows_read, rb_top_level_rows_read
from geo.placement import PointConflict, team_points_keep
from geo.points import municipality_centers_update
from geo.settlement_rows import settlement_rows_read
from geo.source_files import features_read, multipolygon_parse
from geo.upsert import LoadCounts, Progress, rows_upsert

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "geo"


@dataclass
class GeodataReport:
    counts: dict[str, LoadCounts] = field(default_factory=lambda: defaultdict(LoadCounts))
    # Team-placed settlement points kept by the reload whose new source point lies far from them.
    conflicts: list[PointConflict] = field(default_factory=list)

    centers_changed: int = 0  # municipality centres moved (geo.points)

    @property
    def created(self) -> int:
        return sum(count.created for count in self.counts.values())

    @property
    def changed(self) -> int:
        return sum(count.changed for count in self.counts.values())


def _no_progress(items: Iterable[Any], _label: str, _total: int) -> Iterable[Any]:
    return items


def _unique_slugs(wanted: dict[str, tuple[str, str]]) -> dict[str, str]:
    """key → slug; a base slug shared by several keys takes its qualifier, then the key itself."""
    bases = {key: slugify(base) for key, (base, _qualifier) in wanted.items()}
    base_counts = Counter(bases.values())
    slugs: dict[str, str] = {}
    for key, (_base, qualifier) in wanted.items():
        slug = bases[key] if base_counts[bases[key]] == 1 else slugify(f"{bases[key]} {qualifier}")
        slugs[key] = slug
    slug_counts = Counter(slugs.values())
    return {key: slug if slug_counts[slug] == 1 else slugify(f"{slug} {key}") for key, slug in slugs.items()}


def _with_slugs(rows: list[dict[str, Any]], qualifiers: dict[str, str]) -> Iterator[dict[str, Any]]:
    slugs = _unique_slugs({row["source_key"]: (row["name"], qualifiers[row["source_key"]]) for row in rows})
    for row in rows:
        yield {**row, "slug": slugs[row["source_key"]]}


FIXTURE_FILES = (
    "regions.geojson",
    "bashkortostan_municipalities.geojson",
    "bashkortostan_municipalities_simplified.geojson",
    "neighbours_municipalities.geojson",
    "bashkortostan_oktmo_municipalities.csv",
    "bashkortostan_settlements_oktmo.csv",
    "cities_hflabs.geojson",
    "places_geonames.geojson",
)


def geodata_digest(*, directory: Path = FIXTURES_DIR) -> str:
    digest = hashlib.sha256()
    for name in FIXTURE_FILES:
        digest.update(name.encode())
        digest.update(hashlib.sha256((directory / name).read_bytes()).digest())
    return digest.hexdigest()


def geodata_is_current(*, directory: Path = FIXTURES_DIR) -> bool:
    """Whether these exact files were loaded last and nothing was deleted since."""
    latest = GeodataLoad.objects.order_by("-loaded_at", "-id").first()
    return (
        latest is not None
        and latest.sha256 == geodata_digest(directory=directory)
        and Region.objects.exists()
        and Settlement.objects.exists()
    )


@transaction.atomic
def geodata_load(*, directory: Path = FIXTURES_DIR, progress: Progress = _no_progress) -> GeodataReport:
    """Upsert regions, municipalities (levels 1 and 2) and settlements; idempotent, all or nothing."""
    report = GeodataReport()
    digest = geodata_digest(directory=directory)
    region_rows = [
        {
            "iso_code": f["properties"]["region_iso"],
            "name": f["properties"]["name"],
            "oktmo_prefix": f["properties"].get("oktmo_region_prefix") or "",
            "area_km2": float(f["properties"]["area_km2"]),
            "outline": multipolygon_parse(f, where=f"regions.geojson: {f['properties']['region_iso']}"),
        }
        for f in features_read(directory / "regions.geojson")
    ]
    regions = rows_upsert(Region, "iso_code", region_rows, report.counts["regions"], progress, _("Регионы"))

    top_rows = rb_top_level_rows_read(directory, regions) + neighbour_rows_read(directory, regions)
    qualifiers = {row["source_key"]: row["region"].iso_code.split("-")[-1] for row in top_rows}
    top = rows_upsert(
        Municipality,
        "source_key",
        list(_with_slugs(top_rows, qualifiers)),
        report.counts["municipalities"],
        progress,
        _("Районы и округа"),
    )
    by_oktmo = {municipality.oktmo: municipality for municipality in top.values() if municipality.oktmo}

    level_two_rows = level_two_rows_read(directory, by_oktmo, regions)
    # Level-2 slugs may not collide with level-1 ones: qualify every one by its district.
    taken = {municipality.slug for municipality in top.values()}
    qualifiers = {row["source_key"]: row["parent"].slug for row in level_two_rows}
    level_two_rows = [
        {
            **row,
            "slug": row["slug"]
            if row["slug"] not in taken
            else slugify(f"{row['slug']} {row['source_key']}"),
        }
        for row in _with_slugs(level_two_rows, qualifiers)
    ]
    level_two = rows_upsert(
        Municipality,
        "source_key",
        level_two_rows,
        report.counts["settlement_municipalities"],
        progress,
        _("Поселения"),
    )

    settlement_rows = settlement_rows_read(directory, by_oktmo, level_two)
    report.conflicts = team_points_keep(settlement_rows)  # a team's point survives a reload
    rows_upsert(
        Settlement, "oktmo", settlement_rows, report.counts["settlements"], progress, _("Населённые пункты")
    )
    report.centers_changed = municipality_centers_update()
    GeodataLoad.objects.create(sha256=digest, created=report.created, changed=report.changed)
    return report
