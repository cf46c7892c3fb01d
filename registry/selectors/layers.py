"""The geodata layers (for the OGC API and the exports), one geometry type each: `municipalities`
(the districts and okrugs with their boundaries, whether the current programme works there and how
many of their communities are published), `rural_municipalities` (the settlements and сельсоветы
inside the districts: the shipped data has no boundaries for them, so a table without geometry) and
`settlements` (the populated places that have a point, with where the point comes from). Public
data: the same for every user."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _l

from geo.layers import Column, FeatureQuery, Layer, bbox_clause
from registry.publication import public_sql
from registry.selectors.features import CommunityFilters, like_pattern

# the publication rule as SQL text; its parameters are given per query (they hold the date)
PUBLIC, _ = public_sql(alias="c")

MUNICIPALITY_FROM = """FROM geo_municipality m
JOIN geo_region r ON r.id = m.region_id
LEFT JOIN geo_municipality p ON p.id = m.parent_id"""
# What names a municipality in both its layers (districts and the settlements inside them).
MUNICIPALITY_IDENTITY = (
    Column("id", "m.id", "integer", _l("номер муниципалитета")),
    Column("oktmo", "m.oktmo", "string", _l("код ОКТМО (8 цифр)")),
    Column("name", "m.name", "string", _l("название")),
    Column("official_name", "m.official_name", "string", _l("официальное название"), short="official"),
)
MUNICIPALITY_FILTERS: dict[str, str | Promise] = {
    "municipality": _l("ОКТМО муниципалитета или района, в который он входит"),
    "q": _l("часть названия"),
}

MUNICIPALITIES = Layer(
    name="municipalities",
    title=_l("Муниципалитеты"),
    description=_l(
        "Муниципальные районы и городские и муниципальные округа с границами (OpenStreetMap, ODbL),"
        " кодами ОКТМО, участием в текущей программе и числом опубликованных сообществ."
        " Поселения и сельсоветы внутри районов — в таблице rural_municipalities."
    ),
    from_sql=MUNICIPALITY_FROM,
    id_sql="m.id",
    geometry_sql="m.boundary",
    geometry_type="MultiPolygon",
    columns=(
        *MUNICIPALITY_IDENTITY,
        Column(
            "kind", "m.kind", "string", _l("вид: municipal_district — район, urban_okrug — городской округ…")
        ),
        Column("level", "m.level", "integer", _l("уровень: 1 — район или округ")),
        Column("region", "r.iso_code", "string", _l("субъект РФ, код ISO 3166-2")),
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
    filters=MUNICIPALITY_FILTERS,
    equals=("level", "region", "kind"),
)

RURAL_MUNICIPALITIES = Layer(
    name="rural_municipalities",
    title=_l("Поселения и сельсоветы"),
    description=_l(
        "Городские и сельские поселения (сельсоветы) внутри муниципальных районов: коды ОКТМО,"
        " названия и район. Границ у них в данных нет, поэтому это таблица без геометрии"
        " (GeoPackage, GeoJSON, CSV, XLSX; в FlatGeobuf, Shapefile и KML её нет)."
    ),
    from_sql=MUNICIPALITY_FROM,
    id_sql="m.id",
    geometry_sql="NULL::geometry",
    geometry_type="None",
    columns=(
        *MUNICIPALITY_IDENTITY,
        Column(
            "kind",
            "m.kind",
            "string",
            _l("вид: rural_settlement — сельское, urban_settlement — городское поселение"),
        ),
        Column("region", "r.iso_code", "string", _l("субъект РФ, код ISO 3166-2")),
        Column("parent", "p.oktmo", "string", _l("ОКТМО района, в который входит поселение")),
        Column("parent_name", "p.name", "string", _l("район, в который входит поселение"), short="parent_nm"),
        Column("admin_center", "m.admin_center", "string", _l("административный центр"), short="adm_center"),
    ),
    filters=MUNICIPALITY_FILTERS,
    equals=("region", "kind"),
)

SETTLEMENTS = Layer(
    name="settlements",
    title=_l("Населённые пункты"),
    description=_l(
        "Населённые пункты справочника ОКТМО, у которых известна точка, с источником точки"
        " (GeoNames, CC BY 4.0; HFLabs, CC BY-SA 4.0), районом и поселением."
    ),
    from_sql="""FROM geo_settlement s
