"""The registry: communities, their leaders with consent, verification, municipal teams, the
programme with its targets, and cases. Fields, constraints and __str__ only; writes live in
registry/services/, reads in registry/selectors/."""

from __future__ import annotations

from datetime import date

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

from geo.models import LocationPrecision, Municipality, Region, Settlement
from registry.publication import PUBLISHED_STATUS_Q, public_place_caption

DESCRIPTION_MAX_LENGTH = 10_000


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


def _current_year() -> int:
    return date.today().year  # noqa: DTZ011 -- a calendar year, the server's zone is fine


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


class ClusterCell(models.Model):
    """Published communities counted on a Web Mercator grid, for the vector tiles at low zooms: the
    grid of zoom 9 (32 cells across a tile); lower zooms add up 2×2 blocks of it. Rebuilt by
    registry.services.clusters, never edited by hand."""

    cell_x = models.IntegerField()
    cell_y = models.IntegerField()
    count = models.PositiveIntegerField()
    sum_x = models.FloatField()  # of the members' Web Mercator coordinates: the centre is sum / count
    sum_y = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cell_x", "cell_y"], name="cluster_cell_unique")]


class ClusterState(models.Model):
    """One row: when the cells were built, and whether a community changed since."""

    refreshed_at = models.DateTimeField(null=True)
    refreshed_on = models.DateField(null=True)  # publication lapses with the date, so a new day rebuilds
    dirty = models.BooleanField(default=True)


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
