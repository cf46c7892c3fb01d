"""Every route that takes an id or a slug, checked for another municipality's team: 404, as if absent.

The owner's request proves each route works with the arguments used (a 404 for the stranger would
otherwise prove nothing); the completeness test makes a new parameterised route fail here until it
is classified, so no route escapes the matrix."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fairs.models import Fair, SignupImport
from fairs.services.fairs import fair_create
from geo.models import Settlement
from registry.models import (
    Case,
    Community,
    Consent,
    ErrorReport,
    Evidence,
    Indicator,
    IndicatorValue,
    Leader,
    PrivacyEvent,
    PrivacyRequest,
    Programme,
    TeamInvitation,
    TeamMembership,
)
from registry.services.community_status import EvidenceInput, community_verify
from registry.services.leaders import ConsentInput, leader_create
from registry.services.teams import invitation_create
from tests.cockpit.conftest import make_programme
from tests.registry.factories import IGLINO, community, municipality, team_member

T = TypeVar("T")


@dataclass(frozen=True)
class Objects:
    community: Community
    leader: Leader
    fair: Fair
    membership: TeamMembership
    invitation: TeamInvitation
    evidence: Evidence
    settlement: Settlement
    case: Case | None = None
    indicator_value: IndicatorValue | None = None
    error_report: ErrorReport | None = None
    privacy_request: PrivacyRequest | None = None


def _signup_import(fair: Fair) -> SignupImport:
    """An (empty) import of the fair: its annotated sheet is the fair team's alone."""
    return SignupImport.objects.get_or_create(fair=fair, sha256="0" * 64, defaults={"file_name": "a.csv"})[0]


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: Callable[[Objects], dict[str, object]]
    method: str = "GET"


SCOPED = [
    Route("team-community", lambda o: {"pk": o.community.pk}),
    Route("team-community-edit", lambda o: {"pk": o.community.pk}),
    Route("team-community-verify", lambda o: {"pk": o.community.pk}),
    Route("team-community-reject", lambda o: {"pk": o.community.pk}),
    Route("team-community-archive", lambda o: {"pk": o.community.pk}, "POST"),
    Route("team-member-remove", lambda o: {"pk": o.membership.pk}),
    Route("team-invitation-revoke", lambda o: {"pk": o.invitation.pk}, "POST"),
    Route("team-evidence-file", lambda o: {"pk": o.evidence.pk}),
    Route("team-error-report-resolved", lambda o: {"pk": _present(o.error_report).pk}, "POST"),
    Route("team-settlement", lambda o: {"pk": o.settlement.pk}),
    Route("team-leader-create", lambda o: {"community_pk": o.community.pk}),
    Route("team-leader", lambda o: {"pk": o.leader.pk}),
    Route("team-leader-export", lambda o: {"pk": o.leader.pk}),
    Route("team-leader-erase", lambda o: {"pk": o.leader.pk}, "POST"),
    Route("team-leader-letter", lambda o: {"pk": o.leader.pk}),
    Route(
        "privacy-erasure-letter",
        lambda o: {
            "pk": PrivacyEvent.objects.create(action=PrivacyEvent.Action.ERASURE, leader_id=o.leader.pk).pk
        },
    ),
    Route(
        "team-consent-withdraw", lambda o: {"pk": o.leader.pk, "scope": Consent.Scope.STORE_CONTACTS}, "POST"
    ),
    Route("fair-detail", lambda o: {"pk": o.fair.pk}),
    Route("fair-import", lambda o: {"pk": o.fair.pk}),
    Route("fair-held", lambda o: {"pk": o.fair.pk}, "POST"),
    Route("fair-plan", lambda o: {"pk": o.fair.pk}, "POST"),
    Route("fair-review", lambda o: {"pk": o.fair.pk}),
    Route("fair-import-annotated", lambda o: {"pk": o.fair.pk, "import_pk": _signup_import(o.fair).pk}),
    Route("api:fair-detail", lambda o: {"pk": o.fair.pk}),
    Route("api:fair-imports", lambda o: {"pk": o.fair.pk}),
    Route("api:community-verify", lambda o: {"pk": o.community.pk}, "POST"),
    Route("api:community-reject", lambda o: {"pk": o.community.pk}, "POST"),
    Route("api:community-archive", lambda o: {"pk": o.community.pk}, "POST"),
    Route("ogc:item", lambda o: {"collection": "communities", "fid": str(o.community.pk)}),
]


def _present(value: T | None) -> T:
    assert value is not None, "this route needs the cockpit's objects"
    return value


