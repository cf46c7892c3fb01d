"""Feature layers: one SQL description of a table of features, read by the public list, the OGC API
and the GIS exports alike, so privacy, filters and the attribute table have one source of truth.

A Layer names its FROM clause, its id and geometry expressions and its columns; a FeatureQuery is
a layer with the WHERE clause and parameters for one acting user and one set of filters (each app
builds its own: registry for communities and municipalities, fairs for fairs). From a query:
- feature_page / feature_stream build GeoJSON in PostgreSQL (never a Python object per feature);
- table_sql gives a plain SELECT of typed columns plus `geom`, which GDAL (ogr2ogr) writes to files.
"""

from __future__ import annotations

import contextlib
import io
import queue
import threading
from collections.abc import Generator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.functional import Promise
from psycopg2.extensions import TRANSACTION_STATUS_IDLE, TRANSACTION_STATUS_INERROR

# Cells a spreadsheet would run as a formula (CSV injection): the export writes them with a leading '.
FORMULA_START = r"^[=+\-@\t\r]"


@dataclass(frozen=True)
class Column:
    """One attribute: its name in GeoJSON, GeoPackage, FlatGeobuf, KML, CSV and XLSX; `short` is its
    Shapefile name when `name` is longer than the format's 10 characters (else its first 10, which
    is what GDAL would write: the documentation shows the name the file has)."""

    name: str
    sql: str
    kind: str  # "integer" | "number" | "string" | "date" | "datetime" | "boolean"
    title: str | Promise
    short: str = ""
    team: bool = False  # shown to team members (of the row's municipality) only

    @property
    def shapefile_name(self) -> str:
        return self.short or self.name[:10]


@dataclass(frozen=True)
class Layer:
    name: str
    title: str | Promise
    description: str | Promise
    from_sql: str
    id_sql: str
    geometry_sql: str
    geometry_type: str  # "Point" | "MultiPolygon" | "None" (a table: every geometry is null)
    columns: tuple[Column, ...]
    # query parameters the layer filters on (beyond bbox/limit/offset), with their descriptions
    filters: dict[str, str | Promise] = field(default_factory=dict)
    # columns a client may filter on by equality (?level=1), besides `filters`: see feature_query_narrow
    equals: tuple[str, ...] = ()
    # the column (kind date or datetime) that places a feature in time (OGC `datetime`), if any
    temporal: str = ""
    # each row's public feature text (what public_feature_sql builds) kept by the database, as SQL
    # of the row's id ({id}): read instead of building it when the query adds nothing to the public
    # columns
    stored_feature_sql: str = ""

    @property
    def has_geometry(self) -> bool:
        return self.geometry_type != "None"

    def visible_columns(self, *, team: bool) -> list[Column]:
        return [column for column in self.columns if team or not column.team]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def queryables(self) -> list[Column]:
        """The public columns a client can filter on: the filters named after a column, the equals."""
        names = {*self.filters, *self.equals}
        return [column for column in self.columns if column.name in names and not column.team]


@dataclass(frozen=True)
class Period:
    """A half-open time interval [start, end); None is an open end."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class FeatureQuery:
    """The WHERE clause of a layer's features for one acting user, with its parameters."""

    layer: Layer
    where: str
    params: dict[str, Any]
    team_fields: bool
    # the features' order (a distance for `near`), the id order when empty; the id breaks ties
    order_sql: str = ""
    # properties this query adds to the layer's own (name, SQL): `distance_m` for `near`
    extra_properties: tuple[tuple[str, str], ...] = ()

    @property
    def order(self) -> str:
        return f"{self.order_sql}, {self.layer.id_sql}" if self.order_sql else self.layer.id_sql


def bbox_clause(geometry_sql: str, bbox: tuple[float, float, float, float], params: dict[str, Any]) -> str:
    """The WHERE clause of `geometry_sql` overlapping a box (minlon, minlat, maxlon, maxlat in WGS 84),
    whose corners it adds to `params` (x0, y0, x1, y1): every layer's `bbox` filter."""
    params.update(zip(("x0", "y0", "x1", "y1"), bbox, strict=True))
    return f"{geometry_sql} && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)"


def _properties(query: FeatureQuery) -> str:
    pairs = [
        f"'{column.name}', {column.sql}" for column in query.layer.visible_columns(team=query.team_fields)
    ] + [f"'{name}', {sql}" for name, sql in query.extra_properties]
    return "json_build_object(" + ", ".join(pairs) + ")"


def _stored(query: FeatureQuery) -> bool:
    """Whether the query's features are the layer's stored public texts."""
    return bool(query.layer.stored_feature_sql) and not query.team_fields and not query.extra_properties


def _feature(query: FeatureQuery) -> str:
    """A feature's GeoJSON as text: the stored public text when the layer keeps one and the query
    wants just the public columns (built as below if a row has none yet), else built."""
    built = _feature_built(query)
    if not _stored(query):
        return built
    return f"coalesce({query.layer.stored_feature_sql.format(id=query.layer.id_sql)}, {built})"


