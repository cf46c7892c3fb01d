"""python manage.py ensure_admin: on first run only, a local administrator with a generated password."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Создать локального администратора, если в базе нет ни одного; пароль печатается один раз."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=options["username"], email="", password=password)
        # Shown once; only the hash is stored (in the database, never in git).
        self.stdout.write(
            self.style.WARNING(f"Создан администратор: {options['username']} / пароль: {password}")
        )
        self.stdout.write(
            "Сохраните пароль: он больше не будет показан. Сменить: python manage.py changepassword admin"
        )
