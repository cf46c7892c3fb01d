"""Municipal teams: who is on which team, and the invitations to join."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from geo.models import Municipality


class TeamMembership(models.Model):
    """A user on a municipality's team (кураторская команда), with their team role."""

    class TeamRole(models.TextChoices):
        NGO = "ngo", _("НКО")
        ADMINISTRATION = "administration", _("администрация (ОМСУ)")
        MUNICIPAL_ORGANISATION = "municipal_organisation", _("муниципальная организация")
        OPINION_LEADER = "opinion_leader", _("лидер мнений")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("пользователь"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("муниципалитет"),
    )
    team_role = models.CharField(_("роль в команде"), max_length=30, choices=TeamRole.choices)
    # The team lead invites and removes members of this municipality's team (registry/roles.py).
    is_lead = models.BooleanField(_("руководитель команды"), default=False)
    joined_at = models.DateTimeField(_("в команде с"), auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("член команды")
        verbose_name_plural = _("муниципальные команды")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="team_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.municipality} ({self.get_team_role_display()})"


class TeamInvitation(models.Model):
    """An invitation to a team (or to the coordinators): sent by e-mail or handed over as a link.
    Only a hash of the one-time token is stored; the person sets their own password on accepting."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("член муниципальной команды")
        COORDINATOR = "coordinator", _("координатор программы")

    kind = models.CharField(_("кого приглашаем"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    email = models.EmailField(_("эл. почта"), blank=True)  # empty: a sign-up link handed over in person
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("муниципалитет"),
    )
    team_role = models.CharField(
        _("роль в команде"), max_length=30, choices=TeamMembership.TeamRole.choices, blank=True
    )
    is_lead = models.BooleanField(_("руководитель команды"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("пригласил"),
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    expires_at = models.DateTimeField(_("действует до"))
    accepted_at = models.DateTimeField(_("принято"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кем принято"),
    )
    revoked_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("приглашение в команду")
        verbose_name_plural = _("приглашения в команды")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="coordinator")
                | (models.Q(municipality__isnull=False) & ~models.Q(team_role="")),
                name="team_invitation_member_has_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.email or '—'}"
