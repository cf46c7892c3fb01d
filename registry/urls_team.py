from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, URLResolver, path

from registry import views_cases, views_indicators, views_leaders, views_people, views_team

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", views_team.TeamLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("team/", views_team.team_home, name="team"),
    path("team/communities/new/", views_team.community_create_view, name="team-community-create"),
    path("team/communities/<int:pk>/", views_team.community_team_detail, name="team-community"),
    path("team/communities/<int:pk>/edit/", views_team.community_edit_view, name="team-community-edit"),
    path("team/communities/<int:pk>/verify/", views_team.community_verify_view, name="team-community-verify"),
    path("team/communities/<int:pk>/reject/", views_team.community_reject_view, name="team-community-reject"),
    path(
        "team/communities/<int:pk>/archive/", views_team.community_archive_view, name="team-community-archive"
    ),
    path(
        "team/communities/<int:community_pk>/leaders/new/",
        views_leaders.leader_create_view,
        name="team-leader-create",
    ),
    path("team/leaders/", views_people.leader_list_view, name="team-leaders"),
    path("team/leaders/<int:pk>/", views_leaders.leader_team_detail, name="team-leader"),
    path(
        "team/leaders/<int:pk>/consents/<slug:scope>/withdraw/",
        views_leaders.consent_withdraw_view,
        name="team-consent-withdraw",
    ),
    path("team/consents.csv", views_leaders.consent_log_csv, name="team-consent-log"),
    path("propose/", views_team.propose_view, name="propose"),
    path("programme/indicators/", views_indicators.indicator_list_view, name="programme-indicators"),
    path("programme/cases/", views_cases.case_list_view, name="cockpit-cases"),
    path("programme/cases/new/", views_cases.case_edit_view, name="cockpit-case-new"),
    path("programme/cases/<int:pk>/", views_cases.case_edit_view, name="cockpit-case-edit"),
    path(
        "programme/cases/<int:pk>/<slug:action>/",
        views_cases.case_publication_view,
        name="cockpit-case-publication",
    ),
    path(
        "programme/indicators/<int:pk>/review/",
        views_indicators.indicator_review_view,
        name="programme-indicator-review",
    ),
]
