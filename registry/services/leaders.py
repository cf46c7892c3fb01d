"""Registry writes about people (152-FZ): leaders, their consents, their roles in communities, and
the purge that erasure calls. Contacts are stored only with a consent to store them, recorded in
the same transaction; withdrawing it removes them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality
from geo.text import fold
from registry.models import Community, Consent, Leader, Leadership
from registry.selectors.teams import AnyUser, team_has_member
from registry.signals import RegistryChanges, public_pages_changed
from registry.validators import email_clean, phone_clean

ERASED_NAME = "Лидер (данные удалены)"
SHREDDED = "shredded"


@dataclass(frozen=True)
class ConsentInput:
    scope: str
    purpose: str
    method: str
    collected_at: datetime | None = None
    source: str = ""


def _require_team(*, user: AnyUser, municipality: Municipality) -> None:
    if not team_has_member(municipality=municipality, user=user):
        raise PermissionDenied


def _active_scopes(leader: Leader) -> set[str]:
    return set(leader.consents.filter(withdrawn_at__isnull=True).values_list("scope", flat=True))


def _consent_create(
    *, leader: Leader, consent: ConsentInput, collected_by: AnyUser, changes: RegistryChanges | None = None
) -> Consent:
    errors = []
    if consent.scope not in Consent.Scope.values:
        errors.append(
            ErrorItem(
                "consents.scope",
                _("Неизвестный вид согласия «{}»").format(consent.scope),
                "consent_scope_invalid",
            )
        )
    if consent.method not in Consent.Method.values:
        errors.append(
            ErrorItem(
                "consents.method",
                _("Неизвестный способ получения согласия «{}»").format(consent.method),
                "consent_method_invalid",
            )
        )
    if not consent.purpose.strip():
        errors.append(ErrorItem("consents.purpose", _("Укажите цель, для которой дано согласие"), "required"))
    if errors:
        raise DomainError(*errors)
    record = Consent(
        leader=leader,
        scope=consent.scope,
        purpose=consent.purpose.strip(),
        method=consent.method,
        collected_by=collected_by if collected_by.is_authenticated else None,
        collected_at=consent.collected_at or timezone.now(),
        source=consent.source[:200],
    )
    if changes is not None:
        changes.watch(record)
    record.save(force_insert=True)
    return record


@transaction.atomic
def leader_create(
    *,
    user: AnyUser,
    municipality: Municipality,
    full_name: str,
    consents: Iterable[ConsentInput] = (),
    display_name: str = "",
    bio: str = "",
    roles: Iterable[str] = (),
    phone: str = "",
    email: str = "",
    is_demo: bool = False,
    check_team: bool = True,
    changes: RegistryChanges | None = None,
) -> Leader:
    """changes: a job's batch (a fair import), told of the write instead of the pages at once."""
    if check_team:
        _require_team(user=user, municipality=municipality)
    consents = list(consents)
    errors: list[ErrorItem] = []
    name = " ".join(full_name.split())
    if not name:
        errors.append(ErrorItem("full_name", _("Укажите ФИО"), "required"))
    cleaned_phone = cleaned_email = ""
    for field, cleaner, raw in (("phone", phone_clean, phone), ("email", email_clean, email)):
        try:
            value = cleaner(raw)
        except DomainError as error:
            errors.extend(error.items)
            continue
        if field == "phone":
            cleaned_phone = value
        else:
            cleaned_email = value
    unknown_roles = [role for role in roles if role not in Leader.CitizenRole.values]
    if unknown_roles:
        errors.append(
            ErrorItem("roles", _("Неизвестные роли: {}").format(", ".join(unknown_roles)), "role_invalid")
        )
    if (cleaned_phone or cleaned_email) and Consent.Scope.STORE_CONTACTS not in {
        consent.scope for consent in consents
    }:
        errors.append(
            ErrorItem(
                "consents",
                _("Контакты можно сохранить только с согласием на хранение контактов"),
                "consent_required",
            )
        )
    if errors:
        raise DomainError(*errors)
    leader = Leader(
        municipality=municipality,
        full_name=name,
        name_normalized=fold(name),
        display_name=" ".join(display_name.split()),
        bio=bio.strip(),
        roles=sorted(set(roles)),
        phone=cleaned_phone,
        email=cleaned_email,
        created_by=user if user.is_authenticated else None,
        is_demo=is_demo,
    )
    leader.full_clean()
    if changes is not None:
        changes.watch(leader)
    leader.save()
    for consent in consents:
        _consent_create(leader=leader, consent=consent, collected_by=user, changes=changes)
    return leader


LEADER_EDITABLE_FIELDS = frozenset({"full_name", "display_name", "bio", "roles", "phone", "email"})


