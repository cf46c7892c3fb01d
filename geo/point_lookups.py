"""A job's memo of answers about points: the reads that can use one take it as lookups=."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.gis.geos import GEOSGeometry


class PointLookups:
    """Answers about points already given, kept by one job and passed to the reads that can use them:
    an import locates thousands of communities at a few hundred village points, and the boundaries do
    not change in between. A job makes one and passes it (lookups=); without one, every call asks
    the database. It keeps each geometry whose EWKB it wrote, so that the geometry's id cannot pass
    to another object while it lives."""

    __slots__ = ("_answers", "_ewkb")

    def __init__(self) -> None:
        self._answers: dict[tuple[object, ...], Any] = {}
        self._ewkb: dict[int, tuple[GEOSGeometry, bytes]] = {}

    def ewkb(self, geometry: GEOSGeometry) -> bytes:
        """The geometry's EWKB, written once per geometry object: a sheet's rows share their
        village's point, and nothing changes a geometry in place during a job."""
        known = self._ewkb.get(id(geometry))
        if known is None:
            known = self._ewkb[id(geometry)] = (geometry, bytes(geometry.ewkb))
        return known[1]

    def answer(self, key: tuple[object, ...], compute: Callable[[], Any]) -> Any:
        if key not in self._answers:
            self._answers[key] = compute()
        return self._answers[key]


def geometry_ewkb(geometry: GEOSGeometry, *, lookups: PointLookups | None = None) -> bytes:
    """The geometry's EWKB; with lookups, written once per geometry object."""
    return lookups.ewkb(geometry) if lookups is not None else bytes(geometry.ewkb)
