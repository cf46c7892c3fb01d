"""Region-wide search of the published communities (the home page's search box)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from geo.text import fold
from registry.models import Community, Sphere
from registry.selectors.communities import community_public_list, community_search


def community_region_search(*, query: str, sphere: Sphere | None) -> QuerySet[Community]:
    """Published communities whose name (as typed or folded, like the municipality page's search)
    or whose settlement's name contains the query, of one sphere if given; ordered by name."""
    communities = community_public_list()
    if sphere is not None:
        communities = communities.filter(sphere=sphere)
    if query:
        by_name = community_search(communities=communities, query=query).values("pk")
        by_settlement = Q(settlement__name__icontains=query)
        if fold(query):
            by_settlement |= Q(settlement__name__icontains=fold(query))
        communities = communities.filter(Q(pk__in=by_name) | by_settlement)
    return (
        communities.select_related("sphere", "settlement", "municipality")
        .defer("area", "municipality__boundary", "municipality__boundary_simplified")
        .order_by("name", "id")
    )