@transaction.atomic
def leader_update(*, user: AnyUser, leader: Leader, **fields: object) -> Leader:
    """Edit a leader; new contacts need an active consent to store them."""
    _require_team(user=user, municipality=leader.municipality)
    changes = {key: value for key, value in fields.items() if key in LEADER_EDITABLE_FIELDS}
    errors: list[ErrorItem] = []
    for field, cleaner in (("phone", phone_clean), ("email", email_clean)):
        if field in changes:
            try:
                changes[field] = cleaner(str(changes[field] or ""))
            except DomainError as error:
                errors.extend(error.items)
    if "full_name" in changes:
        changes["full_name"] = " ".join(str(changes["full_name"]).split())
        if not changes["full_name"]:
            errors.append(ErrorItem("full_name", _("Укажите ФИО"), "required"))
    if "roles" in changes:
        roles = list(changes["roles"])  # type: ignore[call-overload]
        if any(role not in Leader.CitizenRole.values for role in roles):
            errors.append(ErrorItem("roles", _("Неизвестная роль"), "role_invalid"))
        changes["roles"] = sorted(set(roles))
    adds_contact = any(
        changes.get(field) and changes[field] != getattr(leader, field) for field in ("phone", "email")
    )
    if adds_contact and Consent.Scope.STORE_CONTACTS not in _active_scopes(leader):
        errors.append(
            ErrorItem(
                "consents",
                _("Контакты можно сохранить только с согласием на хранение контактов"),
                "consent_required",
            )
        )
    if errors:
        raise DomainError(*errors)
    for field, value in changes.items():
        setattr(leader, field, value)
    leader.name_normalized = fold(leader.full_name)
    leader.full_clean()
    leader.save()
    return leader


@transaction.atomic
def consent_record(*, user: AnyUser, leader: Leader, consent: ConsentInput) -> Consent:
    _require_team(user=user, municipality=leader.municipality)
    return _consent_create(leader=leader, consent=consent, collected_by=user)


@transaction.atomic
def consent_withdraw(*, user: AnyUser | None, leader: Leader, scope: str) -> int:
    """Withdraw at once, everywhere: the public selectors read only active consents. Withdrawing
    the consent to store contacts also deletes the contacts, from the history too."""
    if user is not None:
        _require_team(user=user, municipality=leader.municipality)
    withdrawn = leader.consents.filter(scope=scope, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    public_pages_changed()  # a raw update sends no post_save: the pages that named the person are stale
    if scope == Consent.Scope.STORE_CONTACTS and (leader.phone or leader.email):
        leader.phone = ""
        leader.email = ""
        leader.save(update_fields=["phone", "email"])
        leader.history.update(phone="", email="")
    return withdrawn


@transaction.atomic
def leadership_add(
    *,
    user: AnyUser,
    leader: Leader,
    community: Community,
    role: str = Leadership.Role.COORDINATOR,
    since: date | None = None,
) -> Leadership:
    _require_team(user=user, municipality=community.municipality)
    if role not in Leadership.Role.values:
        raise DomainError(ErrorItem("role", _("Неизвестная роль «{}»").format(role), "role_invalid"))
    leadership, _created = Leadership.objects.update_or_create(
        leader=leader, community=community, defaults={"role": role, "since": since}
    )
    return leadership


@transaction.atomic
def leader_purge(*, leader: Leader) -> Leader:
    """Remove a person's data from the registry, its change history included, keeping an anonymous
    placeholder so that counts stay right. Called by fairs.services.erasure.leader_erase."""
    leader.full_name = ERASED_NAME
    leader.name_normalized = ""
    leader.display_name = ""
    leader.bio = ""
    leader.phone = ""
    leader.email = ""
    leader.erased_at = timezone.now()
    leader.save()
    # History keeps the events (who changed what, when) but not the values: shredded.
    leader.history.update(
        full_name=ERASED_NAME, display_name="", bio="", phone="", email="", history_change_reason=SHREDDED
    )
    # The admin's change log names objects by str(): the leader and the roles that show the name.
    leader_type = ContentType.objects.get_for_model(Leader)
    leadership_type = ContentType.objects.get_for_model(Leadership)
    leadership_ids = [str(pk) for pk in leader.leaderships.values_list("pk", flat=True)]
    LogEntry.objects.filter(
        Q(content_type=leader_type, object_id=str(leader.pk))
        | Q(content_type=leadership_type, object_id__in=leadership_ids)
    ).update(object_repr=ERASED_NAME, change_message="")
    leader.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=leader.erased_at)
    leader.consents.update(source="")
    Consent.history.filter(leader_id=leader.pk).update(source="", history_change_reason=SHREDDED)
    return leader


@transaction.atomic
def leader_contacts_fill(
    *,
    user: AnyUser,
    leader: Leader,
    phone: str,
    email: str,
    consents: list[ConsentInput],
    check_team: bool = True,
    changes: RegistryChanges | None = None,
) -> list[str]:
    """Add a phone and an e-mail to a known leader, with the consent they came with (recorded unless
    one of its scope is active). A contact the leader has no value for is written; a different one
    already there is kept, never overwritten: the fields that differ are returned for a person."""
    if check_team:
        _require_team(user=user, municipality=leader.municipality)
    if not (phone or email) or leader.erased_at is not None:
        return []
    active = _active_scopes(leader)
    for consent in consents:
        if consent.scope not in active:
            _consent_create(leader=leader, consent=consent, collected_by=user, changes=changes)
    changed, differing = [], []
    for field, value in (("phone", phone), ("email", email)):
        current = getattr(leader, field)
        if value and not current:
            setattr(leader, field, value)
            changed.append(field)
        elif value and current != value:
            differing.append(field)
    if changed:
        leader.full_clean()
        if changes is not None:
            changes.watch(leader)
        leader.save(update_fields=changed)
    return differing
