"""Map caching: a map is rebuilt only when its municipality's communities (or the spheres) change.

Each municipality has a version number in the cache, bumped by registry/signals.py when one of its
communities is saved or deleted; a key also carries today's date, because a lapsed verification
takes a community off the map at midnight without any save."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

T = TypeVar("T")
TIMEOUT_S = 24 * 3600
ALL = "all"  # spheres changed: every map
REGION = "region"
PAGES = "pages"  # what public pages show beside the maps: leaders, consents, cases, the programme


def _version_key(scope: object) -> str:
    return f"maps:version:{scope}"


def map_version_bump(*scopes: object) -> None:
    for scope in scopes:
        key = _version_key(scope)
        cache.add(key, 0, timeout=None)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=None)


def _version(scope: object) -> int:
    return int(cache.get(_version_key(scope), 0))


def map_data_version(scope: object) -> str:
    """The version of what a scope's maps show (a municipality's communities, or REGION): it changes
    exactly when their cache is invalidated, so HTTP validators (ETag) are keyed by it too."""
    return f"{_version(ALL)}.{_version(scope)}.{timezone.localdate():%Y%m%d}"


def public_data_version() -> str:
    """The version of everything the public pages show: the maps' region-wide version (bumped by any
    community's change) and the pages' own (leaders, consents, cases, the programme: signals.py).
    The HTTP validators and the full-page cache of registry/pages.py are keyed by it."""
    keys = [_version_key(scope) for scope in (ALL, REGION, PAGES)]
    found = cache.get_many(keys)  # one query to the cache table
    every, region, pages = (int(found.get(key, 0)) for key in keys)
    return f"{every}.{region}.{pages}.{timezone.localdate():%Y%m%d}"


def map_cached(*, scope: object, variant: str, build: Callable[[], T]) -> T:
    """The cached value for this scope and variant (filters, kind), built on a miss. The language is
    part of the key: the maps carry their labels."""
    digest = hashlib.sha256(variant.encode()).hexdigest()[:24]  # filters are user text: hashed
    key = f"maps:{scope}:{map_data_version(scope)}:{get_language()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=TIMEOUT_S)
    return value
