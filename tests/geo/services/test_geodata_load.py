"""geodata_load: the shipped fixtures/geo/ files, loaded into PostGIS once per session (tests/conftest.py)."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, F

from geo.errors import DomainError
from geo.models import GeodataLoad, Municipality, Region, Settlement
from geo.services import FIXTURES_DIR, GeodataReport, geodata_load

pytestmark = pytest.mark.django_db

PROGRAMME_REGIONS = {"RU-BA", "RU-TA", "RU-UD", "RU-PER", "RU-ORE", "RU-SVE", "RU-CHE"}
# A self-intersecting ring: its two edges cross at (55.5, 54.5).
BOW_TIE = {"type": "Polygon", "coordinates": [[[55, 54], [56, 55], [56, 54], [55, 55], [55, 54]]]}


def _row_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "settlements": Settlement.objects.count(),
        "loads": GeodataLoad.objects.count(),
    }


def _fixtures_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "geo"
    shutil.copytree(FIXTURES_DIR, directory)
    return directory


def _edit_features(path: Path, edit: dict[int, dict[str, object]]) -> None:
    """Replace top-level keys ("geometry", "properties") of the features at the given indexes."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    for index, replacement in edit.items():
        collection["features"][index].update(replacement)
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def test_first_load_creates_the_seven_programme_regions() -> None:
    assert set(Region.objects.values_list("iso_code", flat=True)) == PROGRAMME_REGIONS
    assert Region.objects.count() == 7


def test_first_load_creates_63_bashkortostan_districts_and_okrugs_with_boundaries() -> None:
    top = Municipality.objects.filter(level=Municipality.Level.TOP, region__iso_code="RU-BA")

    assert top.count() == 63
    assert not top.filter(boundary__isnull=True).exists()
    assert not top.filter(boundary_simplified__isnull=True).exists()
    assert Counter(top.values_list("kind", flat=True)) == {
        Municipality.Kind.MUNICIPAL_DISTRICT: 54,
        Municipality.Kind.URBAN_OKRUG: 9,
    }


def test_first_load_creates_279_neighbour_municipalities_with_boundaries() -> None:
    neighbours = Municipality.objects.filter(level=Municipality.Level.TOP).exclude(region__iso_code="RU-BA")

    assert neighbours.count() == 279
    assert not neighbours.filter(boundary__isnull=True).exists()
    assert dict(neighbours.values_list("region__iso_code").annotate(total=Count("id"))) == {
        "RU-TA": 45,
        "RU-UD": 30,
        "RU-PER": 46,
        "RU-ORE": 42,
        "RU-SVE": 73,
        "RU-CHE": 43,
    }


def test_first_load_creates_832_settlement_municipalities_each_inside_a_bashkortostan_district() -> None:
    level_two = Municipality.objects.filter(level=Municipality.Level.SETTLEMENT)

    assert level_two.count() == 832
    assert set(level_two.values_list("region__iso_code", flat=True)) == {"RU-BA"}
    assert not level_two.filter(boundary__isnull=False).exists()
    assert not level_two.filter(parent__isnull=True).exists()
    assert set(level_two.values_list("parent__level", "parent__region__iso_code").distinct()) == {
        (Municipality.Level.TOP, "RU-BA")
    }
    assert Counter(level_two.values_list("kind", flat=True)) == {
        Municipality.Kind.RURAL_SETTLEMENT: 818,
        Municipality.Kind.URBAN_SETTLEMENT: 14,
    }


def test_first_load_creates_every_gazetteer_settlement_and_99_points() -> None:
    assert Settlement.objects.count() == 4557
    # 98 rows of the CSV carry coordinates; the HFLabs/GeoNames join adds one more.
    assert Settlement.objects.filter(point__isnull=False).count() == 99


def test_settlements_outside_urban_okrugs_belong_to_a_selsovet_of_their_district() -> None:
    settlements = Settlement.objects.exclude(municipality__kind=Municipality.Kind.URBAN_OKRUG)

    assert not settlements.filter(rural_municipality__isnull=True).exists()
    assert not settlements.exclude(rural_municipality__parent=F("municipality")).exists()


def test_settlement_points_lie_inside_their_municipality() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT ST_Intersects(m.boundary, s.point))"
            " FROM geo_settlement s JOIN geo_municipality m ON m.id = s.municipality_id"
            " WHERE s.point IS NOT NULL"
        )
        checked, outside = cursor.fetchone()

    assert checked == 99
    assert outside == 0


def test_first_report_counts_every_row_as_created(geodata_first_report: GeodataReport) -> None:
    counts = geodata_first_report.counts

    assert {label: count.created for label, count in counts.items()} == {
        "regions": 7,
        "municipalities": 63 + 279,
        "settlement_municipalities": 832,
        "settlements": 4557,
    }
    assert geodata_first_report.created == 7 + 342 + 832 + 4557
    assert geodata_first_report.changed == 0
    assert all(count.unchanged == 0 for count in counts.values())


