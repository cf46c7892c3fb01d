from django.urls import URLPattern, URLResolver, path

from fairs import views, views_home, views_lifecycle, views_privacy, views_review

urlpatterns: list[URLPattern | URLResolver] = [
    path("team/", views_home.team_home, name="team"),
    path("team/leaders/<int:pk>/erase/", views.leader_erase_view, name="team-leader-erase"),
    path("team/leaders/<int:pk>/export.json", views.leader_export_view, name="team-leader-export"),
    path(
        "team/leaders/<int:pk>/letter.pdf",
        views_privacy.subject_access_letter_view,
        name="team-leader-letter",
    ),
    path(
        "team/privacy/erasures/<int:pk>/letter.pdf",
        views_privacy.erasure_letter_view,
        name="privacy-erasure-letter",
    ),
    path("programme/privacy/", views_privacy.privacy_trail_view, name="privacy-trail"),
    path("team/privacy/proposer/", views_privacy.proposer_privacy_view, name="team-proposer-privacy"),
    path("team/fairs/", views.fair_list_view, name="fair-list"),
    path("team/fairs/<int:pk>/", views.fair_detail_view, name="fair-detail"),
    path("team/fairs/<int:pk>/held/", views_lifecycle.fair_held_view, name="fair-held"),
    path("team/fairs/<int:pk>/plan/", views_lifecycle.fair_plan_view, name="fair-plan"),
    path("fairs/<int:pk>/import/", views.fair_detail_view, name="fair-import"),
    path(
        "fairs/<int:pk>/imports/<int:import_pk>/annotated/",
        views.signup_sheet_view,
        name="fair-import-annotated",
    ),
    path("fairs/<int:pk>/review/", views_review.fair_review_view, name="fair-review"),
]
