"""Geo writes: loading the shipped boundaries, OKTMO classifier and gazetteer (fixtures/geo/)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.db import models, transaction
from django.utils.translation import gettext as _
from slugify import slugify

from geo.errors import DomainError, ErrorItem
from geo.models import GeodataLoad, Municipality, Region, Settlement
from geo.placement import PointConflict, team_points_keep
from geo.points import municipality_centers_update
from geo.text import fold

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "geo"
RB_ISO = "RU-BA"
# Overview maps of neighbours: the same tolerance the shipped simplified RB file used (~130–220 m).
SIMPLIFY_TOLERANCE_DEG = 0.002
OSM_SOURCE = "OpenStreetMap (ODbL), 2020"
M = TypeVar("M", bound=models.Model)
Progress = Callable[[Iterable[Any], str, int], Iterable[Any]]


@dataclass
class LoadCounts:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


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


def _read_features(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return list(json.load(handle)["features"])


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _multipolygon(feature: dict[str, Any], *, where: str) -> MultiPolygon:
    try:
        geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
    except (ValueError, TypeError, KeyError) as error:
        raise DomainError(
            ErrorItem(where, _("Геометрия не читается: {}").format(error), "geometry_unparsable")
        ) from error
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry, srid=4326)
    if not isinstance(geometry, MultiPolygon) or geometry.empty:
        raise DomainError(ErrorItem(where, _("Ожидается (мульти)полигон"), "geometry_wrong_type"))
    if not geometry.valid:
        raise DomainError(
            ErrorItem(where, _("Геометрия некорректна: {}").format(geometry.valid_reason), "geometry_invalid")
        )
    return geometry


def _simplified(geometry: MultiPolygon) -> MultiPolygon:
    simple = geometry.simplify(SIMPLIFY_TOLERANCE_DEG, preserve_topology=True)
    result = MultiPolygon(simple, srid=4326) if isinstance(simple, Polygon) else simple
    if not isinstance(result, MultiPolygon):
        raise DomainError(ErrorItem(None, _("Упрощение границы дало не полигон"), "geometry_wrong_type"))
    result.srid = 4326
    return result


def _same(current: object, wanted: object) -> bool:
    if isinstance(wanted, GEOSGeometry) and isinstance(current, GEOSGeometry):
        return bool(current.equals_exact(wanted, 1e-9))
    if isinstance(wanted, GEOSGeometry) or isinstance(current, GEOSGeometry):
        return False
    if isinstance(wanted, float) and isinstance(current, float):
        return abs(current - wanted) < 1e-9
    return current == wanted


def _is_relation(model: type[models.Model], name: str) -> bool:
    return model._meta.get_field(name).is_relation


def _current(obj: models.Model, name: str) -> object:
    """A relation compares by its id: reading the related object would cost a query per row."""
    return getattr(obj, f"{name}_id") if _is_relation(type(obj), name) else getattr(obj, name)


def _comparable(value: object) -> object:
    return value.pk if isinstance(value, models.Model) else value


def _upsert(
    model: type[M],
    key: str,
    rows: list[dict[str, Any]],
    counts: LoadCounts,
    progress: Progress,
    label: str,
) -> dict[str, M]:
    """Create or update rows by their stable key; rows that match field for field stay untouched."""
    existing: dict[str, M] = {
        getattr(obj, key): obj
        for obj in model._default_manager.filter(**{f"{key}__in": [row[key] for row in rows]})
    }
    to_create: list[M] = []
    to_update: list[M] = []
    changed_fields: set[str] = set()
    for row in progress(rows, label, len(rows)):
        obj = existing.get(row[key])
        if obj is None:
            obj = model(**row)
            # Field validators only: keys are unique by construction, relations were just loaded.
            obj.clean_fields(exclude=[name for name, value in row.items() if _is_relation(model, name)])
            to_create.append(obj)
            continue
        differing = [
            name for name, value in row.items() if not _same(_current(obj, name), _comparable(value))
        ]
        if differing:
            for name in differing:
                setattr(obj, name, row[name])
            changed_fields.update(differing)
            to_update.append(obj)
        else:
            counts.unchanged += 1
    model._default_manager.bulk_create(to_create, batch_size=500)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=200)
    counts.created += len(to_create)
    counts.changed += len(to_update)
    return {
        getattr(obj, key): obj
        for obj in model._default_manager.filter(**{f"{key}__in": [row[key] for row in rows]})
    }


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


def _neighbour_kind(properties: dict[str, Any]) -> str:
    name = fold(properties.get("oktmo_2016_name") or properties["name"])
    code = properties.get("oktmo_2016") or ""
    if "муниципальный округ" in name or code[2:3] == "5":
        return Municipality.Kind.MUNICIPAL_OKRUG
    if "район" in name.split() or code[2:3] == "6":
        return Municipality.Kind.MUNICIPAL_DISTRICT
    return Municipality.Kind.URBAN_OKRUG


def _rb_top_level_rows(directory: Path, regions: dict[str, Region]) -> list[dict[str, Any]]:
    simplified = {
        f["properties"]["oktmo"]: f
        for f in _read_features(directory / "bashkortostan_municipalities_simplified.geojson")
    }
    rows = []
    for feature in _read_features(directory / "bashkortostan_municipalities.geojson"):
        properties = feature["properties"]
        oktmo = properties["oktmo"]
        rows.append(
            {
                "source_key": oktmo,
                "oktmo": oktmo,
                "region": regions[RB_ISO],
                "parent": None,
                "name": properties["name"],
                "official_name": properties["oktmo_name"],
                "kind": properties["kind"],
                "level": Municipality.Level.TOP,
                "admin_center": properties.get("admin_center") or "",
                "area_km2": float(properties["area_km2"]),
                "boundary": _multipolygon(feature, where=f"bashkortostan_municipalities.geojson: {oktmo}"),
                "boundary_simplified": _multipolygon(simplified[oktmo], where=f"simplified: {oktmo}"),
                "source": OSM_SOURCE + "; ОКТМО",
            }
        )
    return rows


def _neighbour_rows(directory: Path, regions: dict[str, Region]) -> list[dict[str, Any]]:
    rows = []
    for feature in _read_features(directory / "neighbours_municipalities.geojson"):
        properties = feature["properties"]
        code = properties.get("oktmo_2016")
        key = code or f"{properties['region_iso']}/{properties['name']}"
        boundary = _multipolygon(feature, where=f"neighbours_municipalities.geojson: {key}")
        rows.append(
            {
                "source_key": key,
                # OKTMO 2016 edition: a hint for neighbours (some were reorganised since), see SOURCES.md.
                "oktmo": code,
                "region": regions[properties["region_iso"]],
                "parent": None,
                "name": properties["name"],
                "official_name": properties.get("oktmo_2016_name") or properties["name"],
                "kind": _neighbour_kind(properties),
                "level": Municipality.Level.TOP,
                "admin_center": "",
                "area_km2": float(properties["area_km2"]),
                "boundary": boundary,
                "boundary_simplified": _simplified(boundary),
                "source": OSM_SOURCE + ("; ОКТМО 2016 (подсказка)" if code else ""),
            }
        )
    return rows


def _level_two_rows(
    directory: Path, parents: dict[str, Municipality], regions: dict[str, Region]
) -> list[dict[str, Any]]:
    rows = []
    for record in _read_csv(directory / "bashkortostan_oktmo_municipalities.csv"):
        if record["level"] != "2":
            continue
        rows.append(
            {
                "source_key": record["oktmo"],
                "oktmo": record["oktmo"],
                "region": regions[RB_ISO],
                "parent": parents[record["parent_oktmo"]],
                "name": record["name"],
                "official_name": record["name"],
                "kind": record["kind"],
                "level": Municipality.Level.SETTLEMENT,
                "admin_center": record["admin_center"],
                "area_km2": None,
                "boundary": None,
                "boundary_simplified": None,
                "source": "ОКТМО",
            }
        )
    return rows


def _known_points(
    directory: Path, settlements: list[dict[str, str]]
) -> dict[str, tuple[Point, int | None, str]]:
    """Points joined where OKTMO and names agree: HFLabs towns by code, GeoNames places by name in the district."""
    points: dict[str, tuple[Point, int | None, str]] = {}
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for record in settlements:
        by_name[(record["municipality_oktmo"], fold(record["name"]))].append(record["oktmo"])
    codes = {record["oktmo"] for record in settlements}
    for feature in _read_features(directory / "cities_hflabs.geojson"):
        properties = feature["properties"]
        if properties.get("oktmo") in codes:
            lon, lat = feature["geometry"]["coordinates"]
            points[properties["oktmo"]] = (
                Point(lon, lat, srid=4326),
                properties.get("population"),
                "HFLabs / DaData (CC BY-SA 4.0)",
            )
    for feature in _read_features(directory / "places_geonames.geojson"):
        properties = feature["properties"]
        if not properties.get("name_ru") or not properties.get("municipality_oktmo"):
            continue
        same_name = by_name.get((properties["municipality_oktmo"], fold(properties["name_ru"])), [])
        if len(same_name) == 1 and same_name[0] not in points:
            lon, lat = feature["geometry"]["coordinates"]
            points[same_name[0]] = (Point(lon, lat, srid=4326), None, "GeoNames (CC BY 4.0)")
    return points


def _settlement_rows(
    directory: Path, top: dict[str, Municipality], level_two: dict[str, Municipality]
) -> list[dict[str, Any]]:
    records = _read_csv(directory / "bashkortostan_settlements_oktmo.csv")
    points = _known_points(directory, records)
    rows = []
    for number, record in enumerate(records, start=2):
        if record["municipality_oktmo"] not in top:
            raise DomainError(
                ErrorItem(
                    f"bashkortostan_settlements_oktmo.csv:{number}",
                    _("Неизвестный ОКТМО района {}").format(record["municipality_oktmo"]),
                    "municipality_unknown",
                )
            )
        point, population, source = points.get(record["oktmo"], (None, None, "ОКТМО"))
        if point is None and record["lon"] and record["lat"]:
            point = Point(float(record["lon"]), float(record["lat"]), srid=4326)
            source = record["coord_source"]
        if population is None and record["population"]:
            population = int(record["population"])
        rows.append(
            {
                "oktmo": record["oktmo"],
                "type": record["type"],
                "type_full": record["type_full"],
                "name": record["name"],
                "name_normalized": fold(record["name"]),
                "municipality": top[record["municipality_oktmo"]],
                "rural_municipality": level_two.get(record["settlement_mo_oktmo"]),
                "point": point,
                "population": population,
                "source": source if point is not None else "ОКТМО",
            }
        )
    return rows


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
            "outline": _multipolygon(f, where=f"regions.geojson: {f['properties']['region_iso']}"),
        }
        for f in _read_features(directory / "regions.geojson")
    ]
    regions = _upsert(Region, "iso_code", region_rows, report.counts["regions"], progress, _("Регионы"))

    top_rows = _rb_top_level_rows(directory, regions) + _neighbour_rows(directory, regions)
    qualifiers = {row["source_key"]: row["region"].iso_code.split("-")[-1] for row in top_rows}
    top = _upsert(
        Municipality,
        "source_key",
        list(_with_slugs(top_rows, qualifiers)),
        report.counts["municipalities"],
        progress,
        _("Районы и округа"),
    )
    by_oktmo = {municipality.oktmo: municipality for municipality in top.values() if municipality.oktmo}

    level_two_rows = _level_two_rows(directory, by_oktmo, regions)
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
    level_two = _upsert(
        Municipality,
        "source_key",
        level_two_rows,
        report.counts["settlement_municipalities"],
        progress,
        _("Поселения"),
    )

    settlement_rows = _settlement_rows(directory, by_oktmo, level_two)
    report.conflicts = team_points_keep(settlement_rows)  # a team's point survives a reload
    _upsert(
        Settlement, "oktmo", settlement_rows, report.counts["settlements"], progress, _("Населённые пункты")
    )
    report.centers_changed = municipality_centers_update()
    GeodataLoad.objects.create(sha256=digest, created=report.created, changed=report.changed)
    return report
