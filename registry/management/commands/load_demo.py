"""Load the demo data set: about 300 plausible communities marked «демо», with leaders and cases."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from registry.services.demo import DEFAULT_COUNT, DEFAULT_SEED, demo_load


class Command(BaseCommand):
    help = "Загрузить демонстрационные данные (сообщества, лидеры, кейсы с пометкой «демо»)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="Сколько сообществ создать.")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Зерно генератора (для повторяемости)."
        )

    def handle(self, *args: Any, count: int, seed: int, **options: Any) -> None:
        report = demo_load(count=count, seed=seed)
        if report.skipped:
            self.stdout.write(
                f"Демо-данные уже загружены: сообществ {report.communities}, лидеров {report.leaders}, "
                f"кейсов {report.cases}. Ничего не изменено (удалить: manage.py unload_demo)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Загружены демо-данные: сообществ {report.communities}, подтверждений {report.verifications}, "
                f"лидеров {report.leaders}, кейсов {report.cases}."
            )
        )
