"""Personal data (152-FZ): the audit trail and the data subjects' requests."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyEvent(models.Model):
    """One line of the personal-data audit trail (152-FZ): a subject access export, a consent log
    export, an erasure, a purge of raw sign-up rows. Ids and counts only, never a name or a contact,
    so an erasure leaves its own record in place."""

    class Action(models.TextChoices):
        SUBJECT_ACCESS = "subject_access", _("выгрузка данных о человеке")
        CONSENT_LOG = "consent_log", _("выгрузка журнала согласий")
        ERASURE = "erasure", _("удаление персональных данных")
        SIGNUP_PURGE = "signup_purge", _("очистка исходных строк заявок")
        SUBJECT_REQUEST = "subject_request", _("обращение субъекта персональных данных")
        SUBJECT_ANSWERED = "subject_answered", _("ответ на обращение субъекта")
        SIGNUP_SHEET = "signup_sheet", _("выгрузка размеченного листа заявок")

    action = models.CharField(_("действие"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)
    leader_id = models.PositiveBigIntegerField(_("лидер (id)"), null=True, blank=True, db_index=True)
    details = models.JSONField(_("подробности"), default=dict, blank=True)

    class Meta:
        verbose_name = _("событие с персональными данными")
        verbose_name_plural = _("журнал действий с персональными данными")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class PrivacyRequest(models.Model):
    """A person's request under 152-FZ art. 14 (what do you hold about me, correct it, delete it,
    withdraw my consent), sent from the privacy notice page; it waits in the coordinators' queue
    until answered, with the legal deadline. The text is personal data: it stays out of the logs
    and of the audit trail (which records the request's id only)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("сообщить, какие данные обо мне обрабатываются")
        RECTIFY = "rectify", _("исправить мои данные")
        ERASE = "erase", _("удалить мои данные")
        WITHDRAW = "withdraw", _("отозвать согласие на обработку")
        OTHER = "other", _("другое")

    kind = models.CharField(_("что нужно"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("как к вам обращаться"), max_length=200)
    contact = models.CharField(_("куда ответить"), max_length=200)
    text = models.TextField(_("подробности"), max_length=2000, blank=True)
    received_at = models.DateTimeField(_("получено"), auto_now_add=True, db_index=True)
    due_on = models.DateField(_("ответить до"))
    answered_at = models.DateTimeField(_("отвечено"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто ответил"),
    )

    class Meta:
        verbose_name = _("обращение о персональных данных")
        verbose_name_plural = _("обращения о персональных данных")
        ordering = ["answered_at", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
