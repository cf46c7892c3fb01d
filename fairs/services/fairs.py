"""Fair writes: creating fairs."""

from __future__ import annotations

from datetime import date as date_type

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from fairs.models import Fair
from geo.models import Municipality
from registry.selectors.programme import programme_current
from registry.selectors.teams import team_has_member


@transaction.atomic
def fair_create(*, user: User, municipality: Municipality, date: date_type, title: str = "") -> Fair:
    if not team_has_member(municipality=municipality, user=user):
        raise PermissionDenied
    programme = programme_current()
    fair = Fair(
        municipality=municipality,
        date=date,
        title=" ".join(title.split()) or _("Ярмарка сообществ: {}").format(municipality.name),
        programme=programme
        if programme and programme.municipalities.filter(pk=municipality.pk).exists()
        else None,
        created_by=user,
    )
    fair.full_clean()
    fair.save()
    fair.organisers.add(user)
    return fair


def fair_get_or_create(*, user: User, municipality: Municipality, date: date_type) -> Fair:
    existing = Fair.objects.filter(municipality=municipality, date=date).order_by("id").first()
    return existing or fair_create(user=user, municipality=municipality, date=date)
