"""Fair reads: fairs scoped by the acting user, and registry candidates for a sign-up row."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _l

from fairs.models import Fair, Signup, SignupDismissal
from geo.layers import Column, FeatureQuery, Layer
from geo.models import Municipality, Settlement
from registry.matching import name_similarity
from registry.models import Community, Programme
from registry.selectors.features import (
    MUNICIPALITY_COLUMNS,
    PUBLIC,
    CommunityFilters,
    like_pattern,
    public_cutoff,
)
from registry.selectors.teams import AnyUser, team_municipalities, user_is_coordinator


def fair_list(*, user: AnyUser) -> QuerySet[Fair]:
    """Fairs of the user's municipalities (all for coordinators)."""
    return Fair.objects.filter(municipality__in=team_municipalities(user=user)).select_related("municipality")


def fair_get(*, user: AnyUser, pk: int) -> Fair | None:
    return fair_list(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class RegistryCandidate:
    community: Community
    score: float
    distance_m: float | None
    contact_match: bool


def fair_public_get(*, pk: int) -> Fair | None:
    """A fair that takes public sign-ups (planned or held), with its municipality; else None."""
    return (
        Fair.objects.select_related("municipality__region")
        .filter(status__in=[Fair.Status.PLANNED, Fair.Status.HELD], pk=pk)
        .first()
    )


def signup_counts(*, fair: Fair) -> dict[str, object]:
    """The fair's sign-ups: the total and the number in each status, in one query."""
    counts = Signup.objects.filter(fair=fair).aggregate(
        total=Count("id"),
        **{value: Count("id", filter=Q(status=value)) for value in Signup.Status.values},
    )
    total = counts.pop("total")
    return {"total": total, "by_status": counts}


# Each branch can use an index (trigram GIN on the name, btree on phone and e-mail): an OR across
# them made PostgreSQL scan the whole registry for every sign-up row (0.75 s a row at 100,000).
CANDIDATES_SQL = """
WITH contacted AS (
    SELECT ls.community_id AS id
    FROM registry_leadership ls JOIN registry_leader l ON l.id = ls.leader_id
    WHERE (%(phone)s <> '' AND l.phone = %(phone)s) OR (%(email)s <> '' AND l.email = %(email)s)
), named AS (
    SELECT c.id FROM registry_community c
    WHERE c.name_normalized %% %(core)s AND similarity(c.name_normalized, %(core)s) >= 0.3
      AND (%(anywhere)s OR c.municipality_id = %(municipality)s OR (%(point)s::bytea IS NOT NULL
           AND ST_DWithin(c.location::geography, ST_GeomFromEWKB(%(point)s::bytea)::geography, %(radius)s)))
)
SELECT c.id,
       CASE WHEN %(point)s::bytea IS NULL THEN NULL
            ELSE ST_Distance(c.location::geography, ST_GeomFromEWKB(%(point)s::bytea)::geography) END,
       c.id IN (SELECT id FROM contacted)
FROM registry_community c
WHERE c.status <> 'rejected' AND c.id IN (SELECT id FROM named UNION SELECT id FROM contacted)
ORDER BY similarity(c.name_normalized, %(core)s) DESC, c.id
LIMIT 20
"""


def signup_candidates(
    *,
    name: str,
    name_core: str,
    municipality: Municipality,
    settlement: Settlement | None,
    location: Point | None,
    phone: str,
    email: str,
    anywhere: bool = False,
) -> list[RegistryCandidate]:
    """Non-rejected communities with a similar name in the municipality or within the radius (anywhere,
    for a row that names no place), or led by someone with the same phone or e-mail; pg_trgm finds
    them, rapidfuzz scores them."""
    point = bytes(location.ewkb) if location is not None else None
    with connection.cursor() as cursor:
        cursor.execute(
            CANDIDATES_SQL,
            {
                "point": point,
                "phone": phone,
                "email": email,
                "core": name_core,
                "municipality": municipality.pk,
                "radius": settings.REGISTRY_DUPLICATE_RADIUS_M,
                "anywhere": anywhere,
            },
        )
        rows = {community_id: (distance, contact) for community_id, distance, contact in cursor.fetchall()}
    if not rows:
        return []
    dismissed = set(
        SignupDismissal.objects.filter(
            name_core=name_core, municipality=municipality, settlement=settlement, community_id__in=rows
        ).values_list("community_id", flat=True)
    )
    candidates = [
        RegistryCandidate(
            community,
            round(name_similarity(name, community.name), 3),
            rows[community.pk][0],
            rows[community.pk][1],
        )
        for community in Community.objects.filter(pk__in=rows).select_related("settlement")
        if community.pk not in dismissed
    ]
    candidates.sort(
        key=lambda item: (-item.contact_match, -item.score, item.distance_m or 0, item.community.pk)
    )
    return candidates


def community_distances_m(*, point: Point | None, community_ids: list[int]) -> dict[int, float]:
    """Geodesic distances in metres from a point to communities (for the review table)."""
    if point is None or not community_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_Distance(location::geography, ST_GeomFromEWKB(%s)::geography) FROM registry_community WHERE id = ANY(%s)",
            [bytes(point.ewkb), community_ids],
        )
        return {community_id: round(distance) for community_id, distance in cursor.fetchall()}


