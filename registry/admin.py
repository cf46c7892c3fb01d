"""Admin for the registry, scoped like every other door: a team member sees and edits only their
municipalities' records, and anything else answers 404. Writes go through registry.services: a form
validates by running its service in a savepoint that is always rolled back (so a DomainError becomes
a form error, not a 500), and save_model runs the same service for real. Status, municipality,
creator and source are read-only here; status changes are actions that call the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from geo.admin import LocalMapAdmin
from geo.errors import DomainError
from geo.models import Municipality
from registry.models import (
    Case,
    Community,
    Consent,
    DuplicateDismissal,
    Evidence,
    Indicator,
    Leader,
    Leadership,
    Programme,
    Sphere,
    TeamMembership,
    Verification,
)
from registry.selectors.communities import community_editable_list
from registry.selectors.teams import AnyUser, team_has_member, team_municipalities, user_is_coordinator
from registry.services.cases import case_publish, case_unpublish, story_sanitise
from registry.services.communities import (
    EDITABLE_FIELDS,
    community_archive,
    community_create,
    community_update,
)
from registry.services.leaders import (
    LEADER_EDITABLE_FIELDS,
    ConsentInput,
    consent_record,
    consent_withdraw,
    leader_create,
    leader_update,
    leadership_add,
)

if TYPE_CHECKING:
    _BaseAdmin = admin.options.BaseModelAdmin[Any]
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _BaseAdmin = _ModelAdmin = object


# Scoping --------------------------------------------------------------------------------------


def _leaders_in_scope(user: AnyUser) -> QuerySet[Leader]:
    return Leader.objects.filter(municipality__in=team_municipalities(user=user))


class ScopeQuerysetMixin(_BaseAdmin):
    """Rows and related choices limited to the user's municipalities (coordinators: all of them)."""

    scope_lookup: str | None = "municipality"  # path from the model to its Municipality

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if self.scope_lookup is None or user_is_coordinator(user=request.user):
            return queryset
        return queryset.filter(**{f"{self.scope_lookup}__in": team_municipalities(user=request.user)})

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        user = request.user
        if db_field.related_model is Municipality:
            kwargs["queryset"] = team_municipalities(user=user)
        elif db_field.related_model is Community:
            kwargs["queryset"] = community_editable_list(user=user)
        elif db_field.related_model is Leader:
            kwargs["queryset"] = _leaders_in_scope(user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedObjectMixin(ScopeQuerysetMixin, _ModelAdmin):
    """An object outside the scope answers 404 (the stock admin redirects with a message)."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class ScopedAdmin(ScopedObjectMixin, admin.ModelAdmin):
    pass


def _messages(error: DomainError) -> str:
    return "; ".join(item.message for item in error.items)


# Forms that save through services --------------------------------------------------------------


class _DryRun(Exception):
    """Rolls back the savepoint of a validation run."""


class ServiceModelForm(forms.ModelForm):
    """A ModelForm whose save is a service call; validation runs that call and rolls it back."""

    user: AnyUser  # set per request by the admin's get_form

    def save_through_services(self) -> Any:
        raise NotImplementedError

    def clean(self) -> dict[str, Any] | None:
        cleaned_data = super().clean()
        if self.errors:  # the service would only repeat what the fields already said
            return cleaned_data
        try:
            with transaction.atomic():
                self.save_through_services()
                raise _DryRun
        except _DryRun:
            pass
        except DomainError as error:
            for item in error.items:
                self._add_service_error(item.field, item.message)
        except ValidationError as error:  # the model's full_clean inside the service
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    self._add_service_error(field, message)
        return cleaned_data

    def _add_service_error(self, field: str | None, message: str) -> None:
        name = (field or "").split("[")[0].split(".")[0]  # "links[2]" → "links"
        self.add_error(name if name in self.fields else None, message)


class ServiceFormAdminMixin(_ModelAdmin):
    """Hands the acting user to the form and saves through it."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = form.save_through_services()
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False


# Spheres and communities -----------------------------------------------------------------------


@admin.register(Sphere)
class SphereAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "color", "position", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name", "code", "synonyms")


class CommunityAdminForm(ServiceModelForm):
    def save_through_services(self) -> Community:
        if self.instance.pk is None:
            names = EDITABLE_FIELDS & set(self.fields)
        else:  # only what was changed: an unchanged point must not re-check the municipality
            names = EDITABLE_FIELDS & set(self.changed_data)
        fields = {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
        if self.instance.pk is None:
            return community_create(user=self.user, source=Community.Source.TEAM, **fields)
        # A fresh copy: the ModelForm has already written the input into self.instance.
        community = Community.objects.select_for_update().get(pk=self.instance.pk)
        return community_update(user=self.user, community=community, **fields)


@admin.register(Community)
class CommunityAdmin(ServiceFormAdminMixin, ScopedObjectMixin, SimpleHistoryAdmin, LocalMapAdmin):
    form = CommunityAdminForm
    list_display = ("name", "municipality", "sphere", "status", "verified_until", "updated_at")
    list_filter = ("status", "sphere", ("municipality", admin.RelatedOnlyFieldListFilter), "source")
    list_select_related = ("municipality", "sphere")
    search_fields = ("name", "inn", "ogrn")
    raw_id_fields = ("settlement",)
    actions = ("archive",)
    readonly_fields = (
        "slug", "status", "verified_until", "rejection_reason", "municipality", "created_by", "created_at",
        "updated_at", "source", "source_type", "source_id", "is_demo",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("name", "sphere", "form", "inn", "ogrn", "description", "activities")}),
        (
            _("Место"),
            {
                "fields": (
                    "location",
                    "location_precision",
                    "hide_exact_location",
                    "area",
                    "settlement",
                    "address",
                    "municipality",
                )
            },
        ),  # fmt: skip
        (
            _("Участники и контакты"),
            {"fields": ("members_count", "founded_year", "links", "contact", "is_contact_public")},
        ),
        (_("Для команды"), {"fields": ("internal_notes",)}),
        (
            _("Статус и происхождение"),
            {
                "fields": (
                    "status",
                    "verified_until",
                    "rejection_reason",
                    "slug",
                    "source",
                    "source_type",
                    "source_id",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "is_demo",
                )
            },
        ),  # fmt: skip
    )

    @admin.action(description=_("Архивировать"), permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Community]) -> None:
        archived = 0
        for community in queryset:
            try:
                community_archive(user=request.user, community=community)
            except DomainError as error:
                self.message_user(request, f"{community}: {_messages(error)}", messages.ERROR)
            else:
                archived += 1
        if archived:
            self.message_user(request, _("В архив перенесено: {}").format(archived), messages.SUCCESS)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        self.get_object(request, unquote(object_id))  # 404 outside the scope, deleted ones included
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self.get_object(request, unquote(object_id))
        if request.method == "POST":  # a revert would restore status and municipality past the services
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(DuplicateDismissal)
class DuplicateDismissalAdmin(ScopedAdmin):
    scope_lookup = "first__municipality"
    list_display = ("__str__", "first", "second", "decided_by", "decided_at")
    list_select_related = ("first", "second", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # recorded from the duplicate review page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Verification ----------------------------------------------------------------------------------


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ("kind", "text", "link", "file")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Verification)
class VerificationAdmin(ScopedAdmin):
    """Read-only: community_verify needs evidence and runs from the team pages."""

    scope_lookup = "community__municipality"
    list_display = ("community", "verified_by", "verified_at", "valid_until")
    list_select_related = ("community", "verified_by")
    search_fields = ("community__name",)
    inlines = (EvidenceInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# People (152-FZ) -------------------------------------------------------------------------------


class LeaderAdminForm(ServiceModelForm):
    roles = forms.MultipleChoiceField(
        label=_("роли"),
        choices=Leader.CitizenRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_method = forms.ChoiceField(
        label=_("согласие на хранение контактов: как получено"),
        choices=[("", "—"), *Consent.Method.choices],
        required=False,
    )
    consent_purpose = forms.CharField(
        label=_("согласие на хранение контактов: цель"), required=False, widget=forms.Textarea({"rows": 2})
    )

    def _store_consent(self) -> ConsentInput | None:
        method, purpose = self.cleaned_data.get("consent_method"), self.cleaned_data.get("consent_purpose")
        if not method and not purpose:
            return None
        return ConsentInput(scope=Consent.Scope.STORE_CONTACTS, purpose=purpose or "", method=method or "")

    def save_through_services(self) -> Leader:
        consent = self._store_consent()
        if self.instance.pk is None:
            fields = {name: self.cleaned_data[name] for name in LEADER_EDITABLE_FIELDS if name in self.fields}
            return leader_create(
                user=self.user,
                municipality=self.cleaned_data["municipality"],
                consents=[consent] if consent else [],
                **fields,
            )
        leader = Leader.objects.select_for_update().get(pk=self.instance.pk)
        if consent is not None:
            consent_record(user=self.user, leader=leader, consent=consent)
        changed = LEADER_EDITABLE_FIELDS & set(self.changed_data)
        return leader_update(
            user=self.user, leader=leader, **{name: self.cleaned_data[name] for name in changed}
        )


class LeadershipInline(ScopeQuerysetMixin, admin.TabularInline):
    model = Leadership
    scope_lookup = "community__municipality"  # roles in other municipalities' communities stay out of sight
    fields = ("community", "role", "since")
    extra = 0


class ConsentInline(admin.TabularInline):
    """Consents are records: added on the consent page or with the leader, withdrawn by an action."""

    model = Consent
    fields = ("scope", "purpose", "method", "collected_by", "collected_at", "withdrawn_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Leader)
class LeaderAdmin(ServiceFormAdminMixin, ScopedAdmin):
    form = LeaderAdminForm
    list_display = ("__str__", "municipality", "created_at", "erased_at")
    list_filter = (("municipality", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("municipality",)
    search_fields = ("full_name", "display_name")
    inlines = (LeadershipInline, ConsentInline)
    readonly_fields = ("created_by", "created_at", "erased_at", "is_demo")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets: list[Any] = [
            (None, {"fields": ("full_name", "display_name", "municipality", "roles", "bio")}),
        ]
        # Contacts only for the leader's own team (the queryset already says so; this says it twice).
        if obj is None or team_has_member(municipality=obj.municipality, user=request.user):
            fieldsets.append(
                (_("Контакты"), {"fields": ("phone", "email", "consent_method", "consent_purpose")})
            )
        fieldsets.append((_("Служебное"), {"fields": ("created_by", "created_at", "erased_at", "is_demo")}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "municipality") if obj is not None else readonly

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # erasure is fairs.services.leader_erase: it shreds history and sign-up rows too

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Leadership:
            super().save_formset(request, form, formset, change)
            return
        _leadership_formset_save(request.user, form.instance, formset)


def _leadership_formset_save(
    user: AnyUser, leader: Leader, formset: BaseInlineFormSet[Any, Any, Any]
) -> None:
    """Inline roles through leadership_add; the attributes set here feed the admin's change message."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for inline_form in formset.deleted_forms:
        if inline_form.instance.pk is not None:
            inline_form.instance.delete()
            formset.deleted_objects.append(inline_form.instance)
    for inline_form in formset.forms:
        if inline_form in formset.deleted_forms or not inline_form.has_changed():
            continue
        data, old = inline_form.cleaned_data, inline_form.instance
        if old.pk is not None and old.community_id != data["community"].pk:
            old.delete()
        leadership = leadership_add(
            user=user, leader=leader, community=data["community"], role=data["role"], since=data["since"]
        )
        if old.pk is None:
            formset.new_objects.append(leadership)
        else:
            formset.changed_objects.append((leadership, inline_form.changed_data))


class ConsentAdminForm(ServiceModelForm):
    def save_through_services(self) -> Consent:
        data = self.cleaned_data
        return consent_record(
            user=self.user,
            leader=data["leader"],
            consent=ConsentInput(
                scope=data["scope"], purpose=data["purpose"], method=data["method"], source=data["source"]
            ),
        )


@admin.register(Consent)
class ConsentAdmin(ServiceFormAdminMixin, ScopedAdmin):
    form = ConsentAdminForm
    scope_lookup = "leader__municipality"
    list_display = ("leader", "scope", "method", "collected_at", "withdrawn_at")
    list_filter = ("scope", "method")
    list_select_related = ("leader",)
    fields = (
        "leader",
        "scope",
        "purpose",
        "method",
        "source",
        "collected_by",
        "collected_at",
        "withdrawn_at",
    )
    readonly_fields = ("collected_by", "collected_at", "withdrawn_at")
    raw_id_fields = ("leader",)
    actions = ("withdraw",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a consent is a record of what was given; withdraw it and record a new one

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_withdraw_permission(self, request: HttpRequest) -> bool:
        return admin.ModelAdmin.has_change_permission(self, request)  # the model's change permission

    @admin.action(description=_("Отозвать согласие"), permissions=["withdraw"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Consent]) -> None:
        withdrawn = 0
        for consent in queryset.filter(withdrawn_at__isnull=True).select_related("leader"):
            withdrawn += consent_withdraw(user=request.user, leader=consent.leader, scope=consent.scope)
        self.message_user(request, _("Отозвано согласий: {}").format(withdrawn), messages.SUCCESS)


# Teams, programme, cases -----------------------------------------------------------------------


@admin.register(TeamMembership)
class TeamMembershipAdmin(ScopedAdmin):
    """Everyone sees their own teams; only coordinators change who is on them."""

    list_display = ("user", "municipality", "team_role")
    list_filter = ("team_role", ("municipality", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "municipality")
    search_fields = ("user__username", "user__last_name", "municipality__name")
    raw_id_fields = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return user_is_coordinator(user=request.user) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_coordinator(user=request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_coordinator(user=request.user) and super().has_delete_permission(request, obj)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ("position", "name", "unit", "before", "after")
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "starts_on", "ends_on", "is_current")
    list_select_related = ("region",)
    filter_horizontal = ("municipalities",)
    inlines = (IndicatorInline,)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "municipalities":
            kwargs["queryset"] = Municipality.objects.filter(level=Municipality.Level.TOP)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CaseAdminForm(forms.ModelForm):
    def clean_story(self) -> str:
        return story_sanitise(self.cleaned_data["story"])  # stored as sanitised HTML


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    form = CaseAdminForm
    scope_lookup = "community__municipality"
    list_display = ("title", "community", "is_published", "published_at")
    list_filter = ("is_published",)
    list_select_related = ("community",)
    search_fields = ("title", "community__name")
    raw_id_fields = ("community",)
    fields = (
        "community", "title", "story", "golden_rules", "photo", "is_published", "published_by", "published_at",
        "is_demo",
    )  # fmt: skip
    # Publishing records who and when: the case services, not a checkbox.
    readonly_fields = ("is_published", "published_by", "published_at", "is_demo")
    actions = ("publish", "unpublish")

    @admin.action(description=_("Опубликовать (только координатор)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        self._each(request, queryset, case_publish)

    @admin.action(description=_("Снять с публикации"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        self._each(request, queryset, case_unpublish)

    def _each(self, request: HttpRequest, queryset: QuerySet[Case], service: Any) -> None:
        for case in queryset:
            try:
                service(user=request.user, case=case)
            except DomainError as error:
                self.message_user(request, f"{case}: {error.items[0].message}", messages.ERROR)
            except PermissionDenied:
                self.message_user(
                    request, _("Публиковать кейсы может только координатор программы"), messages.ERROR
                )
                return
