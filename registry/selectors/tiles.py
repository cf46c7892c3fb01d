"""Vector tiles (Mapbox Vector Tile, ST_AsMVT) of the public communities and of the municipalities.

Tiles are the same for everyone (they are cached by browsers and proxies), so they carry public data
only: published communities at their public points. At zoom 9 and below the communities come as
clusters, pre-aggregated in SQL on a grid of the tile (a count per cell), never as raw points."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from registry.selectors.features import FROM, GEOMETRY, CommunityFilters, feature_query

EXTENT = 4096
BUFFER = 64
CLUSTER_MAX_ZOOM = 9
CLUSTER_CELLS = 32  # cells across a tile at cluster zooms
WORLD_M = 40_075_016.685578488  # the width of the Web Mercator world


def community_tile(*, z: int, x: int, y: int) -> bytes:
    query = feature_query(user=AnonymousUser(), filters=CommunityFilters())
    params = {**query.params, "z": z, "x": x, "y": y, "extent": EXTENT, "buffer": BUFFER}
    inside = f"{query.where} AND c.location && ST_Transform(bounds.env, 4326)"
    if z <= CLUSTER_MAX_ZOOM:
        params["cell"] = WORLD_M / 2**z / CLUSTER_CELLS
        sql = f"""
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env),
points AS (SELECT ST_Transform({GEOMETRY}, 3857) AS g {FROM}, bounds WHERE {inside}),
cells AS (
    SELECT count(*) AS count, ST_Centroid(ST_Collect(g)) AS center
    FROM points GROUP BY ST_SnapToGrid(g, %(cell)s)
)
SELECT ST_AsMVT(tile, 'communities', %(extent)s, 'geom') FROM (
    SELECT ST_AsMVTGeom(center, bounds.env, %(extent)s, %(buffer)s, true) AS geom, count, true AS cluster
    FROM cells, bounds
) tile WHERE geom IS NOT NULL"""  # noqa: S608 -- module constants and the selector's own clauses
    else:
        sql = f"""
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env)
SELECT ST_AsMVT(tile, 'communities', %(extent)s, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_Transform({GEOMETRY}, 3857), bounds.env, %(extent)s, %(buffer)s, true) AS geom,
           c.id, c.name, c.slug, s.code AS sphere, s.color
    {FROM}, bounds WHERE {inside}
) tile WHERE geom IS NOT NULL"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bytes(cursor.fetchone()[0])


def municipality_tile(*, z: int, x: int, y: int) -> bytes:
    column = "boundary_simplified" if z < 8 else "boundary"
    sql = f"""
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env)
SELECT ST_AsMVT(tile, 'municipalities', %(extent)s, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_Transform(m.{column}, 3857), bounds.env, %(extent)s, %(buffer)s, true) AS geom,
           m.oktmo, m.name, m.level
    FROM geo_municipality m, bounds
    WHERE m.{column} && ST_Transform(bounds.env, 4326) AND m.level = 1
) tile WHERE geom IS NOT NULL"""  # noqa: S608 -- the column is one of two constants
    with connection.cursor() as cursor:
        cursor.execute(sql, {"z": z, "x": x, "y": y, "extent": EXTENT, "buffer": BUFFER})
        return bytes(cursor.fetchone()[0])