# Parameterised routes of the coordinator's pages: a coordinator's only, whatever the municipality
# (tests/cockpit/ covers what they do; here, that nobody else reaches them).
COORDINATOR_ONLY = [
    Route("cockpit-case-edit", lambda o: {"pk": _present(o.case).pk}),
    Route("cockpit-case-publication", lambda o: {"pk": _present(o.case).pk, "action": "publish"}),
    Route("programme-report-file", lambda o: {"extension": "xlsx"}),
    Route("programme-edit", lambda o: {"pk": Programme.objects.get(is_current=True).pk}),
    Route("programme-indicator-review", lambda o: {"pk": _present(o.indicator_value).pk}, "POST"),
    Route("team-privacy-request-answered", lambda o: {"pk": _present(o.privacy_request).pk}, "POST"),
]
# Parameterised routes that are public by design (published data, the public sign-up of a fair).
PUBLIC = {
    "municipality-detail",
    "community-detail",
    "fair-signup",
    "fair-poster",
    "team-join",  # the one-time token is the secret; tests/registry/views/test_team_members.py
    "password_reset_confirm",  # Django's signed token; tests/registry/views/test_team_members.py
    "api:municipality-detail",
    "municipality-embed",
    "municipality-map-download",
    "municipality-map-print",  # published communities only: tests/cockpit/test_print_map.py
    "community-popup",  # published communities only: tests/maps
    "api:community-detail",  # published, or in the user's scope: tests/api/test_communities.py
    "tile",  # public data only, the same for everyone: tests/api/test_tiles.py
    # layers: published rows, plus the user's own scope: tests/api/test_exports.py, test_ogc.py
    "api:export",
    "ogc:collection",
    "ogc:items",
    "ogc:queryables",  # a layer's fields: tests/api/test_ogc_conformance.py
    "tilejson",  # tile layer metadata, public like the tiles
    "layer-style",  # QGIS/SLD styles of public layers: tests/api/test_styles.py
    "case-photo",  # published cases' photos only: tests/registry/views/test_search_and_photos.py
    "community-error-report",  # a form about a published community: tests/registry/views/test_error_reports.py
    "community-error-report-sent",
    "language-switch",  # sets a cookie, redirects on-site only: tests/test_i18n.py
    "propose-done",  # the signed token is the secret: tests/registry/views/test_propose.py
    "propose-fix",
}


