"""Password reset (by e-mail) and change, in Russian. A completed reset also lifts a sign-in lockout,
so the lockout page can send a locked-out person here instead of making them wait an hour."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit


@method_decorator(
    ratelimit(key="ip", rate=lambda group, request: settings.PUBLIC_FORM_RATE, method="POST", block=True),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registry/team/password_reset.html"
    email_template_name = "registry/team/email/password_reset.txt"
    subject_template_name = "registry/team/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registry/team/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registry/team/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registry/team/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registry/team/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registry/team/password_change_done.html"
