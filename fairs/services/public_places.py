"""Fairs' stored public places worked out again (fairs.publication keeps them on every write)."""

from __future__ import annotations

from django.db import connection, transaction

from fairs.publication import PUBLIC_PLACE_REFRESH_SQL


@transaction.atomic
def fair_public_places_refresh() -> int:
    """Recomputes every fair's public place; returns how many changed."""
    with connection.cursor() as cursor:
        cursor.execute(PUBLIC_PLACE_REFRESH_SQL)
        return len(cursor.fetchall())
