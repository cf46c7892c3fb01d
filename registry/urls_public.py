"""Public registry pages. Included before geo.urls, so the municipality page here (with its
communities) takes the place of geo's facts-only page at the same address and name."""

from django.urls import URLPattern, URLResolver, path

from registry import views_public

urlpatterns: list[URLPattern | URLResolver] = [
    path("m/<slug:slug>/", views_public.municipality_detail, name="municipality-detail"),
    path("c/<slug:slug>/", views_public.community_detail, name="community-detail"),
    path("cases/", views_public.case_list, name="case-list"),
]
