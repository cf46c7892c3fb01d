"""python manage.py load_geodata: the shipped boundaries, OKTMO classifier and gazetteer.

A registry command: a reload that moves a boundary moves the communities whose point now lies in
the neighbouring district (registry.services.public_places), in the same transaction, and says so."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from geo.errors import DomainError
from geo.services import FIXTURES_DIR, geodata_is_current, geodata_load
from registry.services.public_places import communities_rehome


class Command(BaseCommand):
    help = (
        "Загрузить границы, ОКТМО и населённые пункты из fixtures/geo/ (повторный запуск ничего не меняет)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, default=FIXTURES_DIR, help="папка с данными")
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="ничего не делать, если эти же файлы уже загружены (быстрый повторный make run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        show_progress = sys.stdout.isatty() and options["verbosity"] > 0

        def progress(items: Iterable[Any], label: str, total: int) -> Iterable[Any]:
            return tqdm(items, desc=label, total=total, disable=not show_progress, leave=False, unit="")

        if options["if_changed"] and geodata_is_current(directory=options["directory"]):
            self.stdout.write("Геоданные уже загружены из этих же файлов: 0 created, 0 changed")
            return
        try:
            with transaction.atomic():
                report = geodata_load(directory=options["directory"], progress=progress)
                rehomed = communities_rehome()
        except (DomainError, FileNotFoundError, KeyError, ValueError) as error:
            details = (
                "; ".join(f"{item.field}: {item.message}" for item in error.items)
                if isinstance(error, DomainError)
                else repr(error)
            )
            raise CommandError(f"Геоданные не загружены, база не изменена: {details}") from error
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name}: {counts.created} created, {counts.changed} changed, {counts.unchanged} unchanged"
            )
        for conflict in report.conflicts:
            self.stdout.write(
                self.style.WARNING(
                    f"Точка команды сохранена: {conflict.name} ({conflict.oktmo}); источник «{conflict.source}»"
                    f" ставит его в {conflict.distance_m:.0f} м от неё — проверьте"
                )
            )
        self.stdout.write(f"municipality centres: {report.centers_changed} changed")
        for move in rehomed:
            self.stdout.write(
                f"community {move.community_id} «{move.name}» moved: {move.municipality_from} → {move.municipality_to}"
            )
        self.stdout.write(f"communities moved to another municipality: {len(rehomed)}")
        self.stdout.write(self.style.SUCCESS(f"Total: {report.created} created, {report.changed} changed"))
