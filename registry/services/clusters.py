"""The low-zoom cluster cells of the vector tiles (registry.models.ClusterCell): published communities
counted per cell of the zoom-9 grid, so a tile of a whole region adds up a few thousand cells instead
of reading every community.

They are rebuilt when stale: after a community is saved or deleted (marked on commit, so a long
import does not hold a lock on the state row), on a new day (verifications lapse with the date), and
by `manage.py refresh_clusters` (a cron job may run it nightly). A rebuild replaces the cells in one
transaction; readers see the old cells until it commits."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from registry.models import ClusterState
from registry.publication import public_sql
from registry.selectors.features import FROM, GEOMETRY
from registry.selectors.tiles import CELL_M

ADVISORY_LOCK = 74_201  # one rebuild at a time across processes

REBUILD_SQL = f"""
INSERT INTO registry_clustercell (cell_x, cell_y, count, sum_x, sum_y)
SELECT floor(ST_X(p) / %(cell)s)::int, floor(ST_Y(p) / %(cell)s)::int, count(*), sum(ST_X(p)), sum(ST_Y(p))
FROM (SELECT ST_Transform({GEOMETRY}, 3857) AS p {FROM} WHERE {{public}} AND {GEOMETRY} IS NOT NULL) public
GROUP BY 1, 2"""  # noqa: S608 -- module constants and the compiled publication rule only


def cluster_cells_rebuild(*, today: date | None = None) -> int:
    """Rebuilds every cell; returns how many there are."""
    day = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_clustercell")
        public, params = public_sql(alias="c", today=day)
        cursor.execute(REBUILD_SQL.format(public=public), {**params, "cell": CELL_M})
        cells = cursor.rowcount
        ClusterState.objects.update_or_create(
            pk=1, defaults={"refreshed_at": timezone.now(), "refreshed_on": day, "dirty": False}
        )
    return cells


def cluster_cells_ensure_fresh() -> bool:
    """Rebuilds the cells when they are stale; True if it did. Another process already rebuilding
    is not waited for: its readers keep the previous cells until it commits."""
    state = ClusterState.objects.filter(pk=1).first()
    today = timezone.localdate()
    if state is not None and not state.dirty and state.refreshed_on == today:
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        if not cursor.fetchone()[0]:
            return False
        cluster_cells_rebuild(today=today)
    return True


def cluster_cells_mark_stale() -> None:
    """After the current transaction commits: the cells no longer match the registry."""
    transaction.on_commit(lambda: ClusterState.objects.filter(pk=1, dirty=False).update(dirty=True))
