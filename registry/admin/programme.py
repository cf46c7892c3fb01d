"""Admin: programmes and cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from geo.errors import DomainError
from geo.models import Municipality
from registry.models import (
    Case,
    Indicator,
    Programme,
)
from registry.services.cases import case_publish, case_unpublish, story_sanitise

if TYPE_CHECKING:
    _BaseAdmin = admin.options.BaseModelAdmin[Any]
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _BaseAdmin = _ModelAdmin = object


# Scoping --------------------------------------------------------------------------------------


from registry.admin.base import (
    ScopedAdmin,
)


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
        "community", "title", "story", "golden_rules", "photo", "photo_alt", "is_published", "published_by", "published_at",
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
