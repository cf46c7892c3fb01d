"""Team writes: invitations (by e-mail or a one-time sign-up link), joining, removing a member.

Who may invite is decided by registry/roles.py: a coordinator anywhere, a team lead in the team's
municipality. A token is shown or sent once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality
from registry.models import TeamInvitation, TeamMembership
from registry.roles import Right, team_manageable_municipalities, user_has_right
from registry.selectors.teams import COORDINATOR_GROUP, AnyUser


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: TeamInvitation
    token: str  # shown once (a link) or sent once (an e-mail); never stored


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_manager(*, user: AnyUser, kind: str, municipality: Municipality | None) -> None:
    if kind == TeamInvitation.Kind.COORDINATOR:
        if not user_has_right(user=user, right=Right.INVITE_COORDINATORS):
            raise PermissionDenied
    elif (
        municipality is None
        or not team_manageable_municipalities(user=user).filter(pk=municipality.pk).exists()
    ):
        raise PermissionDenied


@transaction.atomic
def invitation_create(
    *,
    user: AnyUser,
    kind: str = TeamInvitation.Kind.MEMBER,
    municipality: Municipality | None = None,
    team_role: str = "",
    is_lead: bool = False,
    email: str = "",
    join_url: str = "",
) -> IssuedInvitation:
    """A new invitation; with an e-mail the link is sent there (join_url: the absolute link with
    "{token}" to fill in), without one the caller shows the link to hand over."""
    _require_manager(user=user, kind=kind, municipality=municipality)
    errors: list[ErrorItem] = []
    if kind == TeamInvitation.Kind.MEMBER:
        if team_role not in TeamMembership.TeamRole.values:
            errors.append(ErrorItem("team_role", _("Выберите роль в команде"), "required"))
        if is_lead and not user_has_right(user=user, right=Right.INVITE_COORDINATORS):
            errors.append(
                ErrorItem("is_lead", _("Руководителя команды назначает координатор"), "lead_by_coordinator")
            )
    else:
        municipality, team_role, is_lead = None, "", False
    if errors:
        raise DomainError(*errors)
    token = secrets.token_urlsafe(32)
    invitation = TeamInvitation(
        kind=kind,
        email=email.strip().lower(),
        municipality=municipality,
        team_role=team_role,
        is_lead=is_lead,
        token_hash=_hash(token),
        created_by=user if user.is_authenticated else None,
        expires_at=timezone.now() + timedelta(days=settings.TEAM_INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    if invitation.email:
        context = {"invitation": invitation, "link": join_url.format(token=token), "inviter": user}
        send_mail(
            subject=_("Приглашение в «Карту сообществ»"),
            message=render_to_string("registry/team/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    return IssuedInvitation(invitation=invitation, token=token)


def invitation_get(*, token: str) -> TeamInvitation | None:
    """The open invitation with this token: not accepted, not revoked, not expired."""
    return (
        TeamInvitation.objects.select_related("municipality", "municipality__region")
        .filter(
            token_hash=_hash(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def _join(invitation: TeamInvitation, user: User) -> None:
    if invitation.kind == TeamInvitation.Kind.COORDINATOR:
        user.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    else:
        TeamMembership.objects.update_or_create(
            user=user,
            municipality=invitation.municipality,
            defaults={"team_role": invitation.team_role, "is_lead": invitation.is_lead},
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


@transaction.atomic
def invitation_accept(*, invitation: TeamInvitation, email: str, full_name: str, password: str) -> User:
    """A new account from an invitation: the person's own e-mail (their sign-in name) and password."""
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= timezone.now():
        raise DomainError(
            ErrorItem(None, _("Приглашение уже использовано или устарело"), "invitation_closed")
        )
    email = (invitation.email or email).strip().lower()
    errors: list[ErrorItem] = []
    if not email:
        errors.append(ErrorItem("email", _("Укажите адрес эл. почты"), "required"))
    elif (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        errors.append(
            ErrorItem(
                "email",
                _("Этот адрес уже зарегистрирован: войдите и откройте ссылку приглашения снова"),
                "email_taken",
            )
        )
    first_name, _space, last_name = " ".join(full_name.split()).partition(" ")
    user = User(username=email, email=email, first_name=first_name[:150], last_name=last_name[:150])
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        errors.extend(ErrorItem("password", message, "password_weak") for message in error.messages)
    if errors:
        raise DomainError(*errors)
    user.set_password(password)
    user.full_clean()
    user.save()
    _join(invitation, user)
    return user


@transaction.atomic
def invitation_accept_signed_in(*, invitation: TeamInvitation, user: User) -> None:
    """A person who already has an account joins one more team with it."""
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= timezone.now():
        raise DomainError(
            ErrorItem(None, _("Приглашение уже использовано или устарело"), "invitation_closed")
        )
    _join(invitation, user)


@transaction.atomic
def invitation_revoke(*, user: AnyUser, invitation: TeamInvitation) -> None:
    _require_manager(user=user, kind=invitation.kind, municipality=invitation.municipality)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def membership_remove(*, user: AnyUser, membership: TeamMembership) -> None:
    """Take a person off a municipality's team; their account and past records stay."""
    _require_manager(user=user, kind=TeamInvitation.Kind.MEMBER, municipality=membership.municipality)
    membership.delete()
