"""Remove the demo data set; real records (is_demo=False) are never touched."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from registry.services.demo import demo_unload


class Command(BaseCommand):
    help = "Удалить демонстрационные данные (только записи с пометкой «демо»)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo_unload()
        self.stdout.write(
            self.style.SUCCESS(
                f"Удалены демо-данные: сообществ {report.communities}, подтверждений {report.verifications}, "
                f"лидеров {report.leaders}, кейсов {report.cases}."
            )
        )
