"""python manage.py import_signups FILE (--fair ID | --municipality OKTMO --date YYYY-MM-DD) [--dry-run] [--report PATH]
[--map "Заголовок=поле" ...] [--mapping FILE.json]

Without a mapping every column is mapped automatically (see the README); a column whose cells look
like a field but whose header names nothing stops the import, naming it: map it, or «skip» it."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fairs.models import Fair
from fairs.services.fairs import fair_get_or_create
from fairs.services.imports import signup_import
from geo.errors import DomainError
from geo.models import Municipality


class Command(BaseCommand):
    help = "Импортировать заявки ярмарки из CSV или XLSX (строки проверяются, сопоставляются с реестром)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--fair", type=int, help="id ярмарки")
        parser.add_argument(
            "--municipality", help="ОКТМО муниципалитета (ярмарка найдётся или будет создана)"
        )
        parser.add_argument("--date", type=date.fromisoformat, help="дата ярмарки, ГГГГ-ММ-ДД")
        parser.add_argument("--dry-run", action="store_true", help="показать отчёт, ничего не записывая")
        parser.add_argument("--report", type=Path, help="записать отчёт JSON в файл")
        parser.add_argument("--user", default="admin", help="от чьего имени импорт (по умолчанию admin)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="ЗАГОЛОВОК=ПОЛЕ",
            help="сопоставить столбец полю: name, sphere, activity, municipality, place, leader, position, "
            "phone, email, members, founded, consent, comment; skip — не импортировать; name+place — составной",
        )
        parser.add_argument("--mapping", type=Path, help="сопоставление столбцов из JSON {заголовок: поле}")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Пользователь «{options['user']}» не найден: укажите --user")
        fair = self._fair(options, user)
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"Файл не читается: {error}") from error
        mapping = self._mapping(options)
        show = sys.stdout.isatty() and options["verbosity"] > 0

        def progress(rows: Iterable[Any], total: int) -> Iterable[Any]:
            return tqdm(rows, total=total, disable=not show, unit="стр", leave=False)

        try:
            report = signup_import(
                user=user,
                fair=fair,
                data=data,
                file_name=options["file"].name,
                dry_run=options["dry_run"],
                progress=progress,
                mapping=mapping,
            )
        except DomainError as error:
            raise CommandError("; ".join(item.message for item in error.items)) from error
        except PermissionDenied as error:
            raise CommandError(
                f"У пользователя «{user}» нет прав на ярмарки муниципалитета «{fair.municipality}»"
            ) from error
        if options["report"]:
            options["report"].write_text(
                json.dumps(report.as_json(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
        if report.already_imported:
            self.stdout.write(f"Этот файл уже импортирован (импорт №{report.import_id}): ничего не изменено")
        counts = report.counts
        summary = (
            f"rows={report.rows}, new={counts.new}, matched={counts.matched}, "
            f"duplicates_in_file={counts.duplicates_in_file}, needs_review={counts.needs_review}, "
            f"invalid={counts.invalid}"
        )
        self.stdout.write(("[dry-run] " if options["dry_run"] else "") + summary)

    def _mapping(self, options: dict[str, Any]) -> dict[str, str] | None:
        mapping: dict[str, str] = {}
        if options["mapping"]:
            try:
                loaded = json.loads(options["mapping"].read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"Сопоставление не читается: {error}") from error
            if not isinstance(loaded, dict):
                raise CommandError("Сопоставление — объект JSON {заголовок: поле}")
            mapping.update({str(key): str(value) for key, value in loaded.items()})
        for item in options["map"]:
            header, separator, field = item.rpartition("=")
            if not separator or not header.strip():
                raise CommandError(f"--map «{item}»: ожидается ЗАГОЛОВОК=ПОЛЕ")
            mapping[header.strip()] = field.strip()
        return mapping or None

    def _fair(self, options: dict[str, Any], user: Any) -> Fair:
        if options["fair"]:
            fair = Fair.objects.select_related("municipality__region").filter(pk=options["fair"]).first()
            if fair is None:
                raise CommandError(f"Ярмарка №{options['fair']} не найдена")
            return fair
        if not (options["municipality"] and options["date"]):
            raise CommandError("Укажите --fair ID или --municipality ОКТМО и --date ГГГГ-ММ-ДД")
        municipality = Municipality.objects.filter(
            oktmo=options["municipality"], level=Municipality.Level.TOP
        ).first()
        if municipality is None:
            raise CommandError(f"Муниципалитет с ОКТМО {options['municipality']} не найден")
        return fair_get_or_create(user=user, municipality=municipality, date=options["date"])
