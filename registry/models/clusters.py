"""The pre-aggregated cluster cells of the low-zoom vector tiles."""

from __future__ import annotations

from django.contrib.gis.db import models


class ClusterCell(models.Model):
    """Published communities counted on a Web Mercator grid, for the vector tiles at low zooms: the
    grid of zoom 9 (32 cells across a tile); lower zooms add up 2×2 blocks of it. Rebuilt by
    registry.services.clusters, never edited by hand."""

    cell_x = models.IntegerField()
    cell_y = models.IntegerField()
    count = models.PositiveIntegerField()
    sum_x = models.FloatField()  # of the members' Web Mercator coordinates: the centre is sum / count
    sum_y = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cell_x", "cell_y"], name="cluster_cell_unique")]


class ClusterState(models.Model):
    """One row: when the cells were built, and whether a community changed since."""

    refreshed_at = models.DateTimeField(null=True)
    refreshed_on = models.DateField(null=True)  # publication lapses with the date, so a new day rebuilds
    dirty = models.BooleanField(default=True)
