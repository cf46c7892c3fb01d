"""Case reads: only published cases of published communities reach the public."""

from __future__ import annotations

from django.db.models import QuerySet

from registry.models import Case
from registry.selectors.communities import community_public_list


def case_public_list() -> QuerySet[Case]:
    """Published cases of published communities."""
    return (
        Case.objects.filter(is_published=True, community__in=community_public_list())
        .select_related("community", "community__municipality", "community__sphere")
        .order_by("-published_at", "-id")
    )
