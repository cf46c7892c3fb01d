"""How a geodata reload writes a table: rows found by their stable key, created when new, updated
only where a field differs, counted either way."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.gis.geos import GEOSGeometry
from django.db import models

M = TypeVar("M", bound=models.Model)
Progress = Callable[[Iterable[Any], str, int], Iterable[Any]]


@dataclass
class LoadCounts:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


def _same(current: object, wanted: object) -> bool:
    if isinstance(wanted, GEOSGeometry) and isinstance(current, GEOSGeometry):
        return bool(current.equals_exact(wanted, 1e-9))
    if isinstance(wanted, GEOSGeometry) or isinstance(current, GEOSGeometry):
        return False
    if isinstance(wanted, float) and isinstance(current, float):
        return abs(current - wanted) < 1e-9
    return current == wanted


def _is_relation(model: type[models.Model], name: str) -> bool:
    return model._meta.get_field(name).is_relation


def _current(obj: models.Model, name: str) -> object:
    """A relation compares by its id: reading the related object would cost a query per row."""
    return getattr(obj, f"{name}_id") if _is_relation(type(obj), name) else getattr(obj, name)


def _comparable(value: object) -> object:
    return value.pk if isinstance(value, models.Model) else value


def rows_upsert(
    model: type[M],
    key: str,
    rows: list[dict[str, Any]],
    counts: LoadCounts,
    progress: Progress,
    label: str,
) -> dict[str, M]:
    """Create or update rows by their stable key; rows that match field for field stay untouched."""
    existing: dict[str, M] = {
        getattr(obj, key): obj
        for obj in model._default_manager.filter(**{f"{key}__in": [row[key] for row in rows]})
    }
    to_create: list[M] = []
    to_update: list[M] = []
    changed_fields: set[str] = set()
    for row in progress(rows, label, len(rows)):
        obj = existing.get(row[key])
        if obj is None:
            obj = model(**row)
            # Field validators only: keys are unique by construction, relations were just loaded.
            obj.clean_fields(exclude=[name for name, value in row.items() if _is_relation(model, name)])
            to_create.append(obj)
            continue
        differing = [
            name for name, value in row.items() if not _same(_current(obj, name), _comparable(value))
        ]
        if differing:
            for name in differing:
                setattr(obj, name, row[name])
            changed_fields.update(differing)
            to_update.append(obj)
        else:
            counts.unchanged += 1
    model._default_manager.bulk_create(to_create, batch_size=500)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=200)
    counts.created += len(to_create)
    counts.changed += len(to_update)
    return {
        getattr(obj, key): obj
        for obj in model._default_manager.filter(**{f"{key}__in": [row[key] for row in rows]})
    }
