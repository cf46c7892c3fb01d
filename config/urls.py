from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("fairs.urls")),
    path("", include("fairs.urls_public")),
    path("", include("registry.urls_team")),
    path("", include("fairs.urls_programme")),
    path("", include("registry.urls_public")),
    path("", include("geo.urls")),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
