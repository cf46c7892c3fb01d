from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, URLResolver, path

from registry import (
    views_cases,
    views_district,
    views_indicators,
    views_leaders,
    views_members,
    views_password,
    views_people,
    views_privacy,
    views_programme,
    views_propose,
    views_reports,
    views_settlements,
    views_team,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", views_team.TeamLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/reset/", views_password.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views_password.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views_password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views_password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/change/", views_password.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/", views_password.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("join/<str:token>/", views_members.team_join_view, name="team-join"),
    path("team/roles/", views_members.roles_view, name="team-roles"),
    path("team/members/", views_members.team_members_view, name="team-members"),
    path("team/members/<int:pk>/remove/", views_members.team_member_remove_view, name="team-member-remove"),
    path(
        "team/invitations/<int:pk>/revoke/",
        views_members.team_invitation_revoke_view,
        name="team-invitation-revoke",
    ),
    path("team/communities/", views_district.district_list_view, name="team-district"),
    path("team/settlements/", views_settlements.settlement_list_view, name="team-settlements"),
    path("team/settlements/<int:pk>/", views_settlements.settlement_place_view, name="team-settlement"),
    path(
        "team/communities.csv", views_district.district_export_view, {"fmt": "csv"}, name="team-district-csv"
    ),
    path(
        "team/communities.xlsx",
        views_district.district_export_view,
        {"fmt": "xlsx"},
        name="team-district-xlsx",
    ),
    path("team/communities/bulk/", views_district.bulk_view, name="team-bulk"),
    path("team/evidence/<int:pk>/file/", views_district.evidence_file_view, name="team-evidence-file"),
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
    path("propose/", views_propose.propose_view, name="propose"),
    path("propose/thanks/", views_propose.propose_thanks, name="propose-thanks"),
    path("propose/done/<str:token>/", views_propose.propose_done, name="propose-done"),
    path("propose/fix/<str:token>/", views_propose.propose_fix, name="propose-fix"),
    path("privacy/", views_privacy.privacy_notice, name="privacy"),
    path("privacy/sent/", views_privacy.privacy_request_sent, name="privacy-request-sent"),
    path("team/privacy-requests/", views_privacy.privacy_request_queue, name="team-privacy-requests"),
    path("team/reports/", views_reports.error_report_queue, name="team-error-reports"),
    path(
        "team/reports/<int:pk>/resolved/",
        views_reports.error_report_resolved,
        name="team-error-report-resolved",
    ),
    path(
        "team/privacy-requests/<int:pk>/answered/",
        views_privacy.privacy_request_answered,
        name="team-privacy-request-answered",
    ),
    path("programme/<int:pk>/edit/", views_programme.programme_edit_view, name="programme-edit"),
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
