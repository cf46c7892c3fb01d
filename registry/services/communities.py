"""Registry writes: communities, their lifecycle and verification.

proposed → verified → archived → verified (re-verification), or proposed → rejected. Every other
transition is refused with a clear error; status, municipality, creator and source are never read
from input: the municipality comes from the point, the rest from the action.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import MultiPolygon, Point
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from slugify import slugify

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality, Settlement
from geo.selectors import PointLookups, municipality_locate
from geo.validation import geometry_check_in_programme_area
from registry.matching import name_core
from registry.models import DESCRIPTION_MAX_LENGTH, Community, Evidence, Sphere, Verification
from registry.selectors.teams import AnyUser, team_has_member
from registry.services.bulk import ids_reserve, rows_copy
from registry.services.proposals import proposal_outcome_notify
from registry.signals import RegistryChanges, communities_changed
from registry.validators import (
    email_clean,
    evidence_file_clean,
    inn_clean,
    links_clean,
    name_clean,
    ogrn_clean,
    year_clean,
)

# What a team member may edit; everything else is set by the lifecycle services.
EDITABLE_FIELDS = frozenset(
    {
        "name", "description", "sphere", "form", "inn", "ogrn", "location", "area", "location_precision",
        "hide_exact_location", "settlement", "address", "members_count", "founded_year", "activities",
        "links", "contact", "is_contact_public", "internal_notes",
    }
)  # fmt: skip
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Community.Status.PROPOSED: frozenset({Community.Status.VERIFIED, Community.Status.REJECTED}),
    Community.Status.VERIFIED: frozenset({Community.Status.VERIFIED, Community.Status.ARCHIVED}),
    Community.Status.ARCHIVED: frozenset({Community.Status.VERIFIED}),
    Community.Status.REJECTED: frozenset(),
}


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    text: str
    link: str = ""
    file: UploadedFile | None = None
    # A file already stored for another community's evidence (one sheet for a whole fair's batch).
    stored_file: str = ""


def _transition(community: Community, to: str) -> None:
    if to not in ALLOWED_TRANSITIONS[community.status]:
        raise DomainError(
            ErrorItem(
                "status",
                _("Нельзя перевести сообщество из статуса «{}» в «{}»").format(
                    community.get_status_display(), Community.Status(to).label
                ),
                "transition_forbidden",
            )
        )
    community.status = to


def _require_team(*, user: AnyUser, municipality: Municipality) -> None:
    if not team_has_member(municipality=municipality, user=user):
        raise PermissionDenied


def _locate(location: Point, *, field: str = "location", lookups: PointLookups | None = None) -> Municipality:
    geometry_check_in_programme_area(location, field=field, lookups=lookups)
    municipality = municipality_locate(point=location, lookups=lookups)
    if municipality is None:
        raise DomainError(
            ErrorItem(
                field, _("Точка не попадает ни в один муниципалитет"), "location_outside_municipalities"
            )
        )
    return municipality


def _unique_slug(name: str, municipality: Municipality, *, exclude_pk: int | None = None) -> str:
    base = _slug_base(name)
    others = Community.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return _slug_pick(base, municipality, set(others.values_list("slug", flat=True)))


def _slug_base(name: str) -> str:
    # text-unidecode named: "auto" looks for Unidecode first, a failed import per call (a tenth of a
    # large import's time went on looking for a package that is not installed)
    return slugify(name, max_length=150, word_boundary=True, backend="text-unidecode") or "soobshchestvo"


def _slug_pick(base: str, municipality: Municipality, taken: set[str]) -> str:
    for candidate in [base, f"{base}-{municipality.slug}"[:200]]:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# The slugs starting with each base, in one query: slugs are ASCII [a-z0-9-], so those starting with
# a base sort (bytewise, as the slug's pattern index does) from the base up to the base + "~".
SLUGS_TAKEN_SQL = """
SELECT c.slug FROM unnest(%s::text[]) AS b(base)
JOIN LATERAL (
    SELECT slug FROM registry_community WHERE slug ~>=~ b.base AND slug ~<~ (b.base || '~')
) AS c ON true
"""


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Field-by-field checks with messages that name the field; all errors reported at once."""
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": name_clean,
        "inn": inn_clean,
        "ogrn": ogrn_clean,
        "links": lambda value: links_clean(list(value)),
        "founded_year": year_clean,
    }
    errors: list[ErrorItem] = []
    cleaned = dict(values)
    for field, cleaner in cleaners.items():
        if field in values:
            try:
                cleaned[field] = cleaner(values[field])
            except DomainError as error:
                errors.extend(error.items)
    for field in ("description", "activities", "internal_notes"):
        if len(values.get(field) or "") > DESCRIPTION_MAX_LENGTH:
            errors.append(
                ErrorItem(field, _("Не длиннее {} символов").format(DESCRIPTION_MAX_LENGTH), "max_length")
            )
    members = values.get("members_count")
    if members is not None and (not isinstance(members, int) or members < 0):
        errors.append(
            ErrorItem(
                "members_count",
                _("Число участников: ожидается целое число не меньше 0, получено {}").format(members),
                "members_invalid",
            )
        )
    if values.get("form") == Community.Form.INFORMAL and (values.get("inn") or values.get("ogrn")):
        errors.append(
            ErrorItem(
                "form", _("ИНН и ОГРН указываются только для зарегистрированной организации"), "form_mismatch"
            )
        )
    area = values.get("area")
    if area is not None and not isinstance(area, MultiPolygon):
        errors.append(ErrorItem("area", _("Территория: ожидается (мульти)полигон"), "geometry_wrong_type"))
    if errors:
        raise DomainError(*errors)
    return cleaned


