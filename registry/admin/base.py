"""Admin: scoping mixins and service-backed forms shared by every registry admin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from geo.errors import DomainError
from geo.models import Municipality
from registry.models import (
    Community,
    Leader,
)
from registry.selectors.communities import community_editable_list
from registry.selectors.teams import AnyUser, team_municipalities, user_is_coordinator

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
