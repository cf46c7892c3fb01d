from django.urls import URLPattern, URLResolver, path

from fairs import views_programme

urlpatterns: list[URLPattern | URLResolver] = [
    path("programme/", views_programme.programme_progress_page, name="programme-progress"),
    path("programme/progress.xlsx", views_programme.programme_progress_xlsx, name="programme-progress-xlsx"),
    path("programme/progress.csv", views_programme.programme_progress_csv, name="programme-progress-csv"),
]
