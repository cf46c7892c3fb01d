"""Whether the public sees a community, and where: the publication rule and the public place.

Every surface (pages, maps, the REST API, OGC API – Features, vector tiles and their clusters, the
exports, the standalone map and the embed) reads these two decisions from here and nowhere else.

Publication: a community is published when it is verified and its verification has not lapsed
beyond the grace period. It is written once, as a Q (`public_q`); the raw SQL paths take the same
Q compiled for their table alias (`public_sql`), and the partial index that counts published
communities is declared on its status part (`PUBLISHED_STATUS_Q`).

Public place: where the public sees a community is stored on the row (`public_point`,
`public_precision`), kept by PostgreSQL itself so that every write path — a form, the admin, an
import's COPY, a settlement's point set by a team, a boundary reload — updates it in the same
transaction. The rule is the function `registry_public_place` below:
- a community that shows its place is seen at its own point, with the precision that point has;
- one whose exact place must stay hidden (a private home) is seen at its settlement's point when
  the settlement has one, else at its municipality's centre (`geo_municipality.center`);
and no spatial filter or tile ever selects by the hidden point. `PUBLIC_PLACE_SQL` is installed by
every `migrate` (registry.apps), so the text here is what the database runs."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

PUBLISHED_STATUS = "verified"
# The part of the rule an index predicate can hold (the date part moves with the calendar).
PUBLISHED_STATUS_Q = Q(status=PUBLISHED_STATUS)


def public_cutoff(today: date | None = None) -> date:
    """Verifications that lapsed before this day no longer publish a community."""
    return (today or timezone.localdate()) - timedelta(days=settings.REGISTRY_VERIFICATION_GRACE_DAYS)


def public_q(*, today: date | None = None) -> Q:
    """Published: verified, and the verification not lapsed beyond the grace period."""
    return _public_q_on(public_cutoff(today))


def _public_q_on(cutoff: date) -> Q:
    return PUBLISHED_STATUS_Q & (Q(verified_until__isnull=True) | Q(verified_until__gte=cutoff))


def public_sql(*, alias: str = "c", today: date | None = None) -> tuple[str, dict[str, Any]]:
    """`public_q` compiled by the ORM for raw SQL that names registry_community `alias`: a WHERE
    fragment with named (pyformat) parameters, to be merged into the caller's parameters."""
    sql, params = _public_sql_compiled(alias, public_cutoff(today))
    return sql, dict(params)


@lru_cache(maxsize=16)
def _public_sql_compiled(alias: str, cutoff: date) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """Compiled once per alias and day (a millisecond of every API request otherwise)."""
    from registry.models import Community

    query = Community.objects.filter(_public_q_on(cutoff)).query
    compiler = query.get_compiler(connection=connection)
    sql, params = query.where.as_sql(compiler, connection)
    table = connection.ops.quote_name(Community._meta.db_table)
    sql = sql.replace(f"{table}.", f"{alias}.")
    names = {f"public_{alias}_{index}": value for index, value in enumerate(params)}
    sql = sql.replace("%s", "{}").format(*(f"%({name})s" for name in names))
    return f"({sql})", tuple(names.items())


