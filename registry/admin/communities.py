"""Admin: spheres, communities, verifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from geo.admin import LocalMapAdmin
from registry.models import (
    Community,
    DuplicateDismissal,
    Evidence,
    Sphere,
    Verification,
)
from registry.services.community_checks import EDITABLE_FIELDS
from registry.services.community_creation import community_create
from registry.services.community_edits import community_update

if TYPE_CHECKING:
    _BaseAdmin = admin.options.BaseModelAdmin[Any]
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _BaseAdmin = _ModelAdmin = object


# Scoping --------------------------------------------------------------------------------------


from registry.admin.base import (
    ScopedAdmin,
    ScopedObjectMixin,
    ServiceFormAdminMixin,
    ServiceModelForm,
)


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
    def archive(self, request: HttpRequest, queryset: QuerySet[Community]) -> HttpResponse:
        """Archiving asks for a reason: the team's confirmation page, with these communities."""
        from registry.forms_team import BulkReasonForm, ConfirmForm

        return render(
            request,
            "registry/team/bulk_confirm.html",
            {
                "action": "archive",
                "label": _("В архив"),
                "communities": list(queryset.filter(status=Community.Status.VERIFIED)),
                "is_verify": False,
                "form": BulkReasonForm(),
                "confirm_form": ConfirmForm(),
            },
        )

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
