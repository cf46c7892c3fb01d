"""python manage.py seed_programme [--file PATH] [--reset]: the current programme from fixtures/programme.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo.errors import DomainError
from registry.services.programme import programme_seed, programme_spec_parse

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "programme.json"


class Command(BaseCommand):
    help = (
        "Создать или обновить текущую программу по описанию в JSON. Список муниципалитетов задаётся "
        "при создании; у существующей программы он меняется только с --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="описание программы (JSON)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="заменить муниципалитеты существующей программы списком из файла",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Не удалось прочитать {path}: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: ожидается JSON в UTF-8 ({error})") from error
        try:
            report = programme_seed(spec=programme_spec_parse(data), reset=options["reset"])
        except DomainError as error:
            lines = [f"{item.field}: {item.message}" if item.field else item.message for item in error.items]
            raise CommandError(f"{path}: ничего не записано.\n" + "\n".join(lines)) from error

        programme = report.programme
        action = "создана" if report.created else "обновлена"
        self.stdout.write(
            self.style.SUCCESS(f"Программа «{programme.name}» {action} (id {programme.pk}), она текущая.")
        )
        if report.municipalities_set:
            self.stdout.write(f"Муниципалитеты заданы по файлу: {report.municipalities_count}.")
        else:
            self.stdout.write(
                f"Муниципалитеты не изменены ({report.municipalities_count}); "
                "заменить списком из файла: --reset."
            )
        self.stdout.write(f"Показателей добавлено: {report.indicators_created}.")
        for name in report.demoted:
            self.stdout.write(self.style.WARNING(f"Программа «{name}» больше не текущая."))