def fair_counts(*, programme: Programme) -> dict[int, tuple[int, int]]:
    """Fairs held within the programme's period and their visitors, by municipality id (one query)."""
    rows = (
        Fair.objects.filter(
            status=Fair.Status.HELD,
            municipality__in=programme.municipalities.all(),
            date__gte=programme.starts_on,
            date__lte=programme.ends_on,
        )
        .order_by()
        .values("municipality")
        .annotate(held=Count("id"), participants=Sum("visitor_count"))
    )
    return {row["municipality"]: (row["held"], row["participants"] or 0) for row in rows}


def fair_public_list(*, oktmo: str | None = None) -> QuerySet[Fair]:
    """Every fair (planned and held fairs are public events), newest first; of one municipality."""
    fairs = Fair.objects.filter(status__in=[Fair.Status.PLANNED, Fair.Status.HELD]).select_related(
        "municipality"
    )
    if oktmo:
        fairs = fairs.filter(municipality__oktmo=oktmo)
    return fairs.order_by("-date", "-pk")


def fair_public_in(*, municipality: Municipality) -> QuerySet[Fair]:
    """The fairs of a municipality, newest first: planned and held fairs are public events."""
    return Fair.objects.filter(
        municipality=municipality, status__in=[Fair.Status.PLANNED, Fair.Status.HELD]
    ).order_by("-date", "-pk")


def fair_public_of(*, community: Community) -> QuerySet[Fair]:
    """The fairs where a community presented itself, newest first."""
    return Fair.objects.filter(
        presented_communities=community, status__in=[Fair.Status.PLANNED, Fair.Status.HELD]
    ).order_by("-date", "-pk")


PRESENTED_PUBLIC = (
    "(SELECT count(*) FROM fairs_fair_presented_communities pc JOIN registry_community c"  # noqa: S608
    f" ON c.id = pc.community_id WHERE pc.fair_id = f.id AND {PUBLIC})"
)

FAIRS = Layer(
    name="fairs",
    title=_l("Ярмарки сообществ"),
    description=_l(
        "Ярмарки сообществ программы: запланированные и проведённые, с местом, датой, числом"
        " посетителей и опубликованных сообществ, которые на них представились. Ярмарка без"
        " указанного места стоит в точке внутри своего муниципалитета."
    ),
    from_sql="FROM fairs_fair f JOIN geo_municipality m ON m.id = f.municipality_id",
    id_sql="f.id",
    geometry_sql="coalesce(f.venue_point, ST_PointOnSurface(m.boundary_simplified))",
    geometry_type="Point",
    columns=(
        Column("id", "f.id", "integer", _l("номер ярмарки")),
        Column("title", "f.title", "string", _l("название")),
        Column("date", "f.date", "date", _l("дата")),
        Column("status", "f.status", "string", _l("статус: planned — запланирована, held — проведена")),
        *MUNICIPALITY_COLUMNS,
        Column("venue_name", "f.venue_name", "string", _l("место проведения"), short="venue"),
        Column("visitor_count", "f.visitor_count", "integer", _l("посетителей"), short="visitors"),
        Column(
            "communities",
            PRESENTED_PUBLIC,
            "integer",
            _l("представившихся опубликованных сообществ"),
        ),
        Column(
            "location_precision",
            "CASE WHEN f.venue_point IS NULL THEN 'municipality' ELSE 'exact' END",
            "string",
            _l("точность места: exact или municipality"),
            short="precision",
        ),
        Column(
            "signup_url",
            "'/fairs/' || f.id || '/signup/'",
            "string",
            _l("форма записи (путь на сайте)"),
            short="signup",
        ),
        Column(
            "signups",
            "CASE WHEN %(team_all)s OR f.municipality_id = ANY(%(scope)s)"
            " THEN (SELECT count(*) FROM fairs_signup su WHERE su.fair_id = f.id) END",
            "integer",
            _l("записей (только команде муниципалитета)"),
            team=True,
        ),
    ),
    filters={
        "municipality": _l("ОКТМО муниципалитета (8 цифр)"),
        "status": _l("planned или held"),
        "q": _l("часть названия"),
    },
)

FAIR_STATUSES = tuple(Fair.Status.values)


def fair_feature_query(*, user: AnyUser, filters: CommunityFilters) -> FeatureQuery:
    """Every fair is a public event; team members (coordinators: everywhere) also see sign-up counts."""
    coordinator = user_is_coordinator(user=user)
    scope = (
        []
        if coordinator or not user.is_authenticated
        else list(team_municipalities(user=user).values_list("pk", flat=True))
    )
    # the sign-up counts show on the user's own municipalities' fairs only (a null elsewhere)
    params: dict[str, object] = {"cutoff": public_cutoff(), "team_all": coordinator, "scope": scope}
    clauses = ["f.status = ANY(%(public_statuses)s)"]
    params["public_statuses"] = list(FAIR_STATUSES)
    team = coordinator or bool(scope)
    if filters.municipality:
        clauses.append("m.oktmo = %(oktmo)s")
        params["oktmo"] = filters.municipality
    if filters.status:
        clauses.append("f.status = %(status)s")
        params["status"] = filters.status
    if filters.q:
        clauses.append("f.title ILIKE %(q)s")
        params["q"] = like_pattern(filters.q)
    if filters.bbox:
        clauses.append(
            "coalesce(f.venue_point, ST_PointOnSurface(m.boundary_simplified))"
            " && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)"
        )
        params.update(zip(("x0", "y0", "x1", "y1"), filters.bbox, strict=True))
    if filters.pk is not None:
        clauses.append("f.id = %(pk)s")
        params["pk"] = filters.pk
    return FeatureQuery(FAIRS, " AND ".join(clauses), params, team_fields=team)
