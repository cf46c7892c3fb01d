"""python manage.py purge_signups: shred the personal data of resolved sign-up rows past retention.

Run it daily (a systemd timer or cron; see README.md). FAIRS_SIGNUP_RETENTION_DAYS sets how long a
resolved row keeps the names and contacts as typed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from fairs.services.personal_data import signups_purge


class Command(BaseCommand):
    help = "Shred names and contacts of sign-up rows resolved more than FAIRS_SIGNUP_RETENTION_DAYS ago."

    def handle(self, *args: Any, **options: Any) -> None:
        count = signups_purge()
        days = settings.FAIRS_SIGNUP_RETENTION_DAYS
        self.stdout.write(f"Sign-up rows shredded: {count} (resolved more than {days} days ago).")
