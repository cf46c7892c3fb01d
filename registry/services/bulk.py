"""Helpers for writing many rows at once."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from operator import attrgetter
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.postgres.fields import ArrayField
from django.db import connection, connections, models, router
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init


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


_STORED = (DeferredAttribute, ForeignKeyDeferredAttribute)  # class attributes that only store a value


class NewInstances:
    """Unsaved instances of a model, many of them: built from positional values as Model.from_db
    builds loaded rows, every field's default worked out once (a fresh one each time when the default
    is callable, as dict and list are). Keyword construction looked up each field's default and went
    through a descriptor per related object: a tenth of an import's time for its sign-ups.

    NewInstances(Signup, fair_id=7)(row_number=3) is Signup(fair_id=7, row_number=3); values are
    given by attname (fair_id, not fair)."""

    def __init__(self, model: type[models.Model], **fixed: Any) -> None:
        self.model = model
        fields = model._meta.concrete_fields
        self._index = {field.attname: position for position, field in enumerate(fields)}
        unknown = set(fixed) - self._index.keys()
        if unknown:
            raise TypeError(f"NewInstances: {model.__name__} has no {sorted(unknown)}")
        self._values = [
            fixed[field.attname] if field.attname in fixed else field.get_default() for field in fields
        ]
        self._fresh = [
            (position, field)
            for position, field in enumerate(fields)
            if field.attname not in fixed and field.has_default() and callable(field.default)
        ]
        # Model.__init__ sets each value through its class attribute. For a plain or foreign-key
        # column of a new instance that only stores the value in the instance's dict, so the
        # values are stored at once; a column with its own setter (a geometry's proxy) still gets
        # it. A model whose init signals have receivers is built by Model.__init__ as ever.
        self._attnames = [field.attname for field in fields]
        self._setters = [
            (position, field.attname)
            for position, field in enumerate(fields)
            if type(getattr(model, field.attname, None)) not in _STORED
        ]
        self._direct = not (pre_init.has_listeners(model) or post_init.has_listeners(model))

    def __call__(self, **values: Any) -> Any:
        row = self._values.copy()
        for position, field in self._fresh:
            row[position] = field.get_default()
        try:
            for attname, value in values.items():
                row[self._index[attname]] = value
        except KeyError as error:
            raise TypeError(f"NewInstances: {self.model.__name__} has no {error}") from None
        if not self._direct:
            return self.model(*row)
        instance = self.model.__new__(self.model)
        instance._state = ModelState()
        instance.__dict__.update(zip(self._attnames, row, strict=True))
        for position, attname in self._setters:
            setattr(instance, attname, row[position])
        return instance


# COPY's text format: a tab between columns, a newline between rows, \N for NULL; _copy_escape escapes these.
_TEXT_TYPES = frozenset({"CharField", "TextField", "SlugField", "EmailField", "URLField"})
_NUMBER_TYPES = frozenset(
    {
        "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
        "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "ForeignKey",
        "OneToOneField", "FloatField",
    }
)  # fmt: skip
Encoder = Callable[[Any], str]


def _array_item(value: Any) -> str:
    if value is None:
        return "NULL"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _geometry_encoder(field: GeometryField) -> Encoder:
    # Rows often share one point object (a sheet's rows of one village): each is written out once.
    # The cache lives as long as one rows_copy call, in which every instance, and so every point, is
    # alive: an id cannot be reused by another object meanwhile.
    written: dict[int, str] = {}

    def encode(value: GEOSGeometry) -> str:
        key = id(value)
        if key not in written:
            if value.srid is None:
                value = value.clone()
                value.srid = field.srid
            elif value.srid != field.srid:
                value = value.transform(field.srid, clone=True)
            written[key] = value.hexewkb.decode()
        return written[key]

    return encode


def _copy_escape(text: str) -> str:
    # four scans that find nothing in most values: str.translate looked up every character in its
    # table, a twentieth of an import's time
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _escaped(encode: Encoder) -> Encoder:
    return lambda value: _copy_escape(encode(value))


def _encoder(field: models.Field) -> Encoder:
    """How a field's Python value is spelled in COPY's text format, escaped."""
    kind = field.get_internal_type()
    if isinstance(field, GeometryField):
        return _geometry_encoder(field)  # hexadecimal
    if isinstance(field, ArrayField):
        if field.base_field.get_internal_type() not in _TEXT_TYPES:
            raise TypeError(f"rows_copy: arrays of {field.base_field.get_internal_type()} are not supported")
        return _escaped(lambda values: "{" + ",".join(_array_item(value) for value in values) + "}")
    if kind in _TEXT_TYPES:
        return _escaped(str)
    if kind in _NUMBER_TYPES:
        return str
    if kind == "BooleanField":
        return lambda value: "t" if value else "f"
    if kind in {"DateTimeField", "DateField"}:
        return _escaped(lambda value: value.isoformat() if isinstance(value, date | datetime) else str(value))
    if kind == "JSONField":
        assert isinstance(field, models.JSONField)  # noqa: S101 -- narrows the type for the encoder
        # one encoder for the column: json.dumps builds a new one per call when given options
        return _escaped((field.encoder or json.JSONEncoder)(ensure_ascii=False).encode)
    raise TypeError(f"rows_copy: {kind} ({field.name}) is not supported")


def rows_copy(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert new instances, their primary keys set (see ids_reserve), with one COPY: what bulk_create
    writes, without compiling a parameter per value (half an import's time went on that). Fields'
    pre_save runs as on a save (auto_now_add); no signals are sent."""
    if not objects:
        return
    fields = [field for field in model._meta.concrete_fields if not field.generated]
    encoders = [_encoder(field) for field in fields]
    # the fields that do more on a save than read their value (auto_now_add); the rest are read at once
    saving = [field for field in fields if type(field).pre_save is not models.Field.pre_save]
    read = attrgetter(*(field.attname for field in fields))
    values_of = read if len(fields) > 1 else lambda item: (read(item),)
    if any(item.pk is None for item in objects):
        raise ValueError("rows_copy: every instance needs its primary key (ids_reserve)")
    lines = []
    for item in objects:
        for field in saving:
            field.pre_save(item, add=True)
        cells = [
            "\\N" if value is None else encode(value)
            for value, encode in zip(values_of(item), encoders, strict=True)
        ]
        lines.append("\t".join(cells))
    alias = router.db_for_write(model)
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connections[alias].cursor() as cursor:
        cursor.copy_expert(
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN",
            io.StringIO("\n".join(lines) + "\n"),
        )
    for item in objects:
        item._state.adding = False
        item._state.db = alias
