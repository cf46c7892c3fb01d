"""GIS files for planners: GET /api/v1/export/{layer}.{format}.

GDAL writes every file (ogr2ogr reading the layer's SQL from PostGIS), never a hand-rolled writer;
the SQL is the layer's own (geo.layers.table_sql), so privacy and filters are those of the public
list. The file is written to a private temporary directory and streamed from there, then removed:
the server process never holds the data in memory."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.views import APIView

from api.layers import SOURCES, Source
from api.schema import BAD_REQUEST, NOT_FOUND
from api.throttling import GisReadThrottle, WriteThrottle
from geo.layers import FeatureQuery, Layer, table_sql

logger = logging.getLogger(__name__)

EXPORT_TIMEOUT_S = 15 * 60
CHUNK_BYTES = 1 << 20  # copied into a zip a megabyte at a time


@dataclass(frozen=True)
class Format:
    suffix: str
    driver: str
    content_type: str
    options: tuple[str, ...] = ()
    short_names: bool = False  # Shapefile: 10-character field names
    escape_formulas: bool = False  # CSV: formula cells escaped
    lon_lat: bool = False  # lon/lat columns (a polygon's: a point inside it)
    geometry: bool = True  # False: no geometry column (XLSX: a spreadsheet cannot hold one)
    tables: bool = True  # writes a layer without geometry (FlatGeobuf, Shapefile and KML cannot)
    zipped: bool = False  # several files, zipped here with real times (GDAL's /vsizip/ dates 1980)
    description_option: str = ""  # the layer creation option for a description (the date goes there)


FORMATS: dict[str, Format] = {
    "gpkg": Format("gpkg", "GPKG", "application/geopackage+sqlite3", description_option="DESCRIPTION"),
    # .shp, .shx, .dbf, .prj and a UTF-8 .cpg, zipped here
    "shp.zip": Format(
        "shp.zip", "ESRI Shapefile", "application/zip", ("-lco", "ENCODING=UTF-8"),
        short_names=True, tables=False, zipped=True,
    ),
    "geojson": Format(
        "geojson", "GeoJSON", "application/geo+json", ("-lco", "RFC7946=YES", "-lco", "WRITE_NAME=NO"),
        description_option="DESCRIPTION",
    ),
    "kml": Format("kml", "KML", "application/vnd.google-earth.kml+xml", tables=False),
    # for GIS (QGIS, GDAL, pandas): UTF-8 without a BOM, geometry as WKT; spreadsheets get the XLSX
    "csv": Format(
        "csv", "CSV", "text/csv; charset=utf-8",
        ("-lco", "GEOMETRY=AS_WKT", "-lco", "STRING_QUOTING=IF_NEEDED"),
        escape_formulas=True, lon_lat=True,
    ),
    "xlsx": Format(
        "xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lon_lat=True, geometry=False,
    ),
    "fgb": Format("fgb", "FlatGeobuf", "application/octet-stream", tables=False),
}  # fmt: skip


def layer_formats(layer: Layer) -> list[str]:
    """The formats that can carry the layer: a table without geometry only goes where tables go."""
    return [name for name, fmt in FORMATS.items() if layer.has_geometry or fmt.tables]


class ExportFailed(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Не удалось подготовить файл; попробуйте позже")
    default_code = "export_failed"


class _ExportFile(io.FileIO):
    """The written file, opened for the response; closing it removes its temporary directory."""

    def __init__(self, path: Path, directory: str) -> None:
        super().__init__(path, "rb")
        self._directory = directory

    def close(self) -> None:
        try:
            super().close()
        finally:
            shutil.rmtree(self._directory, ignore_errors=True)


def _pg_source() -> tuple[str, dict[str, str]]:
    """GDAL's PostgreSQL connection string for the connection this request uses, and the environment
    with the password (never on a command line)."""
    settings = connection.settings_dict
    parts = {"dbname": settings["NAME"], "host": settings.get("HOST"), "port": settings.get("PORT"),
             "user": settings.get("USER")}  # fmt: skip
    quoted = " ".join(
        "{}='{}'".format(key, str(value).replace("\\", "\\\\").replace("'", "\\'"))
        for key, value in parts.items()
        if value
    )
    environment = {**os.environ, "PGCLIENTENCODING": "UTF8"}
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    return f"PG:{quoted}", environment


def export_command(query: FeatureQuery, fmt: Format, *, target: Path, sql_file: Path) -> list[str]:
    """The ogr2ogr command writing the query's features to `target` (the SQL goes through a file).
    The layer keeps its own name (a saved QGIS project finds it in the next download); the day of
    the download goes into the file name and the layer's description."""
    layer: Layer = query.layer
    sql, params = table_sql(
        query, short_names=fmt.short_names, escape_formulas=fmt.escape_formulas, lon_lat=fmt.lon_lat,
        geometry=fmt.geometry,
    )  # fmt: skip
    with connection.cursor() as cursor:
        sql_file.write_text(cursor.cursor.mogrify(sql, params).decode(), encoding="utf-8")
    source, _environment = _pg_source()
    command = ["ogr2ogr", "-f", fmt.driver, str(target), source, "-sql", f"@{sql_file}", "-nln", layer.name]
    if layer.has_geometry and fmt.geometry:
        geometry_type = "MULTIPOLYGON" if layer.geometry_type == "MultiPolygon" else "POINT"
        command += ["-a_srs", "EPSG:4326", "-nlt", geometry_type]
    else:
        command += ["-nlt", "NONE"]
    command += list(fmt.options)
    if fmt.description_option:
        description = f"{layer.title}: {timezone.localdate().isoformat()}"
        command += ["-lco", f"{fmt.description_option}={description}"]
    if fmt.driver == "KML":
        label = next(c.name for c in layer.columns if c.name in {"name", "title"})
        command += ["-dsco", f"NameField={label}", "-dsco", "DescriptionField=url"]
    return command


