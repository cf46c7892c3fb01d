"""Helpers for writing many rows at once."""

from __future__ import annotations

from django.db import connection, models


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys from the model's sequence, ascending: rows written later in bulk can
    be linked to (and link to each other) before they exist, the foreign keys being checked at commit."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]
