"""Community fairs and what they collect: sign-ups typed from paper sheets or sent on site, each a raw
row kept with what the import read from it and how it was resolved into the registry."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from geo.models import LocationPrecision, Municipality, Settlement
from registry.models import Community, Leader, Programme, Sphere


class Fair(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("запланирована")
        HELD = "held", _("проведена")

    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="fairs"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="fairs", verbose_name=_("муниципалитет")
    )
    title = models.CharField(_("название"), max_length=200)
    date = models.DateField(_("дата"))
    venue_name = models.CharField(_("место проведения"), max_length=200, blank=True)
    venue_point = models.PointField(_("точка места проведения"), srid=4326, null=True, blank=True)
    # Where the public sees the fair: its venue, else its municipality's centre; kept by the
    # database (fairs.publication), never set from Python.
    public_point = models.PointField(_("место на публичной карте"), srid=4326, null=True, editable=False)
    public_precision = models.CharField(
        _("точность публичного места"),
        max_length=20,
        choices=LocationPrecision.choices,
        default="",
        editable=False,
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_fairs", verbose_name=_("организаторы")
    )
    expected_participants = models.PositiveIntegerField(_("ожидается участников"), null=True, blank=True)
    # Set when the fair is marked held: the people who came, which may differ from the sign-ups.
    visitor_count = models.PositiveIntegerField(_("посетителей"), null=True, blank=True)
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    presented_communities = models.ManyToManyField(
        Community, blank=True, related_name="fairs", verbose_name=_("представленные сообщества")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("демо"), default=False, db_index=True)

    class Meta:
        verbose_name = _("ярмарка сообществ")
        verbose_name_plural = _("ярмарки сообществ")
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        self.refresh_from_db(fields=["public_point", "public_precision"])  # worked out by the database


class SignupImport(models.Model):
    """One uploaded sheet. Its SHA-256 makes a repeated upload of the same file a no-op."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("файл"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(_("отчёт"), default=dict)

    class Meta:
        verbose_name = _("импорт заявок")
        verbose_name_plural = _("импорты заявок")
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["fair", "sha256"], name="signup_import_unique_file")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class Signup(models.Model):
    """A sign-up row as typed (raw) and as read (normalised, located, matched)."""

    class Status(models.TextChoices):
        NEW = "new", _("новое сообщество")
        MATCHED = "matched", _("совпало с реестром")
        DUPLICATE_IN_FILE = "duplicate_in_file", _("повтор в файле")
        NEEDS_REVIEW = "needs_review", _("нужна проверка")
        INVALID = "invalid", _("ошибка в строке")
        REJECTED = "rejected", _("отклонено")

    # Indexed by Meta.indexes' (fair, row_hash), whose first column serves lookups by fair: a sheet's
    # sign-ups are written in bulk, and each index costs every row written.
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="signups", db_index=False)
    source_import = models.ForeignKey(
        SignupImport, on_delete=models.CASCADE, null=True, blank=True, related_name="signups"
    )
    row_number = models.PositiveIntegerField(
        _("строка"), null=True, blank=True
    )  # as a person sees it: header = 1
    # Same content → same hash: a changed file re-imports only its new or edited rows.
    row_hash = models.CharField(max_length=64)
    raw = models.JSONField(_("исходная строка"), default=dict)  # personal data: purged after resolution

    name = models.CharField(_("название"), max_length=300, blank=True)
    name_core = models.CharField(max_length=300, blank=True)  # compared in memory, never looked up
    sphere = models.ForeignKey(Sphere, on_delete=models.SET_NULL, null=True, blank=True)
    sphere_text = models.CharField(_("сфера как написано"), max_length=200, blank=True)
    place_text = models.CharField(_("место как написано"), max_length=500, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    settlement = models.ForeignKey(
        Settlement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    location = models.PointField(srid=4326, null=True, blank=True)
    location_precision = models.CharField(max_length=20, choices=LocationPrecision.choices, blank=True)
    leader_name = models.CharField(_("лидер"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=20, blank=True)
    email = models.EmailField(_("эл. почта"), blank=True)
    members_count = models.PositiveIntegerField(null=True, blank=True)
    founded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    has_contact_consent = models.BooleanField(_("согласие на хранение контактов"), default=False)
    has_publish_consent = models.BooleanField(_("согласие на публикацию имени"), default=False)

    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, db_index=True)
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    candidates = models.JSONField(default=list)  # [{"community": id, "score": 0.82}], best first
    community = models.ForeignKey(
        Community, on_delete=models.SET_NULL, null=True, blank=True, related_name="signups"
    )
    leader = models.ForeignKey(
        Leader, on_delete=models.SET_NULL, null=True, blank=True, related_name="signups"
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("заявка")
        verbose_name_plural = _("заявки")
        ordering = ["fair", "source_import", "row_number", "id"]
        indexes = [models.Index(fields=["fair", "row_hash"])]

    def __str__(self) -> str:
        return f"{self.name or '—'} ({self.get_status_display()})"


class SignupDismissal(models.Model):
    """«This sign-up name in this settlement is not that community»: a re-import does not ask again."""

    name_core = models.CharField(max_length=300)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["name_core", "municipality", "settlement", "community"],
                name="signup_dismissal_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name_core} ≠ {self.community_id}"


class ColumnMapping(models.Model):
    """A column mapping a team member confirmed, remembered for the municipality's team by the
    sheet's shape (its headers in order): the next sheet of that shape maps itself."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    shape = models.CharField(max_length=64)  # fairs.intake.columns.mapping_key
    headers = models.JSONField(default=list)  # as written, to show
    mapping = models.JSONField(default=dict)  # header as written → field code(s) or «skip»
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "shape"], name="column_mapping_unique_shape")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {', '.join(self.headers)[:80]}"
