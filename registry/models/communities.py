"""Communities and the spheres they act in, and the pairs a person has said are not
duplicates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from geo.models import LocationPrecision, Municipality, Settlement
from registry.models.text_length import DESCRIPTION_MAX_LENGTH
from registry.publication import PUBLISHED_STATUS_Q, public_place_caption


class Sphere(models.Model):
    """A managed sphere of activity (сфера): the one list every form, import and map reads."""

    code = models.SlugField(_("код"), max_length=50, unique=True)
    name = models.CharField(_("название"), max_length=100, unique=True)
    name_en = models.CharField(_("название (англ.)"), max_length=100, blank=True)
    # Free-text spellings from fair sheets that mean this sphere: «благоустр.», «тос», «этнокультура».
    synonyms = ArrayField(
        models.CharField(max_length=100), default=list, blank=True, verbose_name=_("синонимы")
    )
    color = models.CharField(_("цвет на карте"), max_length=7, default="#0b5cad")
    icon = models.CharField(_("значок"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("используется"), default=True)

    class Meta:
        verbose_name = _("сфера")
        verbose_name_plural = _("сферы")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("на проверке")
        VERIFIED = "verified", _("подтверждено")
        ARCHIVED = "archived", _("в архиве")
        REJECTED = "rejected", _("отклонено")

    class Form(models.TextChoices):
        REGISTERED = "registered", _("зарегистрированная организация")
        INFORMAL = "informal", _("неформальная группа")

    class Source(models.TextChoices):
        TEAM = "team", _("муниципальная команда")
        FAIR_SIGNUP = "fair_signup", _("заявка на ярмарке")
        PUBLIC_PROPOSAL = "public_proposal", _("предложение жителя")
        IMPORT = "import", _("импорт")

    name = models.CharField(_("название"), max_length=200)
    name_normalized = models.CharField(max_length=200, db_index=True, editable=False)
    slug = models.SlugField(_("адрес страницы"), max_length=220, unique=True)
    description = models.TextField(
        _("описание"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    # Empty only while proposed: a sheet's unknown sphere is chosen by the person who verifies it.
    sphere = models.ForeignKey(
        Sphere,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communities",
        verbose_name=_("сфера"),
    )
    form = models.CharField(_("форма"), max_length=20, choices=Form.choices, default=Form.INFORMAL)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)
    ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True)
    location = models.PointField(_("место"), srid=4326)
    area = models.MultiPolygonField(_("территория"), srid=4326, null=True, blank=True)
    location_precision = models.CharField(
        _("точность места"), max_length=20, choices=LocationPrecision.choices, default=LocationPrecision.EXACT
    )
    # Publish at the settlement's point rather than the exact one (a private home, for instance).
    hide_exact_location = models.BooleanField(_("не показывать точное место"), default=False)
    # Where the public sees it and how precisely: kept by the database (registry.publication),
    # whatever writes the row; never set from Python.
    public_point = models.PointField(_("место на публичной карте"), srid=4326, null=True, editable=False)
    public_precision = models.CharField(
        _("точность публичного места"),
        max_length=20,
        choices=LocationPrecision.choices,
        default="",
        editable=False,
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="communities", verbose_name=_("муниципалитет")
    )
    settlement = models.ForeignKey(
        Settlement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communities",
        verbose_name=_("населённый пункт"),
    )
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    members_count = models.PositiveIntegerField(_("участников"), null=True, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("год создания"), null=True, blank=True, validators=[MinValueValidator(1800)]
    )
    activities = models.TextField(
        _("чем занимается"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    links = ArrayField(models.URLField(max_length=500), default=list, blank=True, verbose_name=_("ссылки"))
    contact = models.CharField(_("контакт сообщества"), max_length=200, blank=True)
    is_contact_public = models.BooleanField(_("контакт можно публиковать"), default=False)
    # Set only by the public proposal form when the proposer gave an e-mail and consented to be
    # contacted about this proposal: the team's decision is sent there (registry.services.proposals).
    proposer_email = models.EmailField(_("эл. почта предложившего"), blank=True, default="", db_default="")
    internal_notes = models.TextField(
        _("заметки команды"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )

    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    rejection_reason = models.TextField(_("причина отклонения"), blank=True)
    # a database default too: the benchmark and other raw writers insert rows without it
    archive_reason = models.TextField(_("причина переноса в архив"), blank=True, default="", db_default="")
    verified_until = models.DateField(_("подтверждено до"), null=True, blank=True)

    source = models.CharField(_("источник"), max_length=20, choices=Source.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("создал"),
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True, db_index=True)
    is_demo = models.BooleanField(_("демо"), default=False, db_index=True)

    history = HistoricalRecords(
        excluded_fields=["name_normalized", "updated_at", "public_point", "public_precision"]
    )

    class Meta:
        verbose_name = _("сообщество")
        verbose_name_plural = _("сообщества")
        ordering = ["name", "id"]
        indexes = [
            GinIndex(fields=["name_normalized"], name="community_name_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["municipality", "status"]),
            # Published communities counted per municipality (the region map, programme progress):
            # an index-only scan of the verified ones instead of reading every row (1,000,000: a
            # parallel scan of 0.23 s, 0.57 s on one core; 0.17 s on one core with it).
            models.Index(
                fields=["municipality", "verified_until"],
                include=["id"],
                condition=PUBLISHED_STATUS_Q,
                name="community_public_count",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="community_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(founded_year__isnull=True) | models.Q(founded_year__gte=1800),
                name="community_founded_after_1800",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community-detail", kwargs={"slug": self.slug})

    @property
    def public_place_caption(self) -> str:
        """«место скрыто: показан населённый пункт» and the like; "" for an exact place."""
        return public_place_caption(precision=self.public_precision, is_hidden=self.hide_exact_location)

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        # the database worked out the public place (registry.publication): read what it stored
        self.refresh_from_db(fields=["public_point", "public_precision", "updated_at"])


class CommunityFeature(models.Model):
    """The GeoJSON Feature text of a community as everyone outside its team sees it: what the public
    list, its download and the OGC items send. Written by PostgreSQL on every write of the community
    or of what its text names (registry.public_feature), never from Python; kept in a table of its
    own so that the ORM's and the tiles' reads of communities do not carry it."""

    community = models.OneToOneField(
        Community,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the database cascades (migration 0019)
        db_constraint=False,
        related_name="+",
    )
    feature = models.TextField()

    def __str__(self) -> str:
        return str(self.community_id)


class DuplicateDismissal(models.Model):
    """ "These two are not the same community": remembered so nobody is asked again."""

    first = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_dismissal_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="duplicate_dismissal_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
