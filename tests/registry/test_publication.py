"""registry.publication: the publication rule written once (ORM, raw SQL and the counting index
agree) and the public place kept by the database on every write path, with a recompute that finds
nothing to do after any of them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection
from django.utils import timezone

from fairs.models import Fair
from fairs.publication import PUBLIC_PLACE_SQL as FAIR_PUBLIC_PLACE_SQL
from fairs.services.public_places import fair_public_places_refresh
from geo.errors import DomainError
from geo.models import Municipality, Settlement
from registry.maps.cache import _version
from registry.models import Community
from registry.publication import (
    PUBLIC_PLACE_SQL,
    PUBLISHED_STATUS_Q,
    public_cutoff,
    public_q,
    public_sql,
)
from registry.services.bulk import rows_copy
from registry.services.public_places import (
    communities_rehome,
    community_public_places_refresh,
    public_places_refresh,
)
from registry.services.settlements import settlement_place
from tests.registry.factories import (
    IGLINO,
    UFA_CENTRE,
    community,
    community_unsaved_copy,
    municipality,
    settlement_without_point,
    sphere,
    team_member,
)

pytestmark = pytest.mark.django_db
FAR_IN_IGLINO = Point(56.80, 54.70, srid=4326)


def _settlement(name: str) -> Settlement:
    return Settlement.objects.get(municipality__oktmo="80628000", name=name)


def _hidden(**fields: object) -> Community:
    values: dict[str, object] = {
        "municipality": municipality("80628000"),
        "location": FAR_IN_IGLINO,
        "hide_exact_location": True,
    }
    values.update(fields)
    return community(**values)


def _same(first: Point | None, second: Point | None) -> bool:
    return first is not None and second is not None and first.equals(second)


def _nothing_stale() -> None:
    assert community_public_places_refresh() == 0
    assert fair_public_places_refresh() == 0


# --- the publication rule ----------------------------------------------------------------------


@pytest.mark.parametrize("today", [None, date(2027, 3, 1)])
def test_the_compiled_rule_selects_what_the_orm_rule_selects(today: date | None) -> None:
    day = today or timezone.localdate()
    grace = (day - public_cutoff(day)).days
    for status in Community.Status.values:
        for verified_until in (None, day, day - timedelta(days=grace), day - timedelta(days=grace + 1)):
            community(status=status, verified_until=verified_until, rejection_reason="x")
    where, params = public_sql(alias="c", today=today)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.id FROM registry_community c WHERE {where}", params)  # noqa: S608
        raw = {row[0] for row in cursor.fetchall()}

    orm = set(Community.objects.filter(public_q(today=today)).values_list("id", flat=True))
    assert raw == orm
    assert len(orm) == 3  # verified: no date, today, last day of the grace


def test_the_counting_index_is_declared_on_the_rules_status_part() -> None:
    [index] = [index for index in Community._meta.indexes if index.name == "community_public_count"]
    assert index.condition == PUBLISHED_STATUS_Q
    assert all(part in public_q().children for part in PUBLISHED_STATUS_Q.children)  # Q flattens an AND
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'community_public_count'")
        [(definition,)] = cursor.fetchall()
    [(_field, status)] = PUBLISHED_STATUS_Q.children  # type: ignore[misc]
    assert re.search(rf"WHERE \(\(status\)::text = '{status}'::text\)", definition), definition


def _bodies(sql: str) -> dict[str, str]:
    functions = re.findall(r"CREATE OR REPLACE FUNCTION (\w+)\(.*?\$body\$(.*?)\$body\$", sql, re.DOTALL)
    return {name: " ".join(body.split()) for name, body in functions}


def _installed(names: list[str]) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname, prosrc FROM pg_proc WHERE proname = ANY(%s)", [names])
        return {name: " ".join(source.split()) for name, source in cursor.fetchall()}


def test_migrate_installs_the_modules_text_over_whatever_the_database_had() -> None:
    """The module is the one place the rule lives: migrate replaces an edited or older function."""
    from django.core.management import call_command

    expected = _bodies(PUBLIC_PLACE_SQL) | _bodies(FAIR_PUBLIC_PLACE_SQL)
    assert len(expected) == 6
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION registry_settlement_point_follow() RETURNS trigger"
            " LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"
        )
    assert _installed(list(expected)) != expected

    call_command("migrate", verbosity=0)

    assert _installed(list(expected)) == expected


# --- the public place on every write path ---------------------------------------------------


def test_a_shown_place_is_its_own_point_with_its_precision() -> None:
    shown = community(location=UFA_CENTRE, location_precision="settlement")
    assert _same(shown.public_point, UFA_CENTRE)
    assert shown.public_precision == "settlement"


def test_a_hidden_place_is_the_settlements_point_else_the_districts_centre() -> None:
    with_point = _hidden(settlement=_settlement("Урман"))
    without_point = _hidden(settlement=settlement_without_point("80628000"))
    no_settlement = _hidden()

    assert _same(with_point.public_point, _settlement("Урман").point)
    assert with_point.public_precision == "settlement"
    center = municipality("80628000").center
    assert _same(without_point.public_point, center)
    assert _same(no_settlement.public_point, center)
    assert {without_point.public_precision, no_settlement.public_precision} == {"municipality"}
    _nothing_stale()


def test_hiding_and_showing_again_moves_the_public_place_and_marks_the_row_changed() -> None:
    item = community(location=FAR_IN_IGLINO, municipality=municipality("80628000"))
    before = item.updated_at
    Community.objects.filter(pk=item.pk).update(hide_exact_location=True)  # as a bulk or admin write
    item.refresh_from_db()
    assert _same(item.public_point, municipality("80628000").center)
    assert item.updated_at > before

    item.hide_exact_location = False
    item.save()
    assert _same(item.public_point, FAR_IN_IGLINO)
    _nothing_stale()


def test_a_copied_row_gets_its_public_place() -> None:
    """The import writes communities with COPY: the database fills the place there too."""
    template = _hidden(settlement=_settlement("Урман"))
    copy = community_unsaved_copy(template, pk=template.pk + 1000, slug=template.slug + "-copy")
    rows_copy(Community, [copy])

    stored = Community.objects.get(pk=copy.pk)
    assert _same(stored.public_point, _settlement("Урман").point)
    assert stored.public_precision == "settlement"
    _nothing_stale()


def test_a_settlement_placed_by_a_team_moves_the_communities_hiding_there() -> None:
    village = settlement_without_point("80628000")
    hidden = _hidden(settlement=village)
    shown = community(location=FAR_IN_IGLINO, municipality=municipality("80628000"), settlement=village)
    version = _version(hidden.municipality_id)
    spot = Point(56.62, 54.93, srid=4326)  # inside Иглинский район

    settlement_place(user=team_member("80628000"), settlement=village, point=spot)

    hidden.refresh_from_db()
    shown.refresh_from_db()
    assert _same(hidden.public_point, spot)
    assert hidden.public_precision == "settlement"
    assert _same(shown.public_point, FAR_IN_IGLINO)  # it shows its own place
    assert _version(hidden.municipality_id) > version  # its municipality's map is drawn again
    _nothing_stale()


def test_a_settlement_point_outside_its_district_is_refused_and_nothing_moves() -> None:
    village = settlement_without_point("80628000")
    hidden = _hidden(settlement=village)

    with pytest.raises(DomainError, match="point_outside_municipality") as error:
        settlement_place(user=team_member("80628000"), settlement=village, point=UFA_CENTRE)

    assert "Иглинский" in error.value.items[0].message
    village.refresh_from_db()
    hidden.refresh_from_db()
    assert village.point is None
    assert _same(hidden.public_point, municipality("80628000").center)


def test_a_moved_municipality_centre_moves_its_hidden_communities_and_fairs() -> None:
    iglino = municipality("80628000")
    hidden = _hidden()
    fair = Fair.objects.create(municipality=iglino, title="Ярмарка", date=date(2027, 6, 15))
    placed = Fair.objects.create(
        municipality=iglino, title="Ярмарка 2", date=date(2027, 6, 16), venue_point=IGLINO
    )
    assert _same(fair.public_point, iglino.center)
    assert fair.public_precision == "municipality"
    assert _same(placed.public_point, IGLINO)
    assert placed.public_precision == "exact"
    moved = Point(56.62, 54.93, srid=4326)

    Municipality.objects.filter(pk=iglino.pk).update(center=moved)  # as a boundary reload does

    hidden.refresh_from_db()
    fair.refresh_from_db()
    placed.refresh_from_db()
    assert _same(hidden.public_point, moved)
    assert _same(fair.public_point, moved)
    assert _same(placed.public_point, IGLINO)
    _nothing_stale()


def test_the_recompute_reports_and_repairs_what_a_write_without_triggers_left() -> None:
    hidden = _hidden()
    with connection.cursor() as cursor:  # a restore or a hand edit with triggers off
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE registry_community DISABLE TRIGGER registry_community_public_place")
        cursor.execute(
            "UPDATE registry_community SET public_point = location, public_precision = 'exact' WHERE id = %s",
            [hidden.pk],
        )
        cursor.execute("ALTER TABLE registry_community ENABLE TRIGGER registry_community_public_place")

    report = public_places_refresh()

    assert report.communities_changed == 1
    hidden.refresh_from_db()
    assert _same(hidden.public_point, municipality("80628000").center)
    assert public_places_refresh().communities_changed == 0


def test_a_community_left_outside_its_municipality_by_a_boundary_reload_is_moved_and_reported() -> None:
    iglino = municipality("80628000")
    stranded = community(location=UFA_CENTRE, municipality=iglino, hide_exact_location=True)
    stays = community(location=FAR_IN_IGLINO, municipality=iglino)

    moved = communities_rehome()

    assert [(move.community_id, move.municipality_from, move.municipality_to) for move in moved] == [
        (stranded.pk, iglino.name, municipality("80701000").name)
    ]
    stranded.refresh_from_db()
    stays.refresh_from_db()
    assert stranded.municipality == municipality("80701000")
    assert _same(stranded.public_point, municipality("80701000").center)
    assert stays.municipality == iglino
    assert stranded.history.latest().history_change_reason == "boundary reload"
    _nothing_stale()


def test_a_boundary_reload_that_moves_the_line_rehomes_through_the_command(capsys: object) -> None:
    from io import StringIO

    from django.core.management import call_command

    iglino = municipality("80628000")
    item = community(location=FAR_IN_IGLINO, municipality=iglino)
    # the district loses its south-east corner: the community's point is now in no district of the
    # shipped data but Iglino's old one, so it stays; cut a hole instead around it and give the hole
    # to Уфа — as a reload of edited boundaries would
    hole = Polygon.from_bbox((56.79, 54.69, 56.81, 54.71))
    hole.srid = 4326
    ufa = municipality("80701000")
    assert iglino.boundary is not None
    assert ufa.boundary is not None
    Municipality.objects.filter(pk=iglino.pk).update(boundary=MultiPolygon(iglino.boundary.difference(hole)))
    Municipality.objects.filter(pk=ufa.pk).update(boundary=MultiPolygon(*ufa.boundary, hole))
    out = StringIO()

    call_command("refresh_public_places", stdout=out)

    item.refresh_from_db()
    assert item.municipality == ufa
    assert f"community {item.pk}" in out.getvalue()
    assert "communities moved: 1" in out.getvalue()


def test_a_failing_refresh_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    iglino = municipality("80628000")
    stranded = community(location=UFA_CENTRE, municipality=iglino)
    Municipality.objects.filter(pk=iglino.pk).update(center=None)

    def fail() -> int:
        raise RuntimeError("recompute failed")

    monkeypatch.setattr("registry.services.public_places.community_public_places_refresh", fail)
    with pytest.raises(RuntimeError):
        public_places_refresh()

    stranded.refresh_from_db()
    assert stranded.municipality == iglino  # the rehoming before the failure was rolled back
    assert Municipality.objects.get(pk=iglino.pk).center is None  # and the centres too


def test_only_published_communities_reach_anonymous_readers_whatever_their_place() -> None:
    from registry.selectors.communities import community_list

    _hidden(status=Community.Status.PROPOSED)
    published = _hidden()
    assert list(community_list(user=AnonymousUser())) == [published]
    assert published.sphere == sphere()
