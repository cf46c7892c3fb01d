from django.urls import URLPattern, URLResolver, path

from fairs import views_cockpit, views_programme, views_reports

urlpatterns: list[URLPattern | URLResolver] = [
    path("programme/", views_programme.programme_progress_page, name="programme-progress"),
    path("programme/progress.xlsx", views_programme.programme_progress_xlsx, name="programme-progress-xlsx"),
    path("programme/progress.csv", views_programme.programme_progress_csv, name="programme-progress-csv"),
    path("programme/dashboard/", views_cockpit.dashboard_view, name="programme-dashboard"),
    path("programme/pending/", views_cockpit.pending_view, name="programme-pending"),
    path("programme/lapsing/", views_cockpit.lapsing_view, name="programme-lapsing"),
    path("programme/team/", views_cockpit.team_view, name="programme-team"),
    path("programme/fairs/", views_cockpit.fairs_view, name="programme-fairs"),
    path("programme/report/", views_reports.report_view, name="programme-report"),
    path("programme/report.<str:extension>", views_reports.report_view, name="programme-report-file"),
]
