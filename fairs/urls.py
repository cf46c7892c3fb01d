from django.urls import URLPattern, URLResolver, path

from fairs import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("team/leaders/<int:pk>/erase/", views.leader_erase_view, name="team-leader-erase"),
]
