"""Creating communities: one service whatever the path. community_create writes one; CommunityBatch
writes many (a fair import) with the same checks and the same history; community_propose is a
resident's proposal. A new community is always proposed; status, municipality, creator and source
are never read from input: the municipality comes from the point, the rest from the action."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Settlement
from geo.point_lookups import PointLookups
from registry.models import Community, Sphere
from registry.selectors.teams import AnyUser, team_has_member
from registry.services.bulk import ids_reserve, rows_copy
from registry.services.community_checks import (
    EDITABLE_FIELDS,
    community_save,
    community_validate,
    community_values_clean,
    location_municipality,
)
from registry.services.community_slugs import SLUGS_TAKEN_SQL, community_slug_unique, slug_base, slug_pick
from registry.signals import RegistryChanges, communities_changed
from registry.validators import email_clean


@transaction.atomic
def community_create(
    *,
    user: AnyUser,
    name: str,
    sphere: Sphere,
    location: Point,
    source: str = Community.Source.TEAM,
    source_object: models.Model | None = None,
    is_demo: bool = False,
    **fields: Any,
) -> Community:
    """A new community, always proposed: publication needs a verification with evidence."""
    community = _build(
        user=user,
        name=name,
        sphere=sphere,
        location=location,
        source=source,
        source_object=source_object,
        is_demo=is_demo,
        fields=fields,
    )
    community.slug = community_slug_unique(community.name, community.municipality)
    return community_save(community)


def _build(
    *,
    user: AnyUser,
    name: str,
    sphere: Sphere | None,
    location: Point,
    source: str,
    source_object: models.Model | None,
    is_demo: bool,
    fields: dict[str, Any],
    lookups: PointLookups | None = None,
) -> Community:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    values = community_values_clean({"name": name, "form": Community.Form.INFORMAL, **fields})
    municipality = location_municipality(location, lookups=lookups)
    if source == Community.Source.TEAM and not team_has_member(municipality=municipality, user=user):
        raise DomainError(
            ErrorItem("location", _("Точка вне вашего муниципалитета"), "location_outside_team")
        )
    community = Community(
        sphere=sphere,
        location=location,
        municipality=municipality,
        status=Community.Status.PROPOSED,
        source=source,
        created_by=user if user.is_authenticated else None,
        is_demo=is_demo,
        **values,
    )
    if source_object is not None:
        community.source_type = ContentType.objects.get_for_model(source_object)
        community.source_id = source_object.pk
    # The creation's history names its actor whatever the path: a batch writes it from created_by,
    # a save from this (django-simple-history reads it before the request's user, which a command
    # or a background job has not).
    community._history_user = community.created_by  # type: ignore[attr-defined]
    return community


def _history_created(ids: list[int], *, user: AnyUser) -> None:
    """The "created" history records of communities just inserted, copied from their rows in one
    statement (what django-simple-history's post_save writes a row at a time; building them as
    Python objects took a quarter of a large import)."""
    history = Community.history.model
    quote = connection.ops.quote_name
    tracked = ", ".join(
        quote(field.column)
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, history_change_reason,"  # noqa: S608 -- names from the model
            f" history_type, history_user_id) SELECT {tracked}, %s, NULL, '+', %s"
            f" FROM {quote(Community._meta.db_table)} WHERE id = ANY(%s) ORDER BY id",
            [timezone.now(), user.pk if user.is_authenticated else None, ids],
        )


class CommunityBatch:
    """Proposed communities created in bulk (a fair import creates thousands): each is checked and
    located like community_create's and gets its id and page address at once, so that the caller can
    link to it; page addresses are given and the rows and their history written by flush(), a few
    statements a batch instead of four a community. Use it inside one transaction and flush before it ends.

    lookups: the job's point answers (its communities share a few village points); changes: the job's
    map invalidations, published by the job when it ends (without one, each flush invalidates)."""

    def __init__(
        self,
        *,
        user: AnyUser,
        source: str,
        size: int = 500,
        lookups: PointLookups | None = None,
        changes: RegistryChanges | None = None,
    ) -> None:
        self.user = user
        self.source = source
        self.size = size
        self.lookups = lookups if lookups is not None else PointLookups()
        self.changes = changes
        self._pending: list[Community] = []
        self._ids: list[int] = []
        self._taken = 0  # ids taken from the sequence so far

    def create(
        self,
        *,
        name: str,
        sphere: Sphere | None,
        location: Point,
        source_object: models.Model | None = None,
        **fields: Any,
    ) -> Community:
        community = _build(
            user=self.user,
            name=name,
            sphere=sphere,
            location=location,
            source=self.source,
            source_object=source_object,
            is_demo=False,
            fields=fields,
            lookups=self.lookups,
        )
        if not self._ids:
            # one id for the first community, then twice as many each time up to a batch: a single
            # sign-up leaves no gap in the numbering, a sheet asks the sequence a few times
            count = min(self.size, max(1, self._taken))
            self._ids = ids_reserve(Community, count)[::-1]
            self._taken += count
        community.pk = self._ids.pop()
        # the id is new and the slug, given at flush, unique by construction; the database enforces both
        community_validate(community, unique=False)
        self._pending.append(community)
        if len(self._pending) >= self.size:
            self.flush()
        return community

    def flush(self) -> None:
        if not self._pending:
            return
        bases = [slug_base(community.name) for community in self._pending]
        with connection.cursor() as cursor:
            cursor.execute(SLUGS_TAKEN_SQL, [sorted(set(bases))])
            taken = {row[0] for row in cursor.fetchall()}
        for community, base in zip(self._pending, bases, strict=True):
            community.slug = slug_pick(base, community.municipality, taken)
            taken.add(community.slug)
        rows_copy(Community, self._pending)
        _history_created([community.pk for community in self._pending], user=self.user)
        communities_changed((community.municipality_id for community in self._pending), changes=self.changes)
        self._pending.clear()


@transaction.atomic
def community_propose(
    *,
    name: str,
    sphere: Sphere,
    location: Point,
    settlement: Settlement | None = None,
    proposer_email: str = "",
    **fields: Any,
) -> Community:
    """A resident's proposal: goes to the municipality's team for verification, never public before.

    proposer_email: given only with the proposer's consent; the team's decision is sent there. It is
    no editable field (the team cannot retarget the letter) and stays out of the change history."""
    allowed = {
        "description",
        "address",
        "members_count",
        "founded_year",
        "activities",
        "links",
        "contact",
        "location_precision",
        "internal_notes",  # the proposer's consent note: the team's, never public
    }
    email = email_clean(proposer_email, field="contact") if proposer_email.strip() else ""
    community = community_create(
        user=AnonymousUser(),
        name=name,
        sphere=sphere,
        location=location,
        settlement=settlement,
        source=Community.Source.PUBLIC_PROPOSAL,
        **{key: value for key, value in fields.items() if key in allowed},
    )
    if email:
        Community.objects.filter(pk=community.pk).update(proposer_email=email)
        community.proposer_email = email
    return community
