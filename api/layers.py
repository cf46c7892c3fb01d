"""The layers the exports and the OGC API serve, each with the function that builds its query for
the acting user: a name not listed here is a 404, never a table or a path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from fairs.selectors import FAIR_STATUSES, FAIRS, fair_feature_query
from geo.errors import DomainError, ErrorItem
from geo.layers import FeatureQuery, Layer
from registry.selectors.features import (
    COMMUNITIES,
    STATUSES,
    CommunityFilters,
    feature_query,
    filters_parse,
)
from registry.selectors.layers import MUNICIPALITIES, municipality_feature_query
from registry.selectors.teams import AnyUser

# The parameters every layer reads besides its own property filters.
SPATIAL = ("in_bbox",)


@dataclass(frozen=True)
class Source:
    layer: Layer
    build: Callable[[AnyUser, CommunityFilters], FeatureQuery]
    statuses: tuple[str, ...] = ()

    def query(
        self, *, user: AnyUser, params: Mapping[str, Any], ignore: tuple[str, ...] = ()
    ) -> FeatureQuery:
        """The user's query of this layer from request parameters; a parameter the layer does not
        filter on is a 400 naming it (a misspelt filter must not silently return everything)."""
        known = {*self.layer.filters, *SPATIAL, *ignore}
        if self.layer is COMMUNITIES:
            known |= {"near", "dist"}
        unknown = sorted(name for name in params if name not in known)
        if unknown:
            raise DomainError(
                *(
                    ErrorItem(
                        name,
                        _("Неизвестный параметр; этот слой понимает: {}").format(", ".join(sorted(known))),
                        "parameter_unknown",
                    )
                    for name in unknown
                )
            )
        return self.build(user, filters_parse(params, statuses=self.statuses))


SOURCES: dict[str, Source] = {
    "communities": Source(COMMUNITIES, lambda user, f: feature_query(user=user, filters=f), STATUSES),
    "municipalities": Source(MUNICIPALITIES, lambda user, f: municipality_feature_query(filters=f)),
    "fairs": Source(FAIRS, lambda user, f: fair_feature_query(user=user, filters=f), FAIR_STATUSES),
}