def public_feature_sql(layer: Layer) -> str:
    """The SQL of a row's feature as everyone outside its team sees it (the layer's public columns),
    over the layer's FROM aliases: what a layer's stored feature text holds."""
    return _feature_built(FeatureQuery(layer, "TRUE", {}, team_fields=False))


def _feature_built(query: FeatureQuery) -> str:
    """A feature's GeoJSON as text, joined from parts PostgreSQL writes as JSON already: casting
    ST_AsGeoJSON's text to json only to print it again cost a tenth of a 1,000-feature page."""
    layer = query.layer
    return (
        f"""'{{"type": "Feature", "id": ' || to_json({layer.id_sql})::text"""
        f""" || ', "geometry": ' || coalesce(ST_AsGeoJSON({layer.geometry_sql}, 6), 'null')"""
        f""" || ', "properties": ' || {_properties(query)}::text || '}}'"""
    )


def feature_count(query: FeatureQuery) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {query.layer.from_sql} WHERE {query.where}", query.params)  # noqa: S608
        return int(cursor.fetchone()[0])


def feature_page(query: FeatureQuery, *, limit: int, offset: int) -> tuple[int, str]:
    """(how many match, the features of one page as a JSON array text in the query's order), in one
    query: the ids are found and counted first, the GeoJSON is built for the page's rows only."""
    layer = query.layer
    # the page's own order: its ids, or a rank when another order (a distance) chose them
    rank = f"row_number() OVER (ORDER BY {query.order})" if query.order_sql else layer.id_sql
    one = f"{layer.from_sql} WHERE {layer.id_sql} = page.id"
    if _stored(query):
        # one index read per row for its stored text; the joins only for a row that has none
        stored = layer.stored_feature_sql.format(id="page.id")
        feature = f"coalesce({stored}, (SELECT {_feature_built(query)} {one}))"
        source = ""
    else:
        feature = "f.feature"
        source = f" CROSS JOIN LATERAL (SELECT {_feature_built(query)} AS feature {one}) f"
    sql = (
        f"SELECT max(page.total), '[' || coalesce(string_agg({feature}, ', ' ORDER BY page.rank), '') || ']' FROM ("  # noqa: S608
        f" SELECT {layer.id_sql} AS id, count(*) OVER () AS total, {rank} AS rank"
        f" {layer.from_sql} WHERE {query.where}"
        f" ORDER BY {query.order} LIMIT %(limit)s OFFSET %(offset)s) page{source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {**query.params, "limit": limit, "offset": offset})
        total, features = cursor.fetchone()
    if total is None:  # an empty page: past the end, or nothing matches
        total = feature_count(query) if offset else 0
    return int(total), str(features)


def feature_sql(query: FeatureQuery) -> tuple[str, dict[str, Any]]:
    """The SELECT of every feature's JSON text in id order (what feature_stream runs; COPY-able)."""
    layer = query.layer
    return (
        f"SELECT {_feature(query)} {layer.from_sql} WHERE {query.where} ORDER BY {query.order}",  # noqa: S608
        query.params,
    )


class _Chunks(io.RawIOBase):
    """COPY's output, gathered into chunks of about `size` bytes and handed over through a bounded
    queue (the reader's pace holds the writer back: memory stays flat)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.buffer = bytearray()
        self.queue: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=4)
        self.stopped = threading.Event()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.stopped.is_set():  # nobody reads any more: dropped until the cancel lands
            return len(data)
        self.buffer += data
        if len(self.buffer) >= self.size:
            self.queue.put(bytes(self.buffer))
            self.buffer.clear()
        return len(data)


def feature_stream(
    query: FeatureQuery, *, chunk_bytes: int = 1 << 20
) -> Generator[tuple[bytes, int], None, None]:
    """Every feature as UTF-8 JSON, in id order, straight from COPY (no Python object per row), as
    (bytes, features ended in them): joined, the chunks are the features separated by commas.
    COPY runs in a helper thread on this request's connection, which the caller leaves alone until
    the stream ends."""
    sql, params = feature_sql(query)
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        statement = cursor.mogrify(sql, params).decode()
    # CSV with a quote and a delimiter that JSON text never holds: each feature is one line, as is
    copy = f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
    sink = _Chunks(chunk_bytes)
    # Inside a transaction (a test, an atomic block) a cancelled COPY must not abort the whole of it.
    savepoint = raw.get_transaction_status() != TRANSACTION_STATUS_IDLE
    if savepoint:
        with raw.cursor() as cursor:
            cursor.execute("SAVEPOINT feature_stream")

    def run() -> None:
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(copy, sink)
            if sink.buffer:
                sink.queue.put(bytes(sink.buffer))
            sink.queue.put(None)
        except BaseException as error:  # handed to the reader, which raises it
            sink.queue.put(error)

    worker = threading.Thread(target=run, name="feature-copy", daemon=True)
    worker.start()
    try:
        held = b""  # one chunk is held back: the stream's last byte (a separator) is dropped
        while (item := sink.queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            if held:
                yield held.replace(b"\n", b","), held.count(b"\n")
            held = item
        if held:
            yield held[:-1].replace(b"\n", b","), held.count(b"\n")
    finally:
        if worker.is_alive():  # the reader left early (the client went away): stop the query
            sink.stopped.set()
            raw.cancel()
        while worker.is_alive():  # a writer blocked on the full queue goes on and sees the stop
            with contextlib.suppress(queue.Empty):
                sink.queue.get(timeout=0.1)
        worker.join()
        if savepoint:
            with raw.cursor() as cursor:
                if raw.get_transaction_status() == TRANSACTION_STATUS_INERROR:
                    cursor.execute("ROLLBACK TO SAVEPOINT feature_stream")
                cursor.execute("RELEASE SAVEPOINT feature_stream")


def feature_extent(query: FeatureQuery) -> tuple[float, float, float, float] | None:
    """The bounding box (minlon, minlat, maxlon, maxlat) of the features, or None when there are none."""
    sql = f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent({query.layer.geometry_sql}) e {query.layer.from_sql} WHERE {query.where}) x"  # noqa: S608, E501
    with connection.cursor() as cursor:
        cursor.execute(sql, query.params)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else (row[0], row[1], row[2], row[3])


def feature_query_narrow(
    query: FeatureQuery, *, equals: dict[str, Any] | None = None, period: Period | None = None
) -> FeatureQuery:
    """The query with equality filters on the layer's `equals` columns and, for a layer with a
    temporal column, only the features whose time (a date: its whole local day) meets the period."""
    layer = query.layer
    clauses, params = [query.where], dict(query.params)
    for index, (name, value) in enumerate(sorted((equals or {}).items())):
        column = layer.column(name)
        clauses.append(f"({column.sql}) = %(eq_{index})s")
        params[f"eq_{index}"] = value
    if period is not None and layer.temporal:
        column = layer.column(layer.temporal)
        if column.kind == "date":  # a day meets [start, end) when it holds a moment of it
            if period.start is not None:
                clauses.append(f"({column.sql}) >= %(period_start)s")
                params["period_start"] = timezone.localdate(period.start)
            if period.end is not None:
                clauses.append(f"({column.sql}) <= %(period_end)s")
                params["period_end"] = timezone.localdate(period.end - timedelta(microseconds=1))
        else:
            if period.start is not None:
                clauses.append(f"({column.sql}) >= %(period_start)s")
                params["period_start"] = period.start
            if period.end is not None:
                clauses.append(f"({column.sql}) < %(period_end)s")
                params["period_end"] = period.end
    return replace(query, where=" AND ".join(clauses), params=params)


def feature_time_extent(query: FeatureQuery) -> tuple[Any, Any] | None:
    """The earliest and the latest time (or date) of the features, or None without a temporal column
    or features."""
    if not query.layer.temporal:
        return None
    column = query.layer.column(query.layer.temporal)
    sql = f"SELECT min({column.sql}), max({column.sql}) {query.layer.from_sql} WHERE {query.where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, query.params)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else (row[0], row[1])


def _escaped(sql: str) -> str:
    return f"(CASE WHEN ({sql}) ~ '{FORMULA_START}' THEN '''' || ({sql}) ELSE ({sql}) END)"


def table_sql(
    query: FeatureQuery,
    *,
    short_names: bool = False,
    escape_formulas: bool = False,
    lon_lat: bool = False,
    geometry: bool = True,
) -> tuple[str, dict[str, Any]]:
    """A SELECT of the visible columns and the geometry (`geom`), in id order, for GDAL to write.

    short_names: Shapefile names; escape_formulas: text cells a spreadsheet would take for a formula
    get a leading apostrophe; lon_lat: lon and lat columns (a polygon's point inside it); geometry:
    False for a format without one (XLSX). A layer without geometry has no geom, lon or lat."""
    layer = query.layer
    selected = []
    for column in layer.visible_columns(team=query.team_fields):
        name = column.shapefile_name if short_names else column.name
        expression = _escaped(column.sql) if escape_formulas and column.kind == "string" else column.sql
        selected.append(f'{expression} AS "{name}"')
    if lon_lat and layer.has_geometry:
        selected += [
            f"round(ST_X(ST_PointOnSurface({layer.geometry_sql}))::numeric, 6) AS lon",
            f"round(ST_Y(ST_PointOnSurface({layer.geometry_sql}))::numeric, 6) AS lat",
        ]
    if geometry and layer.has_geometry:
        selected.append(f"{layer.geometry_sql} AS geom")
    sql = f"SELECT {', '.join(selected)} {layer.from_sql} WHERE {query.where} ORDER BY {query.order}"  # noqa: S608
    return sql, query.params
