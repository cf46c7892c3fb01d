"""GET /api/v1/export/{layer}.{format}: every file read back with GDAL; privacy; bad names and input.

GDAL (ogr2ogr) reads the database through its own connection, so the rows must be committed: these
tests are transactional (the pattern in tests/conftest.py)."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.gis.gdal import DataSource, GDALException
from django.utils import timezone
from rest_framework.test import APIClient

from api.exports import FORMATS, layer_formats
from api.layers import SOURCES
from fairs.models import Fair
from geo.models import Municipality, Settlement
from registry.models import Community
from registry.selectors.features import COMMUNITIES
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, coordinator, municipality, team_member

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
CANARY = '=HYPERLINK("http://evil.example";"нажми")'


@pytest.fixture
def rows() -> dict[str, Community]:
    iglino = municipality("80628000")
    return {
        "ufa": community(name="ТОС «Рассвет»", members_count=25),
        "canary": community(name=CANARY, settlement=None),
        "iglino": community(name="Клуб «Ладья»", municipality=iglino),
        "iglino_proposed": community(
            name="Клуб «Черновик»", municipality=iglino, status=Community.Status.PROPOSED
        ),
        "ufa_proposed": community(name="ТОС «Чужой черновик»", status=Community.Status.PROPOSED),
    }


def _download(client: APIClient, path: str, tmp_path: Path, **params: Any) -> Path:
    response = client.get(f"/api/v1/export/{path}", params)
    assert response.status_code == 200, b"".join(getattr(response, "streaming_content", [response.content]))
    today = timezone.localdate().isoformat()
    layer, _dot, fmt = path.partition(".")
    assert response["Content-Disposition"] == f'attachment; filename="{layer}-{today}.{fmt}"'
    assert response["Content-Type"].startswith(FORMATS[fmt].content_type.split(";")[0])
    target = tmp_path / f"{layer}-{today}.{fmt}"
    target.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    return target


def _read(target: Path) -> list[dict[str, Any]]:
    """Every feature's attributes (and its geometry's SRID) as GDAL reads the file."""
    name = f"/vsizip/{target}" if target.name.endswith(".zip") else str(target)
    source = DataSource(name)
    assert source.layer_count == 1
    layer = source[0]
    features = []
    for feature in layer:
        values = {field: feature.get(field) for field in layer.fields}
        values["__srid"] = layer.srs.srid if layer.srs else None
        try:
            values["__geom"] = feature.geom.geom_type.name
        except GDALException:  # a feature without a geometry (a municipality with no boundary)
            values["__geom"] = None
        features.append(values)
    return features


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_reads_back_with_the_public_rows_in_wgs84_with_russian_text(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path, fmt: str
) -> None:
    features = _read(_download(api_client, f"communities.{fmt}", tmp_path))

    name_field = "name" if fmt != "kml" else "Name"
    names = {feature[name_field] for feature in features}
    assert len(features) == 3  # the published ones only
    assert "ТОС «Рассвет»" in names
    assert "Клуб «Ладья»" in names
    assert not names & {"Клуб «Черновик»", "ТОС «Чужой черновик»"}
    # CSV and XLSX have no place for a CRS (their lon/lat and WKT are WGS 84, as the Open data page says)
    expected: set[int | None] = {None} if fmt in {"csv", "xlsx"} else {4326}
    assert {feature["__srid"] for feature in features} == expected
    geometries: set[str | None] = {None} if fmt == "xlsx" else {"Point"}
    assert {feature["__geom"] for feature in features} == geometries
    if fmt not in {"kml", "csv"}:  # KML keeps name and url only; CSV is checked cell by cell below
        municipality_field = "mun_name" if fmt == "shp.zip" else "municipality_name"
        assert {feature[municipality_field] for feature in features} >= {"Уфа"}
        assert "status" not in features[0]
        assert CANARY in names  # stored as text, returned as written outside spreadsheets


def test_csv_is_for_gis_without_a_bom_with_wkt_lon_lat_and_escaped_formula_cells(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path
) -> None:
    raw = _download(api_client, "communities.csv", tmp_path).read_bytes()

    assert raw.startswith(b"WKT,id,")  # no BOM: LibreOffice showed it in the first header
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {"WKT", "lon", "lat", "name", "municipality_name"} <= set(table[0])
    by_id = {int(row["id"]): row for row in table}
    assert by_id[rows["canary"].pk]["name"] == "'" + CANARY
    assert by_id[rows["ufa"].pk]["name"] == "ТОС «Рассвет»"
    assert by_id[rows["ufa"].pk]["WKT"].startswith("POINT (")
    location = rows["ufa"].location
    assert (float(by_id[rows["ufa"].pk]["lon"]), float(by_id[rows["ufa"].pk]["lat"])) == pytest.approx(
        (location.x, location.y), abs=1e-6
    )
    for row in table:  # no cell a spreadsheet would run
        assert not any(value[:1] in {"=", "+", "-", "@"} for key, value in row.items() if key != "WKT")


def test_shapefile_is_utf8_with_the_documented_names_and_real_times(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path
) -> None:
    target = _download(api_client, "communities.shp.zip", tmp_path)

    with zipfile.ZipFile(target) as bundle:
        entries = {entry.filename: entry for entry in bundle.infolist()}
        assert {f"communities.{part}" for part in ("shp", "shx", "dbf", "prj", "cpg")} <= set(entries)
        assert bundle.read("communities.cpg").decode().strip().upper() in {"UTF-8", "UTF8"}
    today = timezone.localdate()
    assert {entry.date_time[:3] for entry in entries.values()} == {(today.year, today.month, today.day)}
    fields = set(_read(target)[0]) - {"__srid", "__geom"}
    documented = {column.shapefile_name for column in COMMUNITIES.visible_columns(team=False)}
    assert fields == documented
    assert all(len(field) <= 10 for field in fields)


def test_every_layer_keeps_its_name_and_a_gpkg_says_the_day_in_its_description(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path
) -> None:
    target = _download(api_client, "communities.gpkg", tmp_path)

    source = DataSource(str(target))
    assert source[0].name == "communities"
    with sqlite3.connect(target) as database:
        [(description,)] = database.execute("SELECT description FROM gpkg_contents").fetchall()
    assert description.endswith(timezone.localdate().isoformat())


def test_xlsx_is_a_spreadsheet_with_lon_lat_text_cells_and_no_wkt(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path
) -> None:
    workbook = openpyxl.load_workbook(_download(api_client, "communities.xlsx", tmp_path))

    sheet = workbook["communities"]
    header = [cell.value for cell in sheet[1]]
    assert {"lon", "lat", "name", "municipality_name"} <= set(header)
    assert "WKT" not in header
    cells = {row[header.index("id")].value: row for row in sheet.iter_rows(min_row=2)}
    canary = cells[rows["canary"].pk][header.index("name")]
    assert (canary.value, canary.data_type) == (CANARY, "s")  # text, never a formula
    location = rows["ufa"].location
    lon = cells[rows["ufa"].pk][header.index("lon")].value
    lat = cells[rows["ufa"].pk][header.index("lat")].value
    assert (lon, lat) == pytest.approx((location.x, location.y), abs=1e-6)


def test_team_member_gets_own_proposed_with_status_and_nothing_of_other_municipalities(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path
) -> None:
    api_client.force_authenticate(team_member("80628000"))
    features = {
        feature["id"]: feature for feature in _read(_download(api_client, "communities.gpkg", tmp_path))
    }

    assert set(features) == {rows[key].pk for key in ("ufa", "canary", "iglino", "iglino_proposed")}
    assert features[rows["iglino_proposed"].pk]["status"] == "proposed"
    assert features[rows["iglino"].pk]["source"] == "team"
    assert features[rows["ufa"].pk]["status"] is None  # another team's row: public columns only


def test_coordinator_gets_every_community(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path
) -> None:
    api_client.force_authenticate(coordinator())
    features = _read(_download(api_client, "communities.fgb", tmp_path))

    assert {feature["id"] for feature in features} == {row.pk for row in rows.values()}


def test_filters_apply_to_the_file(api_client: APIClient, rows: dict[str, Community], tmp_path: Path) -> None:
    features = _read(_download(api_client, "communities.geojson", tmp_path, municipality="80628000"))

    assert [feature["id"] for feature in features] == [rows["iglino"].pk]


def test_municipalities_layer_has_the_districts_and_okrugs_with_published_counts(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path
) -> None:
    features = _read(_download(api_client, "municipalities.gpkg", tmp_path))

    assert len(features) == Municipality.objects.filter(level=1, boundary__isnull=False).count()
    counts = {feature["oktmo"]: feature["communities"] for feature in features}
    assert counts["80701000"] == 2
    assert counts["80628000"] == 1
    assert {feature["__geom"] for feature in features} == {"MultiPolygon"}
    assert "Иглинский район" in {feature["name"] for feature in features}


def test_rural_municipalities_are_a_table_and_settlements_points_with_their_source(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path
) -> None:
    rural = _read(_download(api_client, "rural_municipalities.gpkg", tmp_path))
    settlements = _read(_download(api_client, "settlements.geojson", tmp_path))

    assert len(rural) == Municipality.objects.filter(level=2).count()
    assert {feature["__geom"] for feature in rural} == {None}
    assert {feature["parent"] for feature in rural if feature["oktmo"].startswith("80628")} == {"80628000"}
    assert len(settlements) == Settlement.objects.filter(point__isnull=False).count()
    assert {feature["__geom"] for feature in settlements} == {"Point"}
    assert {feature["point_source"] for feature in settlements} == set(
        Settlement.objects.filter(point__isnull=False).values_list("source", flat=True)
    )
    for fmt in ("shp.zip", "fgb", "kml"):  # formats that need a geometry do not offer the table
        assert api_client.get(f"/api/v1/export/rural_municipalities.{fmt}").status_code == 404


def test_every_format_of_every_layer_has_the_count_the_api_reports(
    api_client: APIClient, rows: dict[str, Community], iglino_fair: Fair, tmp_path: Path
) -> None:
    for name, source in SOURCES.items():
        if source.layer.has_geometry:
            expected = api_client.get(f"/ogc/collections/{name}/items", {"f": "json", "limit": "1"}).json()
            count = expected["numberMatched"]
        else:
            count = api_client.get("/api/v1/municipalities/", {"level": 2}).json()["count"]
        for fmt in layer_formats(source.layer):
            assert len(_read(_download(api_client, f"{name}.{fmt}", tmp_path))) == count, (name, fmt)


def test_fairs_layer_with_a_formula_title_escaped_in_csv_only(
    api_client: APIClient, iglino_fair: Fair, tmp_path: Path
) -> None:
    Fair.objects.filter(pk=iglino_fair.pk).update(title="@SUM(1+1)*cmd|' /C calc'!A0", venue_name="-2+3")
    features = _read(_download(api_client, "fairs.kml", tmp_path))
    table = list(
        csv.DictReader(io.StringIO(_download(api_client, "fairs.csv", tmp_path).read_text("utf-8-sig")))
    )

    assert [feature["Name"] for feature in features] == ["@SUM(1+1)*cmd|' /C calc'!A0"]
    assert [(row["title"], row["venue_name"]) for row in table] == [("'@SUM(1+1)*cmd|' /C calc'!A0", "'-2+3")]


@pytest.mark.parametrize(
    "path",
    ["people.csv", "communities.exe", "communities", "communities.shp", "..%2F..%2Fetc%2Fpasswd",
     "communities.csv%00.gpkg", "registry_community.csv"],
)  # fmt: skip
def test_a_layer_or_format_not_on_the_list_is_a_json_404(api_client: APIClient, path: str) -> None:
    response = api_client.get(f"/api/v1/export/{path}")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"sphere": "x'; DROP TABLE registry_community; --"}, "sphere"), ({"in_bbox": "1,2,3"}, "in_bbox"),
     ({"status": "verified"}, "status"), ({"sphere_id": "1"}, "sphere_id")],
)  # fmt: skip
def test_bad_filters_are_a_400_naming_the_parameter(
    api_client: APIClient, rows: dict[str, Community], params: dict[str, str], field: str
) -> None:
    # municipalities have no status or sphere: asking for one is an error, not a silent full layer
    layer = "municipalities" if field == "status" else "communities"
    response = api_client.get(f"/api/v1/export/{layer}.csv", params)

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert Community.objects.count() == len(rows)


def test_no_temporary_files_are_left_behind(
    api_client: APIClient, rows: dict[str, Community], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    response = api_client.get("/api/v1/export/communities.shp.zip")
    assert list(tmp_path.glob("karta-export-*"))  # being streamed from there
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    response.close()

    assert not list(tmp_path.glob("karta-export-*"))