def test_second_load_creates_and_changes_nothing() -> None:
    before = _row_counts()

    report = geodata_load()

    assert report.created == 0
    assert report.changed == 0
    assert {label: count.unchanged for label, count in report.counts.items()} == {
        "regions": 7,
        "municipalities": 342,
        "settlement_municipalities": 832,
        "settlements": 4557,
    }
    assert _row_counts() == {**before, "loads": before["loads"] + 1}


def test_slugs_are_unique_and_latin() -> None:
    slugs = list(Municipality.objects.values_list("slug", flat=True))

    assert len(slugs) == 63 + 279 + 832
    assert len(set(slugs)) == len(slugs)
    assert [slug for slug in slugs if not re.fullmatch(r"[a-z0-9-]+", slug)] == []


def test_oktmo_is_stored_as_an_eight_digit_string_with_its_leading_digits() -> None:
    assert Municipality.objects.get(name="Абзелиловский район").oktmo == "80601000"
    bashkortostan = Municipality.objects.filter(region__iso_code="RU-BA")
    assert bashkortostan.count() == 895
    assert [
        code
        for code in bashkortostan.values_list("oktmo", flat=True)
        if not re.fullmatch(r"80\d{6}", code or "")
    ] == []


def test_neighbour_oktmo_codes_start_with_their_region_prefix() -> None:
    coded = Municipality.objects.exclude(region__iso_code="RU-BA").filter(oktmo__isnull=False)

    assert coded.count() == 45 + 30 + 46 + 42  # Sverdlovsk and Chelyabinsk have no codes
    assert [
        (oktmo, prefix)
        for oktmo, prefix in coded.values_list("oktmo", "region__oktmo_prefix")
        if not re.fullmatch(rf"{prefix}\d{{6}}", oktmo or "")
    ] == []


def test_settlement_oktmo_extends_its_municipality_code() -> None:
    mismatched = [
        (oktmo, municipality_oktmo)
        for oktmo, municipality_oktmo in Settlement.objects.values_list("oktmo", "municipality__oktmo")
        if not re.fullmatch(r"\d{11}", oktmo) or oktmo[:5] != (municipality_oktmo or "")[:5]
    ]

    assert mismatched == []


def test_stored_area_agrees_with_the_geodesic_area_of_the_boundary() -> None:
    # The files round area_km2 to 0.1 km², so the smallest units get an absolute tolerance of half a step.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, area_km2, ST_Area(boundary::geography) / 1e6 FROM geo_municipality WHERE level = 1"
            " UNION ALL SELECT name, area_km2, ST_Area(outline::geography) / 1e6 FROM geo_region"
        )
        rows = cursor.fetchall()

    assert len(rows) == 342 + 7
    assert [
        (name, stored, round(computed, 2))
        for name, stored, computed in rows
        if abs(stored - computed) > max(0.005 * computed, 0.05)
    ] == []


def test_every_stored_boundary_is_valid() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT ST_IsValid(geometry)) FROM ("
            " SELECT boundary AS geometry FROM geo_municipality WHERE boundary IS NOT NULL"
            " UNION ALL SELECT boundary_simplified FROM geo_municipality WHERE boundary_simplified IS NOT NULL"
            " UNION ALL SELECT outline FROM geo_region) AS geometries"
        )
        checked, invalid = cursor.fetchone()

    assert checked == 342 * 2 + 7
    assert invalid == 0


def test_load_refuses_a_self_intersecting_region_and_writes_nothing(tmp_path: Path) -> None:
    directory = _fixtures_copy(tmp_path)
    _edit_features(directory / "regions.geojson", {0: {"geometry": BOW_TIE}})
    before = _row_counts()

    with pytest.raises(DomainError) as raised:
        geodata_load(directory=directory)

    [item] = raised.value.items
    assert item.code == "geometry_invalid"
    assert item.field is not None
    assert item.field.startswith("regions.geojson")
    assert re.search("[а-яё]", item.message)
    assert _row_counts() == before


def test_load_rolls_back_rows_written_before_a_broken_feature(tmp_path: Path) -> None:
    # Regions are written first; a broken neighbour polygon further on must undo that write too.
    directory = _fixtures_copy(tmp_path)
    regions = json.loads((directory / "regions.geojson").read_text(encoding="utf-8"))
    properties = {**regions["features"][0]["properties"], "name": "Переименованный регион"}
    iso_code = properties["region_iso"]
    original_name = Region.objects.get(iso_code=iso_code).name
    _edit_features(directory / "regions.geojson", {0: {"properties": properties}})
    _edit_features(directory / "neighbours_municipalities.geojson", {0: {"geometry": BOW_TIE}})
    before = _row_counts()

    with pytest.raises(DomainError, match="geometry_invalid"):
        geodata_load(directory=directory)

    assert Region.objects.get(iso_code=iso_code).name == original_name
    assert _row_counts() == before
