"""The public proposal form: parse, call one service, redirect (Post/Redirect/Get), so a refresh
never sends it twice; the success page shows where the proposal was placed, with a signed,
time-limited link that lets that visitor alone move the point while the proposal is unreviewed."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.gis.geos import Point
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geo.errors import DomainError
from geo.models import LocationPrecision
from geo.selectors import municipality_locate
from registry.forms import LocationFormMixin, form_add_domain_errors
from registry.forms_public import ProposeForm
from registry.limits import public_form_count, public_form_is_limited
from registry.maps.builders import community_map
from registry.models import Community
from registry.selectors.communities import community_duplicate_candidates, community_public_list
from registry.services.community_creation import community_propose
from registry.services.community_edits import community_proposal_relocate

LIMIT_GROUP = "propose"
SIGNING_SALT = "registry.propose.fix"
FIX_MAX_AGE_S = 24 * 3600  # the correction link works for a day


def _published_duplicates(form: ProposeForm) -> list[Any]:
    """Similar communities already on the map: only published ones, so nothing unverified leaks."""
    if form.cleaned_data.get("not_a_duplicate") or form.location is None:
        return []
    candidates = community_duplicate_candidates(
        name=form.cleaned_data["name"],
        location=form.location,
        municipality=municipality_locate(point=form.location),
    )
    published = set(
        community_public_list()
        .filter(pk__in=[item.community.pk for item in candidates])
        .values_list("pk", flat=True)
    )
    return [item for item in candidates if item.community.pk in published]


def _token(community: Community) -> str:
    return signing.dumps({"proposal": community.pk}, salt=SIGNING_SALT, compress=True)


def _proposal_from(token: str) -> Community:
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=FIX_MAX_AGE_S)
    except signing.BadSignature as error:  # tampered or expired (SignatureExpired is a subclass)
        raise Http404 from error
    community = (
        Community.objects.select_related("municipality", "sphere", "settlement")
        .filter(pk=payload.get("proposal"), source=Community.Source.PUBLIC_PROPOSAL)
        .first()
    )
    if community is None:
        raise Http404
    return community


@require_http_methods(["GET", "HEAD", "POST"])
def propose_view(request: HttpRequest) -> HttpResponse:
    form = ProposeForm(request.POST or None)
    if request.method == "POST":
        if public_form_is_limited(request, group=LIMIT_GROUP):
            # What was typed stays in the form: the visitor can send it later without retyping.
            response = render(
                request, "registry/propose.html", {"form": form, "is_limited": True}, status=429
            )
            response["Retry-After"] = "3600"
            return response
        if form.is_valid():
            if form.cleaned_data.get("website"):  # honeypot: pretend success, keep nothing
                return redirect("propose-thanks")
            published = _published_duplicates(form)
            if published:
                return render(request, "registry/propose.html", {"form": form, "duplicates": published})
            contact = form.cleaned_data.get("contact", "").strip()
            notes = (
                _("Контакт предложившего; согласие на обработку получено онлайн {}").format(
                    timezone.now().isoformat()
                )
                if contact
                else ""
            )
            try:
                community = community_propose(
                    name=form.cleaned_data["name"],
                    sphere=form.cleaned_data["sphere"],
                    location=cast(Point, form.location),  # a valid form always has one
                    settlement=form.settlement,
                    location_precision=form.location_precision,
                    description=form.cleaned_data["description"],
                    contact=contact,
                    internal_notes=notes,
                    # a contact is accepted only with consent (ProposeForm.clean): an e-mail one hears back
                    proposer_email=contact if "@" in contact else "",
                )
            except DomainError as error:
                form_add_domain_errors(form, error)
            else:
                public_form_count(request, group=LIMIT_GROUP)  # only an accepted proposal counts
                return redirect("propose-done", token=_token(community))
    return render(request, "registry/propose.html", {"form": form})


def propose_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/propose_done.html", {"community": None})


def propose_done(request: HttpRequest, token: str) -> HttpResponse:
    """Where the proposal landed: the municipality and the point on a small map."""
    community = _proposal_from(token)
    point = community.location
    # the proposer's own point, shown to the proposer only (the signed token), to check it
    built = community_map(
        community=community, point=(point.x, point.y), precision=LocationPrecision.EXACT, area=None
    )
    return render(
        request,
        "registry/propose_done.html",
        {
            "community": community,
            "proposal_map": built,
            "fix_url": None
            if community.status != Community.Status.PROPOSED
            else redirect("propose-fix", token=token).url,
        },
    )


class _RelocateForm(LocationFormMixin):
    field_order = ["place", "settlement_choice", "lat", "lon"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_location(cleaned)
        return cleaned


@require_http_methods(["GET", "HEAD", "POST"])
def propose_fix(request: HttpRequest, token: str) -> HttpResponse:
    """«Не то место? Исправить»: only the holder of the signed link, only while unreviewed."""
    community = _proposal_from(token)
    if community.status != Community.Status.PROPOSED:
        raise Http404
    initial = {"lat": f"{community.location.y:.6f}", "lon": f"{community.location.x:.6f}"}
    form = _RelocateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            community_proposal_relocate(
                community=community,
                location=cast(Point, form.location),
                settlement=form.settlement,
                location_precision=form.location_precision,
            )
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            return redirect("propose-done", token=token)
    return render(request, "registry/propose_fix.html", {"form": form, "community": community})


__all__ = ["propose_done", "propose_fix", "propose_thanks", "propose_view"]
