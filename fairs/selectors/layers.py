"""The fairs map layer (OGC API features, tiles, exports): its columns and the query a user and
filters make of it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _l

from fairs.models import Fair
from geo.layers import Column, FeatureQuery, Layer, bbox_clause
from registry.publication import public_sql
from registry.selectors.features import MUNICIPALITY_COLUMNS, CommunityFilters, like_pattern
from registry.selectors.teams import AnyUser, team_municipalities, user_is_coordinator

# the publication rule as SQL text; its parameters are given per query (they hold the date)
PUBLIC, _ = public_sql(alias="c")
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
    geometry_sql="f.public_point",  # kept by the database (fairs.publication)
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
            "f.public_precision",
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
    temporal="date",
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
    params: dict[str, object] = {**public_sql(alias="c")[1], "team_all": coordinator, "scope": scope}
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
        clauses.append(bbox_clause("f.public_point", filters.bbox, params))
    if filters.pk is not None:
        clauses.append("f.id = %(pk)s")
        params["pk"] = filters.pk
    return FeatureQuery(FAIRS, " AND ".join(clauses), params, team_fields=team)
