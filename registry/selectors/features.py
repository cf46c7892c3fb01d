"""The read path of community features, shared by the API list, its full download and (later) the
OGC API and the exports: privacy, filters and output columns in one SQL query, GeoJSON built by
PostgreSQL (ST_AsGeoJSON + json_build_object), never a Python object per feature.

Privacy: anonymous clients see published communities only (registry.publication's rule); a team
member also sees every community of their team's municipalities (a coordinator: all), with `status`
and `source` among the properties. Every community is placed, and selected by the spatial filters,
at its stored public point (registry.publication), and `location_precision` says how precise it is.

Output columns (stable names, also the attribute table of the exports): id, slug, name, sphere,
sphere_name, form, municipality (OKTMO), municipality_name, settlement, members_count, founded_year,
location_precision, url, and for team members status and source; the geometry column is `geom`."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from geo.errors import DomainError, ErrorItem
from geo.layers import Column, FeatureQuery, Layer, bbox_clause
from geo.text import fold
from registry.publication import public_sql
from registry.selectors.teams import AnyUser, team_municipalities, user_is_coordinator

MAX_DISTANCE_M = 500_000
SEARCH_MAX_LENGTH = 100
OKTMO = re.compile(r"^\d{8}$")
SPHERE_CODE = re.compile(r"^[a-z0-9_-]{1,50}$")
STATUSES = ("proposed", "verified", "archived", "rejected")


@dataclass(frozen=True)
class CommunityFilters:
    municipality: str | None = None  # OKTMO of a district or okrug
    sphere: str | None = None  # sphere code
    status: str | None = None  # only what the user may see: anonymous clients get verified ones only
    q: str | None = None  # part of the name
    bbox: tuple[float, float, float, float] | None = None  # minlon, minlat, maxlon, maxlat
    near: tuple[float, float, float] | None = None  # lon, lat, metres (geodesic)
    updated_since: datetime | None = None
    after: int | None = None  # keyset: ids greater than this
    pk: int | None = None  # one community (the detail endpoint); not a query parameter


def _number(text: str, *, field: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise DomainError(
            ErrorItem(field, _("Ожидается число, получено «{}»").format(text[:50]), "number_invalid")
        ) from None
    if not math.isfinite(value):
        raise DomainError(ErrorItem(field, _("Ожидается конечное число"), "coordinates_not_finite"))
    return value


def _numbers(text: str, *, field: str, count: int, shape: str) -> list[float]:
    parts = text.split(",")
    if len(parts) != count:
        raise DomainError(
            ErrorItem(field, _("Ожидается {} чисел через запятую: {}").format(count, shape), "number_count")
        )
    return [_number(part, field=field) for part in parts]


def _lon_lat_check(lon: float, lat: float, *, field: str) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DomainError(
            ErrorItem(field, _("Долгота от −180 до 180, широта от −90 до 90"), "coordinates_out_of_range")
        )


def filters_parse(params: Any, *, statuses: tuple[str, ...] = STATUSES) -> CommunityFilters:
    """CommunityFilters from query parameters; every problem names its parameter. The other layers
    (municipalities, fairs) read the same parameters, each with its own statuses."""
    errors: list[ErrorItem] = []
    values: dict[str, Any] = {}

    def take(field: str, parse: Any) -> None:
        raw = params.get(field)
        if raw is None or str(raw).strip() == "":
            return
        try:
            values[field] = parse(str(raw).strip())
        except DomainError as error:
            errors.extend(error.items)

    def municipality(text: str) -> str:
        if not OKTMO.match(text):
            raise DomainError(ErrorItem("municipality", _("Ожидается код ОКТМО из 8 цифр"), "oktmo_invalid"))
        return text

    def sphere(text: str) -> str:
        if not SPHERE_CODE.match(text):
            raise DomainError(ErrorItem("sphere", _("Неизвестный код сферы"), "sphere_invalid"))
        return text

    def status(text: str) -> str:
        if text not in statuses:
            raise DomainError(
                ErrorItem("status", _("Статус: один из {}").format(", ".join(statuses)), "status_invalid")
            )
        return text

    def query(text: str) -> str:
        if len(text) > SEARCH_MAX_LENGTH:
            raise DomainError(
                ErrorItem("q", _("Не длиннее {} символов").format(SEARCH_MAX_LENGTH), "q_too_long")
            )
        return text

    def bbox(text: str) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = _numbers(text, field="in_bbox", count=4, shape="minlon,minlat,maxlon,maxlat")
        _lon_lat_check(x0, y0, field="in_bbox")
        _lon_lat_check(x1, y1, field="in_bbox")
        if x0 > x1 or y0 > y1:
            raise DomainError(
                ErrorItem("in_bbox", _("Сначала меньшие долгота и широта, затем большие"), "bbox_order")
            )
        return x0, y0, x1, y1

    def near(text: str) -> tuple[float, float, float]:
        lon, lat = _numbers(text, field="near", count=2, shape="lon,lat")
        _lon_lat_check(lon, lat, field="near")
        raw = params.get("dist")
        if raw is None or str(raw).strip() == "":
            raise DomainError(ErrorItem("dist", _("С near нужен dist — расстояние в метрах"), "required"))
        distance = _number(str(raw), field="dist")
        if not 0 < distance <= MAX_DISTANCE_M:
            raise DomainError(
                ErrorItem(
                    "dist", _("Расстояние в метрах: от 0 до {}").format(MAX_DISTANCE_M), "dist_out_of_range"
                )
            )
        return lon, lat, distance

    def updated_since(text: str) -> datetime:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                raise DomainError(
                    ErrorItem(
                        "updated_since",
                        _("Ожидается дата ГГГГ-ММ-ДД или дата и время ISO 8601"),
                        "date_invalid",
                    )
                )
            moment = datetime.combine(day, time.min)
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def after(text: str) -> int:
        if not text.isdigit() or len(text) > 18:
            raise DomainError(ErrorItem("after", _("Ожидается номер (id) сообщества"), "after_invalid"))
        return int(text)

    for field, parse in (
        ("municipality", municipality),
        ("sphere", sphere),
        ("status", status),
        ("q", query),
        ("in_bbox", bbox),
        ("near", near),
        ("updated_since", updated_since),
        ("after", after),
    ):
        take(field, parse)
    if errors:
        raise DomainError(*errors)
    return CommunityFilters(
        municipality=values.get("municipality"),
        sphere=values.get("sphere"),
        status=values.get("status"),
        q=values.get("q"),
        bbox=values.get("in_bbox"),
        near=values.get("near"),
        updated_since=values.get("updated_since"),
        after=values.get("after"),
    )


# What a community's columns name besides its own row (registry.public_feature joins the same).
JOINS = """LEFT JOIN registry_sphere s ON s.id = c.sphere_id  -- a proposed community may have none yet
JOIN geo_municipality m ON m.id = c.municipality_id
LEFT JOIN geo_settlement st ON st.id = c.settlement_id"""
FROM = f"FROM registry_community c\n{JOINS}"

# Where and how precisely the public sees a community: stored by the database (registry.publication).
GEOMETRY = "c.public_point"
PRECISION = "c.public_precision"
# team-only columns show on the user's own municipalities' rows (a null on others' published rows)
IN_SCOPE = "CASE WHEN %(team_all)s OR c.municipality_id = ANY(%(scope)s) THEN {} END"


def like_pattern(text: str) -> str:
    """An ILIKE pattern finding `text` anywhere, its own % and _ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def feature_query(*, user: AnyUser, filters: CommunityFilters, today: date | None = None) -> FeatureQuery:
    coordinator = user_is_coordinator(user=user)
    public, params = public_sql(alias="c", today=today)
    params.update(team_all=coordinator, scope=[])
    if coordinator:
        scope = "TRUE"
        team = True
    elif user.is_authenticated:
        params["scope"] = list(team_municipalities(user=user).values_list("pk", flat=True))
        scope = "c.municipality_id = ANY(%(scope)s)"
        team = bool(params["scope"])
    else:
        scope = "FALSE"
        team = False
    clauses = [f"({public} OR {scope})"]
    if filters.status:
        clauses.append("c.status = %(status)s")  # the visibility clause keeps it within scope
        params["status"] = filters.status
    if filters.municipality:
        clauses.append("m.oktmo = %(oktmo)s")
        params["oktmo"] = filters.municipality
    if filters.sphere:
        clauses.append("s.code = %(sphere)s")
        params["sphere"] = filters.sphere
    if filters.q:
        folded = fold(filters.q)  # may be empty: punctuation alone folds to nothing
        clauses.append(
            "(c.name_normalized ILIKE %(q_folded)s OR c.name ILIKE %(q_raw)s)"
            if folded
            else "c.name ILIKE %(q_raw)s"
        )
        params["q_folded"] = like_pattern(folded)
        params["q_raw"] = like_pattern(filters.q)
    # Spatial filters select by the public point, never by a hidden place: a box narrowed around a
    # private home must not find it.
    if filters.bbox:
        clauses.append(bbox_clause(GEOMETRY, filters.bbox, params))
    order_sql = ""
    extra: tuple[tuple[str, str], ...] = ()
    if filters.near:
        # geography: metres on the ellipsoid (a degree of longitude is ~64 km at 55°N, not 111);
        # nearest first, measured from the public point like the selection
        distance = (
            f"ST_Distance({GEOMETRY}::geography,"
            " ST_SetSRID(ST_MakePoint(%(near_lon)s, %(near_lat)s), 4326)::geography)"
        )
        order_sql = distance
        extra = (("distance_m", f"round({distance})::integer"),)
        clauses.append(
            f"ST_DWithin({GEOMETRY}::geography,"
            " ST_SetSRID(ST_MakePoint(%(near_lon)s, %(near_lat)s), 4326)::geography, %(near_m)s)"
        )
        params.update(near_lon=filters.near[0], near_lat=filters.near[1], near_m=filters.near[2])
    if filters.updated_since:
        clauses.append("c.updated_at >= %(updated_since)s")
        params["updated_since"] = filters.updated_since
    if filters.pk is not None:
        clauses.append("c.id = %(pk)s")
        params["pk"] = filters.pk
    if filters.after is not None:
        clauses.append("c.id > %(after)s")
        params["after"] = filters.after
    return FeatureQuery(COMMUNITIES, " AND ".join(clauses), params, team, order_sql, extra)


