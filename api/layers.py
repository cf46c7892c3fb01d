"""The layers the exports and the OGC API serve, each with the function that builds its query for
the acting user: a name not listed here is a 404, never a table or a path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from fairs.selectors.layers import FAIR_STATUSES, FAIRS, fair_feature_query
from geo.errors import DomainError, ErrorItem
from geo.layers import FeatureQuery, Layer, feature_query_narrow
from registry.selectors.features import (
    COMMUNITIES,
    STATUSES,
    CommunityFilters,
    feature_query,
    filters_parse,
)
from registry.selectors.layers import (
    MUNICIPALITIES,
    RURAL_MUNICIPALITIES,
    SETTLEMENTS,
    municipality_feature_query,
    rural_municipality_feature_query,
    settlement_feature_query,
)
from registry.selectors.teams import AnyUser

# The parameters every layer reads besides its own property filters.
SPATIAL = ("in_bbox",)
MAX_VALUE_LENGTH = 100


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
        known = {*self.layer.filters, *self.layer.equals, *SPATIAL, *ignore}
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
        query = self.build(user, filters_parse(params, statuses=self.statuses))
        return feature_query_narrow(query, equals=_equals_parse(self.layer, params))


def _equals_parse(layer: Layer, params: Mapping[str, Any]) -> dict[str, Any]:
    """The layer's equality filters present in the parameters, typed by their column."""
    values: dict[str, Any] = {}
    errors = []
    for name in layer.equals:
        raw = params.get(name)
        if raw is None or str(raw).strip() == "":
            continue
        text = str(raw).strip()
        if layer.column(name).kind == "integer":
            if not text.isdigit() or len(text) > 9:
                errors.append(ErrorItem(name, _("Ожидается целое число"), "number_invalid"))
                continue
            values[name] = int(text)
        elif len(text) > MAX_VALUE_LENGTH:
            errors.append(
                ErrorItem(name, _("Не длиннее {} символов").format(MAX_VALUE_LENGTH), "value_too_long")
            )
        else:
            values[name] = text
    if errors:
        raise DomainError(*errors)
    return values


# Every layer, in the order the Open data page lists them; the OGC API serves those with a geometry.
SOURCES: dict[str, Source] = {
    "communities": Source(COMMUNITIES, lambda user, f: feature_query(user=user, filters=f), STATUSES),
    "municipalities": Source(MUNICIPALITIES, lambda user, f: municipality_feature_query(filters=f)),
    "rural_municipalities": Source(
        RURAL_MUNICIPALITIES, lambda user, f: rural_municipality_feature_query(filters=f)
    ),
    "settlements": Source(SETTLEMENTS, lambda user, f: settlement_feature_query(filters=f)),
    "fairs": Source(FAIRS, lambda user, f: fair_feature_query(user=user, filters=f), FAIR_STATUSES),
}

# The OGC API's collections: a table without geometry is not a map layer for QGIS or GDAL.
MAP_SOURCES: dict[str, Source] = {
    name: source for name, source in SOURCES.items() if source.layer.has_geometry
}
