"""A community's feature as everyone outside its team sees it, stored: the GeoJSON text the public
list, its download and the OGC items send (registry_communityfeature, one row per community).

The public list is the product's busiest read. Building the text per request (a dozen columns
from four tables through json_build_object, ST_AsGeoJSON) took most of a 1,000-feature page, so
PostgreSQL writes it instead, on every write path (a form, the admin, a queryset update, an
import's COPY, a public place moved by registry.publication's triggers), and again when what the
text names is renamed (a sphere, a municipality, a settlement). The text is built by the same SQL
the live query uses (geo.layers.public_feature_sql over registry.selectors.features.COMMUNITIES),
so the two cannot disagree; a reader falls back to building it for a row that has none. Installed
by every migrate (registry.apps) from the text here, like the public place."""

# ruff: noqa: S608 -- every statement here is built from this module's and the layer's constants

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection

from geo.layers import public_feature_sql
from registry.selectors.features import COMMUNITIES, JOINS

# Set-based, once per statement over the rows it wrote (its transition table): an import's COPY of
# a thousand rows writes their texts in one INSERT, not a thousand. json_build_object writes a
# timestamptz in the session's time zone: the stored text is in UTC whoever writes the row, as
# Django's own sessions (USE_TZ) read it.
PUBLIC_FEATURE_SQL = f"""
CREATE OR REPLACE FUNCTION registry_community_features_keep() RETURNS trigger
LANGUAGE plpgsql SET TimeZone = 'UTC' AS $body$
BEGIN
    INSERT INTO registry_communityfeature AS f (community_id, feature)
    SELECT c.id, {public_feature_sql(COMMUNITIES)} FROM written c {JOINS}
    ON CONFLICT (community_id) DO UPDATE SET feature = EXCLUDED.feature
    WHERE f.feature IS DISTINCT FROM EXCLUDED.feature;
    RETURN NULL;
END
$body$;

DROP TRIGGER IF EXISTS registry_community_features_inserted ON registry_community;
CREATE TRIGGER registry_community_features_inserted AFTER INSERT ON registry_community
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION registry_community_features_keep();
DROP TRIGGER IF EXISTS registry_community_features_updated ON registry_community;
CREATE TRIGGER registry_community_features_updated AFTER UPDATE ON registry_community
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION registry_community_features_keep();

-- a renamed sphere, municipality or settlement: the texts that name it are written again
CREATE OR REPLACE FUNCTION registry_community_feature_follow() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    EXECUTE format('UPDATE registry_community SET %1$I = %1$I WHERE %1$I = $1', TG_ARGV[0]) USING NEW.id;
    RETURN NULL;
END
$body$;

DROP TRIGGER IF EXISTS registry_community_feature_sphere ON registry_sphere;
CREATE TRIGGER registry_community_feature_sphere AFTER UPDATE OF code, name ON registry_sphere
    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION registry_community_feature_follow('sphere_id');
DROP TRIGGER IF EXISTS registry_community_feature_municipality ON geo_municipality;
CREATE TRIGGER registry_community_feature_municipality AFTER UPDATE OF oktmo, name ON geo_municipality
    FOR EACH ROW WHEN (OLD.oktmo IS DISTINCT FROM NEW.oktmo OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION registry_community_feature_follow('municipality_id');
DROP TRIGGER IF EXISTS registry_community_feature_settlement ON geo_settlement;
CREATE TRIGGER registry_community_feature_settlement AFTER UPDATE OF name ON geo_settlement
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION registry_community_feature_follow('settlement_id');
"""

# Every community's text as the rule writes it now: in a Django session, whose time zone is UTC
# (USE_TZ), as the trigger's.
_FEATURES_NOW = f"SELECT c.id, {public_feature_sql(COMMUNITIES)} AS feature FROM registry_community c {JOINS}"

# The repair: every text that is missing or differs from what the rule writes now (none while the
# triggers run) written again.
PUBLIC_FEATURE_REFRESH_SQL = f"""
INSERT INTO registry_communityfeature AS f (community_id, feature) {_FEATURES_NOW}
ON CONFLICT (community_id) DO UPDATE SET feature = EXCLUDED.feature
WHERE f.feature IS DISTINCT FROM EXCLUDED.feature"""


def public_feature_install(*, connection: Any) -> None:
    """(Re)installs the triggers above (idempotent) and writes the texts of communities that have none
    (those written before the triggers existed)."""
    with connection.cursor() as cursor:
        cursor.execute(PUBLIC_FEATURE_SQL)
        cursor.execute(
            f"INSERT INTO registry_communityfeature (community_id, feature) {_FEATURES_NOW}"  # noqa: S608
            " WHERE NOT EXISTS (SELECT 1 FROM registry_communityfeature f WHERE f.community_id = c.id)"
        )


def public_features_refresh() -> int:
    """Writes again every stored text that is missing or differs from the rule's; returns how many."""
    with default_connection.cursor() as cursor:
        cursor.execute(PUBLIC_FEATURE_REFRESH_SQL)
        return int(cursor.rowcount)
