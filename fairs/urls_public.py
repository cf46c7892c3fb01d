"""Public fair pages: the on-site sign-up form and its printable poster."""

from django.urls import URLPattern, URLResolver, path

from fairs import views_public

urlpatterns: list[URLPattern | URLResolver] = [
    path("fairs/<int:pk>/signup/", views_public.signup_view, name="fair-signup"),
    path("fairs/<int:pk>/poster/", views_public.poster_view, name="fair-poster"),
]
