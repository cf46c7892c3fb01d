"""Public fair pages: the on-site sign-up form and the printable poster with its QR code."""

from __future__ import annotations

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fairs.forms import SignupForm
from fairs.limits import (
    DEVICE_COOKIE,
    SIGNING_SALT,
    FormStart,
    form_start_new,
    form_start_read,
    signup_count,
    signup_is_limited,
)
from fairs.models import Fair
from fairs.selectors.fairs import fair_public_get
from fairs.services.imports import signup_submit
from geo.errors import DomainError


def _open_fair(pk: int) -> Fair:
    """A fair that takes sign-ups (planned or held); any other id is a 404."""
    fair = fair_public_get(pk=pk)
    if fair is None:
        raise Http404
    return fair


def _form_page(
    request: HttpRequest,
    fair: Fair,
    form: SignupForm,
    start: FormStart,
    *,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    """The form (with what was typed) and its signed start; the device id stays in a cookie."""
    response = render(
        request,
        "fairs/public/signup.html",
        {"fair": fair, "form": form, "started": start.token(), "notice": notice},
        status=status,
    )
    response.set_signed_cookie(
        DEVICE_COOKIE,
        start.device,
        salt=SIGNING_SALT,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest, pk: int) -> HttpResponse:
    fair = _open_fair(pk)
    form = SignupForm(request.POST or None)
    if request.method != "POST":
        return _form_page(request, fair, form, form_start_new(request=request))
    start = form_start_read(request.POST.get("started", ""))
    if start is None:  # no start, a forged one, or a page left open a day: nothing typed is lost
        form.is_valid()
        return _form_page(
            request,
            fair,
            form,
            form_start_new(request=request),
            notice=_("Форма устарела. Всё, что вы ввели, сохранено — проверьте и отправьте ещё раз."),
        )
    if signup_is_limited(request, fair_id=fair.pk, start=start):
        # What was typed stays in the form: the person can send it a little later without retyping.
        response = _form_page(
            request,
            fair,
            form,
            start,
            notice=_(
                "С этого устройства только что отправлено много заявок. Всё, что вы ввели, сохранено — отправьте позже."
            ),
            status=429,
        )
        response["Retry-After"] = "600"
        return response
    if form.is_valid():
        if form.cleaned_data.get("website") or start.is_too_fast():
            # honeypot, or sent faster than a person types: pretend success, keep nothing
            return render(request, "fairs/public/signup_done.html", {"fair": fair})
        try:
            signup_submit(
                fair=fair,
                values=form.values(),
                contact_consent=form.cleaned_data["contact_consent"],
                publish_consent=form.cleaned_data["publish_consent"],
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:  # the page never says what the registry matched: that is for the team
            signup_count(request, fair_id=fair.pk, start=start)
            return render(request, "fairs/public/signup_done.html", {"fair": fair})
    return _form_page(request, fair, form, start)


@require_GET
def poster_view(request: HttpRequest, pk: int) -> HttpResponse:
    fair = _open_fair(pk)
    signup_url = request.build_absolute_uri(reverse("fair-signup", args=[fair.pk]))
    qr = segno.make(signup_url, error="m")
    # The SVG is drawn by segno from our own URL (modules and paths, no text from users).
    qr_svg = mark_safe(qr.svg_inline(omitsize=True, border=2, svgclass="qr"))  # noqa: S308 -- see above
    return render(
        request,
        "fairs/public/poster.html",
        {"fair": fair, "signup_url": signup_url, "qr_svg": qr_svg},
    )
