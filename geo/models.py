"""Places: regions, municipalities (districts, okrugs and the settlements inside districts), and
populated places. EPSG:4326 everywhere; OKTMO codes are strings (leading digits matter)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LocationPrecision(models.TextChoices):
    """How well a point places something: its own point, its settlement's, or only its municipality's."""

    EXACT = "exact", _("точное место")
    SETTLEMENT = "settlement", _("населённый пункт")
    MUNICIPALITY = "municipality", _("муниципалитет")


# Settlement.source of a point placed by a municipal team (the gazetteer's keep their own names).
POINT_SOURCE_TEAM = "муниципальная команда"


class Region(models.Model):
    """A federal subject (субъект РФ)."""

    name = models.CharField(_("название"), max_length=200)
    iso_code = models.CharField(_("код ISO 3166-2"), max_length=10, unique=True)
    oktmo_prefix = models.CharField(_("префикс ОКТМО"), max_length=2, blank=True)
    area_km2 = models.FloatField(_("площадь, км²"), null=True, blank=True)
    outline = models.MultiPolygonField(_("контур"), srid=4326)

    class Meta:
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipal unit (муниципальное образование), identified by OKTMO where known."""

    class Kind(models.TextChoices):
        MUNICIPAL_DISTRICT = "municipal_district", _("муниципальный район")
        URBAN_OKRUG = "urban_okrug", _("городской округ")
        MUNICIPAL_OKRUG = "municipal_okrug", _("муниципальный округ")
        URBAN_SETTLEMENT = "urban_settlement", _("городское поселение")
        RURAL_SETTLEMENT = "rural_settlement", _("сельское поселение (сельсовет)")

    class Level(models.IntegerChoices):
        TOP = 1, _("район или округ")
        SETTLEMENT = 2, _("поселение в составе района")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Stable upsert key: the OKTMO code, or "<ISO>/<name>" where a neighbour has no code.
    source_key = models.CharField(_("ключ источника"), max_length=200, unique=True)
    oktmo = models.CharField(_("ОКТМО"), max_length=8, unique=True, null=True, blank=True)
    name = models.CharField(_("название"), max_length=200)
    official_name = models.CharField(_("официальное название"), max_length=300, blank=True)
    kind = models.CharField(_("вид"), max_length=32, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("уровень"), choices=Level.choices)
    admin_center = models.CharField(_("административный центр"), max_length=200, blank=True)
    area_km2 = models.FloatField(_("площадь, км²"), null=True, blank=True)
    boundary = models.MultiPolygonField(_("граница"), srid=4326, null=True, blank=True)
    boundary_simplified = models.MultiPolygonField(_("упрощённая граница"), srid=4326, null=True, blank=True)
    # Where a place inside it that is known no better is shown: the admin centre's point, else a
    # point on the boundary's surface (geo.points.municipality_centers_update keeps it).
    center = models.PointField(_("центр"), srid=4326, null=True, blank=True, spatial_index=False)
    slug = models.SlugField(_("адрес страницы"), max_length=200, unique=True)
    source = models.CharField(_("источник"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("муниципальное образование")
        verbose_name_plural = _("муниципальные образования")
        ordering = ["region__name", "level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True) | models.Q(level=2, parent__isnull=False),
                name="municipality_level_matches_parent",
            ),
            models.CheckConstraint(
                condition=models.Q(oktmo__isnull=True) | models.Q(oktmo__regex=r"^[0-9]{8}$"),
                name="municipality_oktmo_8_digits",
            ),
        ]
        indexes = [models.Index(fields=["level", "region"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("municipality-detail", kwargs={"slug": self.slug})


# Settlement type abbreviations written without a full stop (рабочий посёлок is «рп» in OKTMO and in use).
UNDOTTED_TYPES = frozenset({"рп"})


class Settlement(models.Model):
    """A populated place (населённый пункт) from OKTMO section 2."""

    oktmo = models.CharField(_("ОКТМО"), max_length=11, unique=True)
    type = models.CharField(_("тип"), max_length=10, blank=True)
    type_full = models.CharField(_("тип полностью"), max_length=50, blank=True)
    name = models.CharField(_("название"), max_length=200)
    # Lower case, ё→е, hyphens and punctuation as single spaces: what place_locate compares.
    name_normalized = models.CharField(max_length=200, db_index=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="settlements", verbose_name=_("район или округ")
    )
    rural_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlements_inside",
        verbose_name=_("поселение (сельсовет)"),
    )
    point = models.PointField(_("точка"), srid=4326, null=True, blank=True)
    population = models.PositiveIntegerField(_("население"), null=True, blank=True)
    # Where the point came from: a gazetteer (HFLabs, GeoNames, OKTMO) or POINT_SOURCE_TEAM.
    source = models.CharField(_("источник"), max_length=200, blank=True)
    # A point placed by a municipal team: who and when. load_geodata keeps such points.
    # No database constraint: a TRUNCATE of the users (a test flush) would cascade into the gazetteer.
    point_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("точку поставил"),
    )
    point_set_at = models.DateTimeField(_("точка поставлена"), null=True, blank=True)

    class Meta:
        verbose_name = _("населённый пункт")
        verbose_name_plural = _("населённые пункты")
        ordering = ["name", "oktmo"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(oktmo__regex=r"^[0-9]{11}$"), name="settlement_oktmo_11_digits"
            )
        ]
        indexes = [
            GinIndex(fields=["name_normalized"], name="settlement_name_trgm", opclasses=["gin_trgm_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.type_abbreviation} {self.name}".strip()

    @property
    def type_abbreviation(self) -> str:
        """OKTMO's type as written in Russian text: «д. Мокроусово», «п. ст. Уршак»; «рп» stays."""
        return " ".join(word if word in UNDOTTED_TYPES else f"{word}." for word in self.type.split())


class GeodataLoad(models.Model):
    """Which version of fixtures/geo/ is in the database: lets a repeated load skip unchanged files."""

    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("загрузка геоданных")
        verbose_name_plural = _("загрузки геоданных")
        get_latest_by = "loaded_at"

    def __str__(self) -> str:
        return f"{self.sha256[:12]} {self.loaded_at:%Y-%m-%d %H:%M}"
