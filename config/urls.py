from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.ogc import landing_redirect
from api.open_data import open_data_page
from api.styles import style_view
from api.tiles import tile_view, tilejson_view
from config.language import language_switch

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", language_switch, name="language-switch"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("ogc", landing_redirect),  # absolute, unlike CommonMiddleware's APPEND_SLASH redirect
    path("ogc/", include("api.urls_ogc")),
    path("data/", open_data_page, name="open-data"),
    re_path(r"^data/styles/(?P<layer>[a-z_]+)\.(?P<fmt>qml|sld)$", style_view, name="layer-style"),
    # Any text for z/x/y, so that a bad one is a 400 naming it; an unknown layer is a 404.
    re_path(
        r"^tiles/(?P<layer>communities|municipalities)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/.]+)\.mvt$",
        tile_view,
        name="tile",
    ),
    re_path(r"^tiles/(?P<layer>communities|municipalities)\.json$", tilejson_view, name="tilejson"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("fairs.urls")),
    path("", include("fairs.urls_public")),
    path("", include("registry.urls_team")),
    path("", include("fairs.urls_programme")),
    path("", include("registry.urls_public")),
    path("", include("geo.urls")),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
