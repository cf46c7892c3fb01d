"""Vector tiles (Mapbox Vector Tile, ST_AsMVT) of the public communities and of the municipalities.

Tiles are the same for everyone (they are cached by browsers and proxies), so they carry public data
only: published communities at their public points. At zoom 9 and below the communities come as
clusters read from pre-aggregated cells (registry.models.ClusterCell, a count and a centre per cell
of the zoom-9 grid), never as raw points: a region's tile adds up thousands of cells, not a million rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils.translation import ngettext

from registry.maps.render import PLURAL_TABLE_SIZE, plural_table
from registry.selectors.features import FROM, GEOMETRY, CommunityFilters, feature_query

# the grid of the pre-aggregated cells (registry.services.clusters builds them)
CLUSTER_MAX_ZOOM = 9
CLUSTER_CELLS = 32  # cells across a tile
WORLD_M = 40_075_016.685578488  # the width of the Web Mercator world
CELL_M = WORLD_M / 2**CLUSTER_MAX_ZOOM / CLUSTER_CELLS

EXTENT = 4096
BUFFER = 64
# Each tile's rows come from a subquery ended by OFFSET 0, which keeps PostgreSQL from flattening it:
# flattened, the outer `geom IS NOT NULL` became a filter that computed ST_AsMVTGeom a second time
# per row (a tenth of a dense zoom-10 tile's time, more for the municipalities' polygons).


def _tile(sql: str, params: dict[str, Any]) -> bytes:
    # A tile reads a few thousand rows: a parallel plan's worker start-up costs more than it saves
    # on a busy server (a dense zoom-10 tile over 1,000,000 communities: p95 67 ms with it, 38 without).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, params)
        return bytes(cursor.fetchone()[0])


def cluster_label_forms() -> list[str]:
    """A cluster's label («5 сообществ») for n in 0..199, «{n}» in place of the number: the tile SQL
    takes form[n < 200 ? n : 100 + n % 100], so the plural rule stays the catalogue's (ngettext)
    and the label is written once, as the maps write it (registry.maps.render.plural_table)."""
    table = plural_table(
        lambda n: ngettext("%(count)s сообщество", "%(count)s сообществ", n) % {"count": "{n}"}
    )
    return [table["forms"][index] for index in table["index"]]


def community_tile(*, z: int, x: int, y: int) -> bytes:
    query = feature_query(user=AnonymousUser(), filters=CommunityFilters())
    params = {
        **query.params,
        "z": z,
        "x": x,
        "y": y,
        "extent": EXTENT,
        "buffer": BUFFER,
        "margin": BUFFER / EXTENT,
    }
    # Rows are chosen by their public point (never a hidden place) within the tile and its buffer,
    # so a symbol near an edge is drawn whole by both tiles that share the edge.
    inside = f"{query.where} AND {GEOMETRY} && ST_Transform(bounds.buffered, 4326)"
    if z <= CLUSTER_MAX_ZOOM:
        # 2×2 blocks of the zoom-9 cells per zoom step: the same grid as 32 cells across this tile
        params["shift"] = 2 ** (CLUSTER_MAX_ZOOM - z)
        params["cell"] = CELL_M
        params["labels"] = cluster_label_forms()
        params["table"] = PLURAL_TABLE_SIZE
        sql = """
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env),
cells AS (
    SELECT sum(count) AS count, ST_MakePoint(sum(sum_x) / sum(count), sum(sum_y) / sum(count)) AS center
    FROM registry_clustercell, bounds
    -- tile edges fall on cell edges (the world's half-width is a whole number of cells): exact
    -- ranges, widened by one block on each side so that clusters in the tile's buffer are drawn
    -- (the blocks are the same in every tile: a cluster near an edge is the same in both tiles)
    WHERE cell_x >= round(ST_XMin(bounds.env) / %(cell)s) - %(shift)s
      AND cell_x < round(ST_XMax(bounds.env) / %(cell)s) + %(shift)s
      AND cell_y >= round(ST_YMin(bounds.env) / %(cell)s) - %(shift)s
      AND cell_y < round(ST_YMax(bounds.env) / %(cell)s) + %(shift)s
    GROUP BY floor(cell_x::float / %(shift)s), floor(cell_y::float / %(shift)s)
)
SELECT ST_AsMVT(tile, 'communities', %(extent)s, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_SetSRID(center, 3857), bounds.env, %(extent)s, %(buffer)s, true) AS geom,
           count::int AS count, true AS cluster,
           replace((%(labels)s::text[])[CASE WHEN count < %(table)s THEN count::int ELSE 100 + count::int %% 100 END + 1],
                   '{n}', count::int::text) AS label
    FROM cells, bounds
    OFFSET 0
) tile WHERE geom IS NOT NULL"""
    else:
        sql = f"""
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env,
                       ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s) AS buffered)
SELECT ST_AsMVT(tile, 'communities', %(extent)s, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_Transform({GEOMETRY}, 3857), bounds.env, %(extent)s, %(buffer)s, true) AS geom,
           c.id, c.name, c.slug, s.code AS sphere, s.color
    {FROM}, bounds WHERE {inside}
    OFFSET 0
) tile WHERE geom IS NOT NULL"""  # noqa: S608
    return _tile(sql, params)


def municipality_tile(*, z: int, x: int, y: int) -> bytes:
    column = "boundary_simplified" if z < 8 else "boundary"
    sql = f"""
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env)
SELECT ST_AsMVT(tile, 'municipalities', %(extent)s, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_Transform(m.{column}, 3857), bounds.env, %(extent)s, %(buffer)s, true) AS geom,
           m.oktmo, m.name, m.level
    FROM geo_municipality m, bounds
    WHERE m.{column} && ST_Transform(bounds.env, 4326) AND m.level = 1
    OFFSET 0
) tile WHERE geom IS NOT NULL"""  # noqa: S608 -- the column is one of two constants
    return _tile(sql, {"z": z, "x": x, "y": y, "extent": EXTENT, "buffer": BUFFER})
