"""Where the public sees a fair: its venue's point, else its municipality's centre (the same
fallback as a community's, registry.publication). Kept on the row by PostgreSQL, like a community's
public place, so that every write path and a boundary reload update it in the same transaction;
installed by every `migrate` (fairs.apps)."""

from __future__ import annotations

from typing import Any

PUBLIC_PLACE_SQL = """
CREATE OR REPLACE FUNCTION fairs_fair_public_place_keep() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    IF NEW.venue_point IS NOT NULL THEN
        NEW.public_point := NEW.venue_point;
        NEW.public_precision := 'exact';
    ELSE
        SELECT m.center INTO NEW.public_point FROM geo_municipality m WHERE m.id = NEW.municipality_id;
        NEW.public_precision := 'municipality';
    END IF;
    RETURN NEW;
END
$body$;

DROP TRIGGER IF EXISTS fairs_fair_public_place ON fairs_fair;
CREATE TRIGGER fairs_fair_public_place BEFORE INSERT OR UPDATE ON fairs_fair
    FOR EACH ROW EXECUTE FUNCTION fairs_fair_public_place_keep();

CREATE OR REPLACE FUNCTION fairs_municipality_center_follow() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE fairs_fair SET venue_point = venue_point WHERE municipality_id = NEW.id AND venue_point IS NULL;
    RETURN NULL;
END
$body$;

DROP TRIGGER IF EXISTS fairs_municipality_center_follow ON geo_municipality;
CREATE TRIGGER fairs_municipality_center_follow AFTER UPDATE OF center ON geo_municipality
    FOR EACH ROW WHEN (ST_AsEWKB(OLD.center) IS DISTINCT FROM ST_AsEWKB(NEW.center))  -- as registry's
    EXECUTE FUNCTION fairs_municipality_center_follow();
"""

PUBLIC_PLACE_DROP_SQL = """
DROP TRIGGER IF EXISTS fairs_municipality_center_follow ON geo_municipality;
DROP FUNCTION IF EXISTS fairs_municipality_center_follow();
DROP TRIGGER IF EXISTS fairs_fair_public_place ON fairs_fair;
DROP FUNCTION IF EXISTS fairs_fair_public_place_keep();
"""

# Every fair's place worked out again; the ids of those whose place changed.
PUBLIC_PLACE_REFRESH_SQL = """
WITH before AS (SELECT id, public_point, public_precision FROM fairs_fair),
     after AS (UPDATE fairs_fair SET venue_point = venue_point RETURNING id, public_point, public_precision)
SELECT after.id FROM after JOIN before USING (id)
WHERE after.public_point IS DISTINCT FROM before.public_point
   OR after.public_precision IS DISTINCT FROM before.public_precision"""


def public_place_install(*, connection: Any) -> None:
    """(Re)installs the functions and triggers above; idempotent."""
    with connection.cursor() as cursor:
        cursor.execute(PUBLIC_PLACE_SQL)