# Foreign keys the services set are model instances already loaded (and the database enforces them):
# full_clean would fetch each again, five queries a community, a sixth of an import's time per new row.
RELATED = ("sphere", "municipality", "settlement", "created_by", "source_type")


def _save(community: Community) -> Community:
    _validate(community)
    community.save()
    return community


def _validate(community: Community, *, unique: bool = True) -> None:
    """The model's field checks before a write; unique=False leaves the id and slug to the caller."""
    community.name_normalized = name_core(community.name)
    loaded = [name for name in RELATED if getattr(community, f"{name}_id") is not None]
    # The model's check constraints (founded from 1800, a rejection has its reason) are checked by
    # _clean and the lifecycle services with messages that name the field, and enforced by the
    # database; validating them again here compiled and ran a query each, 7 ms a new community.
    community.full_clean(
        exclude=[*loaded, *(["slug"] if community.slug or not unique else [])],
        validate_unique=unique,
        validate_constraints=False,
    )


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
    community.slug = _unique_slug(community.name, community.municipality)
    return _save(community)


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
    values = _clean({"name": name, "form": Community.Form.INFORMAL, **fields})
    municipality = _locate(location, lookups=lookups)
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
        _validate(community, unique=False)
        self._pending.append(community)
        if len(self._pending) >= self.size:
            self.flush()
        return community

    def flush(self) -> None:
        if not self._pending:
            return
        bases = [_slug_base(community.name) for community in self._pending]
        with connection.cursor() as cursor:
            cursor.execute(SLUGS_TAKEN_SQL, [sorted(set(bases))])
            taken = {row[0] for row in cursor.fetchall()}
        for community, base in zip(self._pending, bases, strict=True):
            community.slug = _slug_pick(base, community.municipality, taken)
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


@transaction.atomic
def community_update(*, user: AnyUser, community: Community, **fields: Any) -> Community:
    """Edit the editable fields; a moved point moves the community to the municipality that contains it."""
    _require_team(user=user, municipality=community.municipality)
    ignored = set(fields) - EDITABLE_FIELDS  # status, municipality, created_by, source: never from input
    changes = {key: value for key, value in fields.items() if key not in ignored}
    values = _clean({"form": community.form, "inn": community.inn, "ogrn": community.ogrn, **changes})
    if "location" in values and values["location"] != community.location:
        municipality = _locate(values["location"])
        if not team_has_member(municipality=municipality, user=user):
            raise DomainError(
                ErrorItem("location", _("Точка вне вашего муниципалитета"), "location_outside_team")
            )
        community.municipality = municipality
    for field, value in values.items():
        setattr(community, field, value)
    if "name" in values:
        community.slug = _unique_slug(community.name, community.municipality, exclude_pk=community.pk)
    return _save(community)


