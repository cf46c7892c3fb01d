"""The municipalities layer (for the OGC API and the exports): every municipality of the shipped
boundaries with its full outline, whether the current programme works there, and how many of its
communities are published. Public data: the same for every user."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _l

from geo.layers import Column, FeatureQuery, Layer
from registry.publication import public_sql
from registry.selectors.features import CommunityFilters, like_pattern

# the publication rule as SQL text; its parameters are given per query (they hold the date)
PUBLIC, _ = public_sql(alias="c")

MUNICIPALITIES = Layer(
    name="municipalities",
    title=_l("Муниципалитеты"),
    description=_l(
        "Муниципальные районы, городские округа и поселения с границами (OpenStreetMap, ODbL),"
        " кодами ОКТМО, участием в текущей программе и числом опубликованных сообществ."
    ),
    from_sql="""FROM geo_municipality m
JOIN geo_region r ON r.id = m.region_id
LEFT JOIN geo_municipality p ON p.id = m.parent_id""",
    id_sql="m.id",
    geometry_sql="m.boundary",
    geometry_type="MultiPolygon",
    columns=(
        Column("id", "m.id", "integer", _l("номер муниципалитета")),
        Column("oktmo", "m.oktmo", "string", _l("код ОКТМО (8 цифр)")),
        Column("name", "m.name", "string", _l("название")),
        Column("official_name", "m.official_name", "string", _l("официальное название"), short="official"),
        Column("kind", "m.kind", "string", _l("вид: район, городской округ, поселение…")),
        Column("level", "m.level", "integer", _l("уровень: 1 — район или округ, 2 — поселение")),
        Column("region", "r.iso_code", "string", _l("субъект РФ, код ISO 3166-2")),
        Column("parent", "p.oktmo", "string", _l("ОКТМО района, в который входит поселение")),
        Column("admin_center", "m.admin_center", "string", _l("административный центр"), short="adm_center"),
        Column("area_km2", "round(m.area_km2::numeric, 1)", "number", _l("площадь, км²")),
        Column(
            "in_programme",
            "EXISTS (SELECT 1 FROM registry_programme_municipalities pm"
            " JOIN registry_programme pr ON pr.id = pm.programme_id"
            " WHERE pm.municipality_id = m.id AND pr.is_current)",
            "boolean",
            _l("участвует в текущей программе"),
            short="programme",
        ),
        Column(
            "communities",
            f"(SELECT count(*) FROM registry_community c WHERE c.municipality_id = m.id AND {PUBLIC})",  # noqa: S608
            "integer",
            _l("опубликованных (подтверждённых) сообществ"),
        ),
        Column("url", "'/m/' || m.slug || '/'", "string", _l("страница муниципалитета (путь на сайте)")),
    ),
    filters={
        "municipality": _l("ОКТМО муниципалитета или района, в который он входит"),
        "q": _l("часть названия"),
    },
)


def municipality_feature_query(*, filters: CommunityFilters) -> FeatureQuery:
    params: dict[str, Any] = public_sql(alias="c")[1]
    clauses = ["TRUE"]
    if filters.municipality:
        clauses.append("(m.oktmo = %(oktmo)s OR p.oktmo = %(oktmo)s)")
        params["oktmo"] = filters.municipality
    if filters.q:
        clauses.append("m.name ILIKE %(q)s")
        params["q"] = like_pattern(filters.q)
    if filters.bbox:
        clauses.append("m.boundary && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)")
        params.update(zip(("x0", "y0", "x1", "y1"), filters.bbox, strict=True))
    if filters.pk is not None:
        clauses.append("m.id = %(pk)s")
        params["pk"] = filters.pk
    return FeatureQuery(MUNICIPALITIES, " AND ".join(clauses), params, team_fields=False)
