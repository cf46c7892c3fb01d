"""manage.py refresh_clusters: rebuild the low-zoom cluster cells of the vector tiles now (a nightly
cron job keeps them right after verifications lapse, even on a day nobody opens the map)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from registry.services.clusters import cluster_cells_rebuild


class Command(BaseCommand):
    help = "Rebuild the cluster cells of the community vector tiles (zoom 9 and below)."

    def handle(self, *args: Any, **options: Any) -> None:
        cells = cluster_cells_rebuild()
        self.stdout.write(f"{cells} cluster cells rebuilt")