@transaction.atomic
def community_verify(
    *,
    user: User,
    community: Community,
    evidence: Sequence[EvidenceInput],
    comment: str = "",
    valid_days: int | None = None,
    sphere: Sphere | None = None,
) -> Verification:
    """Publish (or re-confirm) a community on evidence; records who confirmed it and when.

    A community proposed without a sphere (a sheet's unknown word) gets one here: none is published
    without it."""
    _require_team(user=user, municipality=community.municipality)
    if sphere is not None:
        community.sphere = sphere
    if community.sphere is None:
        raise DomainError(
            ErrorItem(
                "sphere", _("Выберите сферу сообщества: без неё его нельзя опубликовать"), "sphere_required"
            )
        )
    items = [item for item in evidence if item.text.strip()]
    if not items:
        raise DomainError(
            ErrorItem(
                "evidence",
                _("Нужно хотя бы одно свидетельство: встречи, участники, результаты или документы"),
                "evidence_required",
            )
        )
    errors = [
        ErrorItem(
            f"evidence[{index}].kind",
            _("Неизвестный вид свидетельства «{}»").format(item.kind),
            "evidence_kind_invalid",
        )
        for index, item in enumerate(items)
        if item.kind not in Evidence.Kind.values
    ]
    for index, item in enumerate(items):
        if item.file is not None:
            try:
                evidence_file_clean(item.file, field=f"evidence[{index}].file")
            except DomainError as error:
                errors.extend(error.items)
        if item.link:
            try:
                links_clean([item.link], field=f"evidence[{index}].link")
            except DomainError as error:
                errors.extend(error.items)
    if errors:
        raise DomainError(*errors)
    was_proposed = community.status == Community.Status.PROPOSED
    _transition(community, Community.Status.VERIFIED)
    now = timezone.now()
    days = valid_days or settings.REGISTRY_VERIFICATION_VALID_DAYS
    verification = Verification.objects.create(
        community=community,
        verified_by=user,
        verified_at=now,
        valid_until=timezone.localdate(now) + timedelta(days=days),
        comment=comment.strip(),
    )
    for item in items:
        Evidence.objects.create(
            verification=verification,
            kind=item.kind,
            text=item.text.strip(),
            link=item.link.strip(),
            file=item.file or item.stored_file or "",
        )
    community.verified_until = verification.valid_until
    community.rejection_reason = ""
    community.archive_reason = ""
    _save(community)
    proposal_outcome_notify(community=community, was_proposed=was_proposed)
    return verification


@transaction.atomic
def community_reject(*, user: AnyUser, community: Community, reason: str) -> Community:
    _require_team(user=user, municipality=community.municipality)
    if not reason.strip():
        raise DomainError(ErrorItem("reason", _("Укажите причину отклонения"), "required"))
    was_proposed = community.status == Community.Status.PROPOSED
    _transition(community, Community.Status.REJECTED)
    community.rejection_reason = reason.strip()[:DESCRIPTION_MAX_LENGTH]
    community._change_reason = community.rejection_reason[:100]  # type: ignore[attr-defined] # simple-history
    _save(community)
    proposal_outcome_notify(community=community, was_proposed=was_proposed)
    return community


@transaction.atomic
def community_archive(*, user: AnyUser, community: Community, reason: str) -> Community:
    """Take a community off the map (it stopped acting), saying why; a new verification brings it back."""
    _require_team(user=user, municipality=community.municipality)
    if not reason.strip():
        raise DomainError(ErrorItem("reason", _("Укажите причину переноса в архив"), "required"))
    _transition(community, Community.Status.ARCHIVED)
    community.archive_reason = reason.strip()[:DESCRIPTION_MAX_LENGTH]
    # "verified until" describes a published community; an archived one has no running verification
    community.verified_until = None
    community._change_reason = community.archive_reason[:100]  # type: ignore[attr-defined] # simple-history
    return _save(community)


@transaction.atomic
def community_proposal_relocate(
    *, community: Community, location: Point, settlement: Settlement | None, location_precision: str
) -> Community:
    """The proposer moves their own proposal's point (from a signed link) while it is unreviewed;
    the municipality follows the point, as for every other placement."""
    if community.status != Community.Status.PROPOSED or community.source != Community.Source.PUBLIC_PROPOSAL:
        raise DomainError(
            ErrorItem(
                None,
                _("Предложение уже рассмотрено: место исправит муниципальная команда"),
                "proposal_reviewed",
            )
        )
    community.municipality = _locate(location)
    community.location = location
    community.settlement = settlement
    community.location_precision = location_precision
    community.full_clean()
    community.save()
    return community
