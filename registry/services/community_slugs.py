"""A community's page address: its name transliterated, made unique against the slugs taken."""

from __future__ import annotations

from slugify import slugify

from geo.models import Municipality
from registry.models import Community


def community_slug_unique(name: str, municipality: Municipality, *, exclude_pk: int | None = None) -> str:
    base = slug_base(name)
    others = Community.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return slug_pick(base, municipality, set(others.values_list("slug", flat=True)))


def slug_base(name: str) -> str:
    # text-unidecode named: "auto" looks for Unidecode first, a failed import per call (a tenth of a
    # large import's time went on looking for a package that is not installed)
    return slugify(name, max_length=150, word_boundary=True, backend="text-unidecode") or "soobshchestvo"


def slug_pick(base: str, municipality: Municipality, taken: set[str]) -> str:
    for candidate in [base, f"{base}-{municipality.slug}"[:200]]:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# The slugs starting with each base, in one query: slugs are ASCII [a-z0-9-], so those starting with
# a base sort (bytewise, as the slug's pattern index does) from the base up to the base + "~".
SLUGS_TAKEN_SQL = """
SELECT c.slug FROM unnest(%s::text[]) AS b(base)
JOIN LATERAL (
    SELECT slug FROM registry_community WHERE slug ~>=~ b.base AND slug ~<~ (b.base || '~')
) AS c ON true
"""