def _named_routes(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_routes(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", str(pattern.pattern)


@pytest.fixture
def owned(iglino_team_member: User) -> Objects:
    iglino = municipality("80628000")
    leader = leader_create(
        user=iglino_team_member,
        municipality=iglino,
        full_name="Гарипова Алсу Ринатовна",
        phone="+79173456789",
        consents=[
            ConsentInput(
                scope=Consent.Scope.STORE_CONTACTS,
                purpose="Связь с командой",
                method=Consent.Method.PAPER_FAIR,
            )
        ],
    )
    membership = TeamMembership.objects.get(user=iglino_team_member, municipality=iglino)
    membership.is_lead = True  # the owner leads the team: the member pages are theirs
    membership.save()
    colleague = team_member("80628000", username="iglino-colleague")
    verified = community(
        name="ТОС «С протоколом»", municipality=iglino, status=Community.Status.PROPOSED, location=IGLINO
    )
    verification = community_verify(
        user=iglino_team_member,
        community=verified,
        evidence=[
            EvidenceInput("documents", "Протокол", file=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"))
        ],
    )
    leader_community = community(
        name="ТОС «Закрытый»",
        municipality=iglino,
        status=Community.Status.PROPOSED,
        location=Point(56.43, 54.83, srid=4326),
    )
    return Objects(
        community=leader_community,
        leader=leader,
        fair=fair_create(user=iglino_team_member, municipality=iglino, date=dt.date(2026, 6, 1)),
        membership=TeamMembership.objects.get(user=colleague),
        invitation=invitation_create(
            user=iglino_team_member, municipality=iglino, team_role=TeamMembership.TeamRole.NGO
        ).invitation,
        evidence=verification.evidence.get(),
        settlement=Settlement.objects.filter(municipality=iglino).order_by("oktmo")[0],
        error_report=ErrorReport.objects.create(community=leader_community, text="Устаревший телефон"),
    )


def _leader_state(owned: Objects) -> list[tuple[object, ...]]:
    return list(Leader.objects.filter(pk=owned.leader.pk).values_list("full_name", "phone", "erased_at"))


def _community_state(owned: Objects) -> list[tuple[object, ...]]:
    return list(Community.objects.filter(pk=owned.community.pk).values_list("name", "status", "updated_at"))


def _team_state(owned: Objects) -> list[object]:
    """Membership, invitation, fair and settlement as they were: a refused request changes none."""
    return [
        TeamMembership.objects.filter(pk=owned.membership.pk).exists(),
        TeamInvitation.objects.get(pk=owned.invitation.pk).revoked_at,
        Fair.objects.filter(pk=owned.fair.pk).values_list("status", "visitor_count", "venue_name").get(),
        Settlement.objects.filter(pk=owned.settlement.pk).values_list("point", "point_set_at").get(),
        ErrorReport.objects.filter(pk=_present(owned.error_report).pk).values_list("resolved_at").get(),
    ]


def test_every_parameterised_route_is_classified() -> None:
    routes = {
        name: route
        for name, route in _named_routes(get_resolver().url_patterns)
        if "<" in route and not name.startswith("admin:")
    }
    classified = {route.name for route in SCOPED + COORDINATOR_ONLY} | PUBLIC

    assert sorted(set(routes) - classified) == [], "classify the new route as SCOPED or PUBLIC"
    assert sorted(classified - set(routes)) == [], "a classified route no longer exists"


@pytest.mark.django_db
@pytest.mark.parametrize("route", SCOPED, ids=lambda route: route.name)
def test_another_municipality_gets_404(
    route: Route, owned: Objects, client: Client, iglino_team_member: User, ufa_team_member: User
) -> None:
    url = reverse(route.name, kwargs=route.kwargs(owned))
    if route.method == "GET":  # the owner reaches it: the arguments are right
        client.force_login(iglino_team_member)
        assert client.get(url).status_code in (200, 302), url
    leader_before = _leader_state(owned)
    community_before = _community_state(owned)
    team_before = _team_state(owned)

    client.force_login(ufa_team_member)
    response = (
        client.get(url)
        if route.method == "GET"
        else client.post(
            url,
            {
                "confirm": "on",
                "reason": "x",
                "participants": "7",
                "date": "2026-06-02",
                "lon": "56.4",
                "lat": "54.8",
            },
        )
    )

    assert response.status_code == 404, url
    assert _leader_state(owned) == leader_before
    assert _community_state(owned) == community_before
    assert _team_state(owned) == team_before


@pytest.mark.django_db
@pytest.mark.parametrize("route", SCOPED, ids=lambda route: route.name)
def test_anonymous_is_sent_to_sign_in_or_refused(route: Route, owned: Objects, client: Client) -> None:
    url = reverse(route.name, kwargs=route.kwargs(owned))

    response = client.get(url) if route.method == "GET" else client.post(url)

    if route.name.startswith("api:"):
        assert response.status_code in (401, 403), url
    elif route.name.startswith("ogc:"):  # published data is public; anything else does not exist
        assert response.status_code == 404, url
    else:
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_an_unpublished_community_page_is_404_for_the_public_and_other_teams(
    owned: Objects, client: Client, iglino_team_member: User, ufa_team_member: User
) -> None:
    url = reverse("community-detail", kwargs={"slug": owned.community.slug})
    assert client.get(url).status_code == 404
    client.force_login(ufa_team_member)
    assert client.get(url).status_code == 404
    client.force_login(iglino_team_member)
    assert client.get(url).status_code == 200


@pytest.fixture
def cockpit_objects(owned: Objects) -> Objects:
    programme: Programme = make_programme()
    indicator = Indicator.objects.create(programme=programme, name="Доля жителей, знающих о сообществах")
    value = IndicatorValue.objects.create(
        indicator=indicator,
        municipality=municipality("80628000"),
        period="before",
        value=1,
        measured_on=dt.date(2026, 2, 1),
        source="опрос",
        method="опрос",
    )
    case = Case.objects.create(
        community=owned.community, title="Кейс", story="<p>История</p>", golden_rules=["Одно"]
    )
    request = PrivacyRequest.objects.create(
        kind=PrivacyRequest.Kind.values[0],
        name="Заявитель",
        contact="person@example.org",
        due_on=dt.date(2026, 12, 20),
    )
    return dataclasses.replace(owned, case=case, indicator_value=value, privacy_request=request)


@pytest.mark.django_db
@pytest.mark.parametrize("route", COORDINATOR_ONLY, ids=lambda route: route.name)
def test_coordinator_pages_are_404_for_team_members_and_ask_the_anonymous_to_sign_in(
    route: Route,
    cockpit_objects: Objects,
    client: Client,
    iglino_team_member: User,
    programme_coordinator: User,
) -> None:
    url = reverse(route.name, kwargs=route.kwargs(cockpit_objects))
    if route.method == "GET":  # a coordinator reaches it: the arguments are right
        client.force_login(programme_coordinator)
        assert client.get(url).status_code == 200, url
        client.logout()
    response = client.get(url) if route.method == "GET" else client.post(url, {"decision": "approve"})
    assert response.status_code in (302, 405), url
    client.force_login(iglino_team_member)  # the team of the very municipality
    response = client.get(url) if route.method == "GET" else client.post(url, {"decision": "approve"})
    assert response.status_code == 404, url
    assert cockpit_objects.indicator_value is not None
    assert IndicatorValue.objects.get(pk=cockpit_objects.indicator_value.pk).status == "submitted"
    assert not Case.objects.get(pk=cockpit_objects.case.pk if cockpit_objects.case else 0).is_published
