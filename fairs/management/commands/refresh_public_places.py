"""python manage.py refresh_public_places: every stored public place worked out again, with counts.
In fairs, the highest app whose rows it touches (communities and fairs)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fairs.services.public_places import fair_public_places_refresh
from registry.services.public_places import public_places_refresh


class Command(BaseCommand):
    help = (
        "Пересчитать центры муниципалитетов, муниципалитеты сообществ и публичные точки сообществ"
        " и ярмарок, тексты объектов сообществ для API; сообщить, сколько изменилось (обычно 0: база пересчитывает их сама)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = public_places_refresh()
        fairs = fair_public_places_refresh()
        for move in report.rehomed:
            self.stdout.write(
                f"community {move.community_id} «{move.name}» moved: {move.municipality_from} → {move.municipality_to}"
            )
        self.stdout.write(
            f"municipality centres changed: {report.centers_changed}; communities moved: {len(report.rehomed)};"
            f" community public places changed: {report.communities_changed};"
            f" community feature texts changed: {report.features_changed}; fair public places changed: {fairs}"
        )
