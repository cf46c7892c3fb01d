"""Admin: leaders, consents, team memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from registry.models import (
    Consent,
    Leader,
    Leadership,
    TeamMembership,
)
from registry.selectors.teams import AnyUser, team_has_member, user_is_coordinator
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


from registry.admin.base import (
    ScopedAdmin,
    ScopeQuerysetMixin,
    ServiceFormAdminMixin,
    ServiceModelForm,
)


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
        return False  # erasure is fairs.services.erasure.leader_erase: it shreds history and sign-up rows too

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
