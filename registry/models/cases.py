"""Success stories (кейсы) of communities."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models.communities import Community


class Case(models.Model):
    """A successful community's story with its golden rules."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("заголовок"), max_length=200)
    story = models.TextField(_("история"), validators=[MaxLengthValidator(50_000)])  # sanitised HTML
    golden_rules = ArrayField(
        models.CharField(max_length=500), default=list, verbose_name=_("золотые правила")
    )
    photo = models.FileField(_("фото"), upload_to="cases/%Y/", blank=True)
    photo_alt = models.CharField(
        _("описание фото"),
        max_length=300,
        blank=True,
        help_text=_("Что на фото, для тех, кто его не видит; без него подписью станет заголовок кейса."),
    )
    is_published = models.BooleanField(_("опубликован"), default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("демо"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("кейс")
        verbose_name_plural = _("кейсы")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def photo_description(self) -> str:
        """The photo's alt text: its own description, else the case's title."""
        return self.photo_alt or self.title
