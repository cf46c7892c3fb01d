"""A community's verification and the evidence behind it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models.communities import Community
from registry.models.text_length import DESCRIPTION_MAX_LENGTH


class Verification(models.Model):
    """A confirmation, with evidence, that a community really exists and acts."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="verifications")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("подтвердил")
    )
    verified_at = models.DateTimeField(_("подтверждено"))
    valid_until = models.DateField(_("действует до"))
    comment = models.TextField(
        _("комментарий"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("подтверждение")
        verbose_name_plural = _("подтверждения")
        ordering = ["-verified_at", "-id"]

    def __str__(self) -> str:
        return f"{self.community} — {self.verified_at:%Y-%m-%d}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        MEETINGS = "meetings", _("проводятся встречи")
        MEMBERS = "members", _("участники подтверждены")
        RESULTS = "results", _("есть результаты или проекты")
        DOCUMENTS = "documents", _("документы")

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("описание"), validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)])
    link = models.URLField(_("ссылка"), max_length=500, blank=True)
    file = models.FileField(_("файл"), upload_to="evidence/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("свидетельство")
        verbose_name_plural = _("свидетельства")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def file_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
