"""Error reports sent from a community's public page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from registry.models.communities import Community


class ErrorReport(models.Model):
    """«Сообщить об ошибке» from a community's public page: what is wrong, and (only with the
    sender's consent) where to answer. It waits in the municipality team's queue until handled."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="error_reports", verbose_name=_("сообщество")
    )
    text = models.TextField(_("что не так"), max_length=1000)
    contact = models.CharField(_("куда ответить"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("получено"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("разобрано"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто разобрал"),
    )

    class Meta:
        verbose_name = _("сообщение об ошибке")
        verbose_name_plural = _("сообщения об ошибках")
        ordering = ["resolved_at", "-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.community_id} #{self.pk}"
