"""Admin for places. Read-mostly: boundaries and the gazetteer come from `load_geodata`; the
geometry maps use OpenLayers from our static files (geo.widgets.LocalOSMWidget)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from geo.models import GeodataLoad, Municipality, Region, Settlement
from geo.widgets import LocalOSMWidget


class LocalMapAdmin(GISModelAdmin):
    gis_widget = LocalOSMWidget  # type: ignore[assignment]  # django-stubs wants an instance; Django takes the class


@admin.register(Region)
class RegionAdmin(LocalMapAdmin):
    list_display = ("name", "iso_code", "oktmo_prefix", "area_km2")
    search_fields = ("name", "iso_code")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        # The list never shows outlines; the change page loads the outline on access.
        return super().get_queryset(request).defer("outline")


@admin.register(Municipality)
class MunicipalityAdmin(LocalMapAdmin):
    list_display = ("name", "oktmo", "kind", "level", "region", "parent")
    list_filter = ("region", "level", "kind")
    list_select_related = ("region", "parent")
    search_fields = ("name", "official_name", "oktmo")
    raw_id_fields = ("region", "parent")
    readonly_fields = ("source_key", "source", "boundary_simplified")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Municipality]:
        return super().get_queryset(request).defer("boundary", "boundary_simplified")


@admin.register(Settlement)
class SettlementAdmin(LocalMapAdmin):
    list_display = ("__str__", "oktmo", "municipality", "rural_municipality", "population")
    list_filter = ("municipality__region", "type")
    list_select_related = ("municipality", "rural_municipality")
    search_fields = ("name", "oktmo")
    raw_id_fields = ("municipality", "rural_municipality")
    readonly_fields = ("name_normalized", "source")


@admin.register(GeodataLoad)
class GeodataLoadAdmin(admin.ModelAdmin):
    """A log written by `load_geodata`: nothing to edit by hand."""

    list_display = ("loaded_at", "sha256", "created", "changed")
    date_hierarchy = "loaded_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