# The public place, in PostgreSQL. STABLE: it reads the settlement's and the municipality's rows.
PUBLIC_PLACE_SQL = """
CREATE OR REPLACE FUNCTION registry_public_place(
    hide boolean, location geometry, location_precision varchar,
    settlement_id bigint, municipality_id bigint,
    OUT point geometry, OUT public_precision varchar)
LANGUAGE plpgsql STABLE AS $body$
BEGIN
    IF NOT hide THEN
        point := location;
        public_precision := location_precision;
        RETURN;
    END IF;
    SELECT s.point INTO point FROM geo_settlement s WHERE s.id = settlement_id;
    IF point IS NOT NULL THEN
        public_precision := 'settlement';
        RETURN;
    END IF;
    -- never the hidden point: with no centre known the community is listed but not drawn
    SELECT m.center INTO point FROM geo_municipality m WHERE m.id = municipality_id;
    public_precision := 'municipality';
END
$body$;

CREATE OR REPLACE FUNCTION registry_community_public_place_keep() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    SELECT p.point, p.public_precision INTO NEW.public_point, NEW.public_precision
    FROM registry_public_place(NEW.hide_exact_location, NEW.location, NEW.location_precision,
                               NEW.settlement_id, NEW.municipality_id) p;
    -- a moved public point is a change for clients that sync by updated_since
    IF TG_OP = 'UPDATE' AND (NEW.public_point IS DISTINCT FROM OLD.public_point
                             OR NEW.public_precision IS DISTINCT FROM OLD.public_precision) THEN
        NEW.updated_at := greatest(NEW.updated_at, clock_timestamp());
    END IF;
    RETURN NEW;
END
$body$;

DROP TRIGGER IF EXISTS registry_community_public_place ON registry_community;
CREATE TRIGGER registry_community_public_place BEFORE INSERT OR UPDATE ON registry_community
    FOR EACH ROW EXECUTE FUNCTION registry_community_public_place_keep();

-- a settlement's point set or corrected: the communities hiding their place there move with it
-- (the WHEN compares EWKB: a restore runs with an empty search_path, where geometry's own = is
-- ambiguous)
CREATE OR REPLACE FUNCTION registry_settlement_point_follow() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE registry_community SET hide_exact_location = hide_exact_location
    WHERE settlement_id = NEW.id AND hide_exact_location;
    RETURN NULL;
END
$body$;

DROP TRIGGER IF EXISTS registry_settlement_point_follow ON geo_settlement;
CREATE TRIGGER registry_settlement_point_follow AFTER UPDATE OF point ON geo_settlement
    FOR EACH ROW WHEN (ST_AsEWKB(OLD.point) IS DISTINCT FROM ST_AsEWKB(NEW.point))
    EXECUTE FUNCTION registry_settlement_point_follow();

-- a municipality's centre moved (a boundary reload): so do the communities shown at it
CREATE OR REPLACE FUNCTION registry_municipality_center_follow() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE registry_community SET hide_exact_location = hide_exact_location
    WHERE municipality_id = NEW.id AND hide_exact_location;
    RETURN NULL;
END
$body$;

DROP TRIGGER IF EXISTS registry_municipality_center_follow ON geo_municipality;
CREATE TRIGGER registry_municipality_center_follow AFTER UPDATE OF center ON geo_municipality
    FOR EACH ROW WHEN (ST_AsEWKB(OLD.center) IS DISTINCT FROM ST_AsEWKB(NEW.center))
    EXECUTE FUNCTION registry_municipality_center_follow();
"""

PUBLIC_PLACE_DROP_SQL = """
DROP TRIGGER IF EXISTS registry_municipality_center_follow ON geo_municipality;
DROP FUNCTION IF EXISTS registry_municipality_center_follow();
DROP TRIGGER IF EXISTS registry_settlement_point_follow ON geo_settlement;
DROP FUNCTION IF EXISTS registry_settlement_point_follow();
DROP TRIGGER IF EXISTS registry_community_public_place ON registry_community;
DROP FUNCTION IF EXISTS registry_community_public_place_keep();
DROP FUNCTION IF EXISTS registry_public_place(boolean, geometry, varchar, bigint, bigint);
"""

# Communities whose stored place differs from what the rule gives now (none while the triggers run).
PUBLIC_PLACE_STALE_SQL = """
SELECT c.id FROM registry_community c,
    LATERAL registry_public_place(c.hide_exact_location, c.location, c.location_precision,
                                  c.settlement_id, c.municipality_id) p
WHERE c.public_point IS DISTINCT FROM p.point OR c.public_precision IS DISTINCT FROM p.public_precision"""


# How a public place is drawn: a settlement as a soft circle of this radius, a municipality as its
# outline; only an exact place is a marker.
SETTLEMENT_RADIUS_M = 1_500


def public_place_caption(*, precision: str, is_hidden: bool) -> str:
    """What the map shows, in words, for anything not drawn at its exact place ("" when it is)."""
    from django.utils.translation import gettext as _

    if precision == "exact":
        return ""
    if is_hidden:
        if precision == "settlement":
            return _("место скрыто: показан населённый пункт")
        return _("место скрыто: показан район")
    if precision == "settlement":
        return _("место известно до населённого пункта")
    return _("место известно до района")


def public_place_install(*, connection: Any) -> None:
    """(Re)installs the functions and triggers above; idempotent."""
    with connection.cursor() as cursor:
        cursor.execute(PUBLIC_PLACE_SQL)
