"""Public fair pages: the on-site sign-up form and the printable poster with its QR code."""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from fairs.forms import SignupForm
from fairs.models import Fair
from fairs.selectors import fair_public_get
from fairs.services.imports import signup_submit
from geo.errors import DomainError


def _open_fair(pk: int) -> Fair:
    """A fair that takes sign-ups (planned or held); any other id is a 404."""
    fair = fair_public_get(pk=pk)
    if fair is None:
        raise Http404
    return fair


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=lambda group, request: settings.PUBLIC_FORM_RATE, method="POST", block=True)
def signup_view(request: HttpRequest, pk: int) -> HttpResponse:
    fair = _open_fair(pk)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):  # honeypot: pretend success, keep nothing
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
            return render(request, "fairs/public/signup_done.html", {"fair": fair})
    return render(request, "fairs/public/signup.html", {"fair": fair, "form": form})


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
