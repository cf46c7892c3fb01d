from django.urls import path

from geo import views

urlpatterns = [
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("maps/base.json", views.map_base_layers, name="map-base-layers"),
]
