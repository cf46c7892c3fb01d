"""Public registry pages: the region overview, a municipality with its communities, a community, cases."""

from django.urls import URLPattern, URLResolver, path

from registry import views_maps, views_print, views_public, views_reports, views_search

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_public.home, name="home"),
    path("search/", views_search.search, name="search"),
    path("maps/region.json", views_maps.region_map_json, name="region-map-json"),
    path("m/<slug:slug>/", views_public.municipality_detail, name="municipality-detail"),
    path("m/<slug:slug>/map.html", views_maps.municipality_map_download, name="municipality-map-download"),
    path("m/<slug:slug>/print/", views_print.municipality_print_map, name="municipality-map-print"),
    path("maps/region/print/", views_print.region_print_map, name="region-map-print"),
    path("embed/m/<slug:slug>/", views_maps.municipality_embed, name="municipality-embed"),
    path("c/<int:pk>/popup.json", views_maps.community_popup_json, name="community-popup"),
    path("c/<slug:slug>/", views_public.community_detail, name="community-detail"),
    path("c/<slug:slug>/report/", views_reports.error_report_create, name="community-error-report"),
    path("c/<slug:slug>/report/sent/", views_reports.error_report_sent, name="community-error-report-sent"),
    path("cases/", views_public.case_list, name="case-list"),
    path("cases/<int:pk>/photo", views_public.case_photo, name="case-photo"),
]
