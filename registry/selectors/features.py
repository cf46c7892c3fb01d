"""The read path of community features, shared by the API list, its full download and (later) the
OGC API and the exports: privacy, filters and output columns in one SQL query, GeoJSON built by
PostgreSQL (ST_AsGeoJSON + json_build_object), never a Python object per feature.

Privacy: anonymous clients see published communities only (public_q's rule); a team member also
sees every community of their team's municipalities (a coordinator: all), with `status` and `source`
among the properties. A community whose exact place must stay hidden is placed at its settlement's
point, else at a point on its municipality's surface, and `location_precision` says so.

Output columns (stable names, also the attribute table of the exports): id, slug, name, sphere,
sphere_name, form, municipality (OKTMO), municipality_name, settlement, members_count, founded_year,
location_precision, url, and for team members status and source; the geometry column is `geom`."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.text import fold
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


def filters_parse(params: Any) -> CommunityFilters:
    """CommunityFilters from query parameters; every problem names its parameter."""
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
        if text not in STATUSES:
            raise DomainError(
                ErrorItem("status", _("Статус: один из {}").format(", ".join(STATUSES)), "status_invalid")
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


@dataclass(frozen=True)
class FeatureQuery:
    """The FROM … WHERE … of the features, with its parameters, for the acting user."""

    where: str
    params: dict[str, Any]
    team_fields: bool


FROM = """FROM registry_community c
JOIN registry_sphere s ON s.id = c.sphere_id
JOIN geo_municipality m ON m.id = c.municipality_id
LEFT JOIN geo_settlement st ON st.id = c.settlement_id"""

GEOMETRY = """CASE WHEN c.hide_exact_location
    THEN coalesce(st.point, ST_PointOnSurface(m.boundary_simplified)) ELSE c.location END"""
PRECISION = """CASE WHEN NOT c.hide_exact_location THEN c.location_precision
    WHEN st.point IS NOT NULL THEN 'settlement' ELSE 'municipality' END"""
PUBLIC = "(c.status = 'verified' AND (c.verified_until IS NULL OR c.verified_until >= %(cutoff)s))"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def feature_query(*, user: AnyUser, filters: CommunityFilters, today: date | None = None) -> FeatureQuery:
    cutoff = (today or timezone.localdate()) - timedelta(days=settings.REGISTRY_VERIFICATION_GRACE_DAYS)
    params: dict[str, Any] = {"cutoff": cutoff}
    if user_is_coordinator(user=user):
        scope = "TRUE"
        team = True
    elif user.is_authenticated:
        params["scope"] = list(team_municipalities(user=user).values_list("pk", flat=True))
        scope = "c.municipality_id = ANY(%(scope)s)"
        team = bool(params["scope"])
    else:
        scope = "FALSE"
        team = False
    clauses = [f"({PUBLIC} OR {scope})"]
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
        params["q_folded"] = f"%{_like_escape(folded)}%"
        params["q_raw"] = f"%{_like_escape(filters.q)}%"
    if filters.bbox:
        clauses.append("c.location && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)")
        params.update(zip(("x0", "y0", "x1", "y1"), filters.bbox, strict=True))
    if filters.near:
        # geography: metres on the ellipsoid (a degree of longitude is ~64 km at 55°N, not 111)
        clauses.append(
            "ST_DWithin(c.location::geography,"
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
    return FeatureQuery(" AND ".join(clauses), params, team)


def _properties(query: FeatureQuery) -> str:
    fields = [
        "'id', c.id",
        "'slug', c.slug",
        "'name', c.name",
        "'sphere', s.code",
        "'sphere_name', s.name",
        "'form', c.form",
        "'municipality', m.oktmo",
        "'municipality_name', m.name",
        "'settlement', st.name",
        "'members_count', c.members_count",
        "'founded_year', c.founded_year",
        f"'location_precision', {PRECISION}",
        "'url', '/c/' || c.slug || '/'",
    ]
    if query.team_fields:
        fields += ["'status', c.status", "'source', c.source"]
    return "json_build_object(" + ", ".join(fields) + ")"


def _feature(query: FeatureQuery) -> str:
    return (
        "json_build_object('type', 'Feature', 'id', c.id,"
        f" 'geometry', ST_AsGeoJSON({GEOMETRY}, 6)::json, 'properties', {_properties(query)})"
    )


def feature_count(query: FeatureQuery) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {FROM} WHERE {query.where}", query.params)  # noqa: S608
        return int(cursor.fetchone()[0])


def feature_page(query: FeatureQuery, *, limit: int, offset: int) -> tuple[int, str]:
    """(how many match, the features of one page as a JSON array text in id order), in one query:
    the ids are found and counted first, the GeoJSON is built for the page's rows only."""
    sql = (
        "SELECT max(page.total), coalesce(json_agg(f.feature ORDER BY page.id), '[]'::json)::text FROM ("  # noqa: S608
        f" SELECT c.id, count(*) OVER () AS total {FROM} WHERE {query.where}"
        " ORDER BY c.id LIMIT %(limit)s OFFSET %(offset)s) page"
        f" CROSS JOIN LATERAL (SELECT {_feature(query)} AS feature {FROM} WHERE c.id = page.id) f"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {**query.params, "limit": limit, "offset": offset})
        total, features = cursor.fetchone()
    if total is None:  # an empty page: past the end, or nothing matches
        total = feature_count(query) if offset else 0
    return int(total), str(features)


def feature_sql(query: FeatureQuery) -> tuple[str, dict[str, Any]]:
    """The SELECT of every feature's JSON text in id order (what feature_stream runs; COPY-able)."""
    return f"SELECT {_feature(query)}::text {FROM} WHERE {query.where} ORDER BY c.id", query.params  # noqa: S608


def feature_stream(query: FeatureQuery, *, chunk: int = 10_000) -> Iterator[tuple[str, int]]:
    """Every feature as JSON text, in id order, through a server-side cursor (memory stays flat);
    each chunk is (a comma-separated run of features, how many)."""
    sql, params = feature_sql(query)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield ",".join(feature for (feature,) in rows), len(rows)
