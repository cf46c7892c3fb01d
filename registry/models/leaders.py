"""Leaders (people, 152-FZ), their roles in communities and their consents."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from geo.models import Municipality
from registry.models.communities import Community
from registry.models.text_length import DESCRIPTION_MAX_LENGTH


class Leader(models.Model):
    """A person (152-FZ): nothing about them is public without a consent to publish."""

    class CitizenRole(models.TextChoices):
        STAKEHOLDER = "stakeholder", _("стейкхолдер")
        ADVOCATE = "advocate", _("выразитель групповых интересов")
        DIALOGUE_INITIATOR = "dialogue_initiator", _("инициатор диалога")
        EVALUATOR = "evaluator", _("оценщик")
        PARTNER = "partner", _("партнёр")

    full_name = models.CharField(_("ФИО"), max_length=200)
    name_normalized = models.CharField(max_length=200, db_index=True, editable=False)
    display_name = models.CharField(_("публичное имя"), max_length=200, blank=True)
    bio = models.TextField(_("о себе"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)])
    roles = ArrayField(
        models.CharField(max_length=30, choices=CitizenRole.choices),
        default=list,
        blank=True,
        verbose_name=_("роли"),
    )
    phone = models.CharField(_("телефон"), max_length=20, blank=True, db_index=True)  # E.164
    email = models.EmailField(_("эл. почта"), blank=True, db_index=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="leaders", verbose_name=_("муниципалитет")
    )
    communities: models.ManyToManyField[Community, Leadership] = models.ManyToManyField(
        Community, through="Leadership", related_name="leaders"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(_("данные удалены"), null=True, blank=True)
    is_demo = models.BooleanField(_("демо"), default=False, db_index=True)
    history = HistoricalRecords(excluded_fields=["name_normalized"])

    class Meta:
        verbose_name = _("лидер")
        verbose_name_plural = _("лидеры")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.display_name or self.full_name


class Leadership(models.Model):
    class Role(models.TextChoices):
        FOUNDER = "founder", _("основатель")
        COORDINATOR = "coordinator", _("координатор")
        MEMBER = "member", _("участник")

    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, related_name="leaderships")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="leaderships")
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices, default=Role.COORDINATOR)
    since = models.DateField(_("с"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("роль в сообществе")
        verbose_name_plural = _("роли в сообществах")
        constraints = [models.UniqueConstraint(fields=["leader", "community"], name="leadership_unique")]

    def __str__(self) -> str:
        return f"{self.leader} — {self.community}"


class Consent(models.Model):
    """A leader's consent (152-FZ): what for, what it covers, how and by whom it was collected."""

    class Scope(models.TextChoices):
        STORE_CONTACTS = "store_contacts", _("хранить контакты")
        PUBLISH_NAME = "publish_name", _("публиковать имя")
        PUBLISH_CONTACTS = "publish_contacts", _("публиковать контакты")

    class Method(models.TextChoices):
        PAPER_FAIR = "paper_fair", _("бумажная анкета на ярмарке")
        ONLINE_FORM = "online_form", _("онлайн-форма")
        TEAM_MEMBER = "team_member", _("записано членом команды")

    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("на что"), max_length=20, choices=Scope.choices)
    purpose = models.TextField(_("цель"))
    method = models.CharField(_("как получено"), max_length=20, choices=Method.choices)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кем получено"),
    )
    collected_at = models.DateTimeField(_("когда получено"))
    source = models.CharField(_("источник"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")
        ordering = ["-collected_at", "-id"]
        indexes = [models.Index(fields=["leader", "scope", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.collected_at:%Y-%m-%d})"
