"""OGC API – Features under /ogc/ (see api/ogc.py)."""

from django.urls import path

from api import ogc

app_name = "ogc"
urlpatterns = [
    path("", ogc.LandingOgc.as_view(), name="landing"),
    path("conformance", ogc.ConformanceOgc.as_view(), name="conformance"),
    path("api", ogc.ApiOgc.as_view(), name="api"),
    path("collections", ogc.CollectionsOgc.as_view(), name="collections"),
    path("collections/<str:collection>", ogc.CollectionOgc.as_view(), name="collection"),
    path("collections/<str:collection>/queryables", ogc.QueryablesOgc.as_view(), name="queryables"),
    path("collections/<str:collection>/items", ogc.ItemsOgc.as_view(), name="items"),
    path("collections/<str:collection>/items/<str:fid>", ogc.ItemOgc.as_view(), name="item"),
]
