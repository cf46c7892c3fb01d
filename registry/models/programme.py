"""The programme: its period and targets, per-municipality targets, indicators and their measured
values (the coordinators' cockpit)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from geo.models import Municipality, Region
from registry.models.text_length import DESCRIPTION_MAX_LENGTH


class Programme(models.Model):
    name = models.CharField(_("название"), max_length=200, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="programmes")
    starts_on = models.DateField(_("начало"))
    ends_on = models.DateField(_("окончание"))
    municipalities = models.ManyToManyField(
        Municipality, related_name="programmes", verbose_name=_("муниципалитеты")
    )
    target_communities = models.PositiveIntegerField(_("цель: сообществ в реестре"), default=100)
    target_leaders_per_municipality = models.PositiveIntegerField(
        _("цель: лидеров на муниципалитет"), default=5
    )
    target_fairs = models.PositiveIntegerField(_("цель: ярмарок"), default=27)
    target_fair_participants = models.PositiveIntegerField(_("цель: участников ярмарок"), default=3000)
    is_current = models.BooleanField(_("текущая"), default=False)

    class Meta:
        verbose_name = _("программа")
        verbose_name_plural = _("программы")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="programme_period_ordered"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="programme_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MunicipalTarget(models.Model):
    """A participating municipality's own targets, set by the coordinator; a blank one falls back to
    the programme's even share (registry.selectors.programme)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="municipal_targets")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    communities = models.PositiveIntegerField(_("цель: сообществ"), null=True, blank=True)
    leaders = models.PositiveIntegerField(_("цель: лидеров"), null=True, blank=True)
    fairs = models.PositiveIntegerField(_("цель: ярмарок"), null=True, blank=True)
    fair_participants = models.PositiveIntegerField(_("цель: участников ярмарок"), null=True, blank=True)

    class Meta:
        verbose_name = _("цели муниципалитета")
        verbose_name_plural = _("цели муниципалитетов")
        constraints = [
            models.UniqueConstraint(fields=["programme", "municipality"], name="municipal_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.programme} — {self.municipality}"


class Indicator(models.Model):
    """A programme indicator measured before and after (e.g. share of residents who know a community).
    `before`/`after` are programme-wide values entered directly; once municipalities have approved
    values (IndicatorValue), the programme-wide value is computed from them by `aggregation`."""

    class Aggregation(models.TextChoices):
        SUM = "sum", _("сумма по муниципалитетам")
        MEAN = "mean", _("среднее по муниципалитетам")
        WEIGHTED = "weighted", _("среднее, взвешенное по числу опрошенных")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("показатель"), max_length=200)
    unit = models.CharField(_("единица"), max_length=30, blank=True)
    aggregation = models.CharField(
        _("как считается по программе"), max_length=10, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    before = models.FloatField(_("до"), null=True, blank=True)
    after = models.FloatField(_("после"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("показатель")
        verbose_name_plural = _("показатели")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="indicator_unique_name")]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """One municipality's measured value of an indicator for a period (before or after), with its
    date, source and method; entered by the municipality's team, counted once a coordinator approves."""

    class Period(models.TextChoices):
        BEFORE = "before", _("до")
        AFTER = "after", _("после")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("ждёт утверждения")
        APPROVED = "approved", _("утверждено")
        RETURNED = "returned", _("возвращено на доработку")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="indicator_values",
        verbose_name=_("муниципалитет"),
    )
    period = models.CharField(_("период"), max_length=10, choices=Period.choices)
    value = models.FloatField(_("значение"))
    weight = models.PositiveIntegerField(_("опрошено (для взвешивания)"), null=True, blank=True)
    measured_on = models.DateField(_("дата измерения"))
    source = models.CharField(_("источник"), max_length=300)
    method = models.TextField(_("метод"), validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)])
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("внёс"),
    )
    entered_at = models.DateTimeField(_("внесено"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("рассмотрено"), null=True, blank=True)
    review_note = models.TextField(_("комментарий координатора"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("значение показателя")
        verbose_name_plural = _("значения показателей")
        ordering = ["indicator", "municipality__name", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "period"], name="indicator_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.municipality} ({self.get_period_display()})"