JOIN geo_municipality m ON m.id = s.municipality_id
LEFT JOIN geo_municipality rm ON rm.id = s.rural_municipality_id""",
    id_sql="s.id",
    geometry_sql="s.point",
    geometry_type="Point",
    columns=(
        Column("id", "s.id", "integer", _l("номер населённого пункта")),
        Column("oktmo", "s.oktmo", "string", _l("код ОКТМО (11 цифр)")),
        Column("name", "s.name", "string", _l("название")),
        Column("type", "s.type", "string", _l("тип, кратко: д., с., г.…")),
        Column("type_full", "s.type_full", "string", _l("тип полностью")),
        Column("municipality", "m.oktmo", "string", _l("ОКТМО района или округа"), short="mun_oktmo"),
        Column("municipality_name", "m.name", "string", _l("район или округ"), short="mun_name"),
        Column("rural_municipality", "rm.oktmo", "string", _l("ОКТМО поселения (сельсовета)"), short="rural"),
        Column("population", "s.population", "integer", _l("население"), short="populatn"),
        Column("point_source", "s.source", "string", _l("источник точки"), short="pt_source"),
    ),
    filters={"municipality": _l("ОКТМО района или округа (8 цифр)"), "q": _l("часть названия")},
    equals=("type",),
)


def _municipality_clauses(filters: CommunityFilters, *, base: str) -> tuple[list[str], dict[str, Any]]:
    params: dict[str, Any] = public_sql(alias="c")[1]
    clauses = [base]
    if filters.municipality:
        clauses.append("(m.oktmo = %(oktmo)s OR p.oktmo = %(oktmo)s)")
        params["oktmo"] = filters.municipality
    if filters.q:
        clauses.append("m.name ILIKE %(q)s")
        params["q"] = like_pattern(filters.q)
    if filters.pk is not None:
        clauses.append("m.id = %(pk)s")
        params["pk"] = filters.pk
    return clauses, params


def municipality_feature_query(*, filters: CommunityFilters) -> FeatureQuery:
    """The districts and okrugs (level 1, with a boundary)."""
    clauses, params = _municipality_clauses(filters, base="m.level = 1 AND m.boundary IS NOT NULL")
    if filters.bbox:
        clauses.append(bbox_clause("m.boundary", filters.bbox, params))
    return FeatureQuery(MUNICIPALITIES, " AND ".join(clauses), params, team_fields=False)


def rural_municipality_feature_query(*, filters: CommunityFilters) -> FeatureQuery:
    """The settlements (поселения) inside the districts: everything not in `municipalities`. A bbox
    selects those of the districts it touches (they have no outline of their own)."""
    clauses, params = _municipality_clauses(filters, base="NOT (m.level = 1 AND m.boundary IS NOT NULL)")
    if filters.bbox:
        clauses.append(bbox_clause("p.boundary", filters.bbox, params))
    return FeatureQuery(RURAL_MUNICIPALITIES, " AND ".join(clauses), params, team_fields=False)


def settlement_feature_query(*, filters: CommunityFilters) -> FeatureQuery:
    """The populated places that have a point."""
    params: dict[str, Any] = {}
    clauses = ["s.point IS NOT NULL"]
    if filters.municipality:
        clauses.append("m.oktmo = %(oktmo)s")
        params["oktmo"] = filters.municipality
    if filters.q:
        clauses.append("s.name ILIKE %(q)s")
        params["q"] = like_pattern(filters.q)
    if filters.bbox:
        clauses.append(bbox_clause("s.point", filters.bbox, params))
    if filters.pk is not None:
        clauses.append("s.id = %(pk)s")
        params["pk"] = filters.pk
    return FeatureQuery(SETTLEMENTS, " AND ".join(clauses), params, team_fields=False)


# The REST list /api/v1/municipalities/: every municipality (both levels; a settlement's geometry is
# null), its properties named as that API has always named them, built in SQL like the communities.
MUNICIPALITY_RECORDS = Layer(
    name="municipality_records",
    title=_l("Муниципалитеты"),
    description=_l("Все муниципалитеты: районы и округа с границами, поселения без них."),
    from_sql=MUNICIPALITY_FROM,
    id_sql="m.id",
    geometry_sql="m.boundary",
    geometry_type="MultiPolygon",
    columns=(
        Column("id", "m.id", "integer", _l("номер муниципалитета")),
        Column("name", "m.name", "string", _l("название")),
        Column("official_name", "m.official_name", "string", _l("официальное название")),
        Column("oktmo", "m.oktmo", "string", _l("код ОКТМО (8 цифр)")),
        Column("kind", "m.kind", "string", _l("вид")),
        Column("level", "m.level", "integer", _l("уровень: 1 — район или округ, 2 — поселение")),
        Column("region", "r.iso_code", "string", _l("субъект РФ, код ISO 3166-2")),
        Column("parent", "p.oktmo", "string", _l("ОКТМО района, в который входит поселение")),
        Column("admin_center", "m.admin_center", "string", _l("административный центр")),
        Column("area_km2", "m.area_km2", "number", _l("площадь, км²")),
        Column("slug", "m.slug", "string", _l("адрес страницы: /m/<slug>/")),
        Column(
            "communities_verified",
            MUNICIPALITIES.column("communities").sql,
            "integer",
            _l("опубликованных (подтверждённых) сообществ"),
        ),
    ),
)
MUNICIPALITY_RECORDS_SIMPLIFIED = replace(MUNICIPALITY_RECORDS, geometry_sql="m.boundary_simplified")


def municipality_record_query(
    *, region: str | None = None, level: int | None = None, oktmo: str | None = None, simplified: bool = False
) -> FeatureQuery:
    """The REST API's municipalities: of a region (ISO 3166-2, any case), of a level, or one by OKTMO."""
    params: dict[str, Any] = public_sql(alias="c")[1]
    clauses = ["TRUE"]
    if region:
        clauses.append("r.iso_code = %(region)s")
        params["region"] = region.upper()
    if level is not None:
        clauses.append("m.level = %(level)s")
        params["level"] = level
    if oktmo is not None:
        clauses.append("m.oktmo = %(oktmo)s")
        params["oktmo"] = oktmo
    layer = MUNICIPALITY_RECORDS_SIMPLIFIED if simplified else MUNICIPALITY_RECORDS
    return FeatureQuery(layer, " AND ".join(clauses), params, team_fields=False)