# The municipality (joined as m) of a community or a fair.
MUNICIPALITY_COLUMNS = (
    Column("municipality", "m.oktmo", "string", _l("ОКТМО муниципалитета"), short="oktmo"),
    Column("municipality_name", "m.name", "string", _l("муниципалитет"), short="mun_name"),
)

COMMUNITIES = Layer(
    name="communities",
    title=_l("Сообщества"),
    description=_l(
        "Местные сообщества реестра программы: опубликованные (подтверждённые) — для всех;"
        " участникам команды — все сообщества их муниципалитетов со статусом и источником."
        " Сообщество, чьё точное место скрыто, стоит в точке своего населённого пункта."
    ),
    from_sql=FROM,
    id_sql="c.id",
    geometry_sql=GEOMETRY,
    geometry_type="Point",
    columns=(
        Column("id", "c.id", "integer", _l("номер сообщества")),
        Column("slug", "c.slug", "string", _l("адрес страницы: /c/<slug>/")),
        Column("name", "c.name", "string", _l("название")),
        Column("sphere", "s.code", "string", _l("код сферы")),
        Column("sphere_name", "s.name", "string", _l("сфера"), short="sphere_nm"),
        Column("form", "c.form", "string", _l("форма: инициативная группа, ТОС, НКО…")),
        *MUNICIPALITY_COLUMNS,
        Column("settlement", "st.name", "string", _l("населённый пункт"), short="settlemnt"),
        Column("members_count", "c.members_count", "integer", _l("число участников"), short="members"),
        Column("founded_year", "c.founded_year", "integer", _l("год создания"), short="founded"),
        Column(
            "location_precision",
            PRECISION,
            "string",
            _l("точность места: exact, settlement, municipality"),
            short="precision",
        ),
        Column("url", "'/c/' || c.slug || '/'", "string", _l("страница сообщества (путь на сайте)")),
        Column("updated_at", "c.updated_at", "datetime", _l("время последнего изменения записи (UTC)")),
        Column("status", IN_SCOPE.format("c.status"), "string", _l("статус (только команде)"), team=True),
        Column(
            "source", IN_SCOPE.format("c.source"), "string", _l("источник записи (только команде)"), team=True
        ),
    ),  # fmt: skip
    filters={
        "municipality": _l("ОКТМО муниципалитета (8 цифр)"),
        "sphere": _l("код сферы"),
        "q": _l("часть названия"),
        "status": _l("статус (участникам команды)"),
        "updated_since": _l("изменённые с даты ГГГГ-ММ-ДД"),
    },
    temporal="updated_at",
    stored_feature_sql="(SELECT f.feature FROM registry_communityfeature f WHERE f.community_id = {id})",
)