def _zip_directory(directory: Path, target: Path) -> None:
    """The files of `directory` in one zip, dated now (in the project's time zone)."""
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(directory.iterdir()):
            entry = zipfile.ZipInfo(path.name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            # streamed: a district's .dbf runs to tens of megabytes, none of it held in memory
            with path.open("rb") as source, bundle.open(entry, "w") as sink:
                shutil.copyfileobj(source, sink, CHUNK_BYTES)


def export_file(query: FeatureQuery, fmt_name: str) -> tuple[_ExportFile, str]:
    """Writes the file with GDAL and returns it opened, with the download name (layer and date)."""
    fmt = FORMATS[fmt_name]
    stem = f"{query.layer.name}-{timezone.localdate().isoformat()}"
    directory = tempfile.mkdtemp(prefix="karta-export-")
    try:
        work = Path(directory)
        target = work / f"{stem}.{fmt.suffix}"
        written = work / "files" / f"{query.layer.name}.shp" if fmt.zipped else target
        written.parent.mkdir(exist_ok=True)
        command = export_command(query, fmt, target=written, sql_file=work / "query.sql")
        _source, environment = _pg_source()
        result = subprocess.run(  # noqa: S603 - a fixed program, arguments as a list
            command, capture_output=True, text=True, timeout=EXPORT_TIMEOUT_S, env=environment, check=False
        )
        if result.returncode != 0 or not written.exists():
            logger.error("ogr2ogr failed (%s): %s", result.returncode, result.stderr[-2000:])
            raise ExportFailed
        if fmt.zipped:
            _zip_directory(written.parent, target)
        return _ExportFile(target, directory), target.name
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def export_description() -> str:
    """The attribute tables of the layers, for the schema (the Open data page shows the same)."""
    lines = []
    for name, source in SOURCES.items():
        lines.append(f"\n**{name}** — {source.layer.title}. {source.layer.description}\n")
        lines.append("| поле | Shapefile | тип | описание |\n|---|---|---|---|")
        lines += [f"| {c.name} | {c.shapefile_name} | {c.kind} | {c.title} |" for c in source.layer.columns]
    return "\n".join(lines)


class ExportApi(APIView):
    """GET /api/v1/export/{layer}.{format}: layer communities, municipalities or fairs; format gpkg,
    shp.zip, geojson, kml, csv or fgb. The same filters and privacy as the public list."""

    throttle_classes = [GisReadThrottle, WriteThrottle]

    @extend_schema(
        operation_id="export",
        summary="Выгрузка слоя для ГИС",
        description=(
            "Файл слоя в EPSG:4326, записанный GDAL; слой внутри файла называется как в адресе"
            " (communities), дата выгрузки — в имени файла и в описании слоя. Фильтры — как у списка"
            " сообществ (municipality, sphere, q, status, in_bbox, near+dist, updated_since — что понимает"
            " слой). CSV (для ГИС): UTF-8 без BOM, колонки WKT, lon, lat; ячейки, начинающиеся с = + - @,"
            " экранированы апострофом. XLSX (для таблиц): колонки lon, lat, без WKT. Shapefile:"
            " кодировка UTF-8 (.cpg), имена полей до 10 символов (колонка «Shapefile»). Таблица"
            " rural_municipalities (без геометрии) — в GeoPackage, GeoJSON, CSV и XLSX."
            + export_description()
        ),
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="{layer}.{format}, например communities.gpkg",
            ),
        ],  # fmt: skip
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, name: str) -> FileResponse:
        layer_name, _dot, fmt_name = name.partition(".")
        source: Source | None = SOURCES.get(layer_name)
        if source is None or fmt_name not in layer_formats(source.layer):
            raise Http404
        query = source.query(user=request.user, params=request.query_params)
        file, download_name = export_file(query, fmt_name)
        response = FileResponse(file, as_attachment=True, filename=download_name)
        response["Content-Type"] = FORMATS[fmt_name].content_type
        response["Cache-Control"] = "private, no-store" if query.team_fields else "public, max-age=300"
        return response
