"""Forms parse input; services decide. A DomainError from a service lands on the named field.

The parts every form shares: errors onto fields, a contact field, a place typed or found. The forms
themselves live by who fills them in: registry.forms_community (the team's community forms),
registry.forms_leaders, registry.forms_public (residents' forms), registry.forms_team,
registry.forms_cockpit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from geo.errors import DomainError
from geo.models import Municipality, Settlement
from geo.place_lookup import PlaceMatch, place_locate
from geo.validation import point_parse
from registry.validators import contact_clean

PLACE_HELP = _("Например: «с. Иглино», «д. Ленинское (Кальтовский с/с)», «г. Уфа, ул. Ленина, 5»")


def contact_field_clean(value: str) -> str:
    """A form field's contact: a phone or an e-mail (registry.validators.contact_clean)."""
    try:
        return contact_clean(value)
    except DomainError as error:
        raise forms.ValidationError([item.message for item in error.items]) from error


def form_add_domain_errors(form: forms.Form, error: DomainError) -> None:
    """Put each error item on its field when the form has it, otherwise on the whole form."""
    for item in error.items:
        field = (item.field or "").split("[")[0].split(".")[0]
        form.add_error(field if field in form.fields else None, item.message)


class LocationFormMixin(forms.Form):
    """A point typed as coordinates or found from a place string; ambiguity is asked, never guessed."""

    place = forms.CharField(
        label=_("Населённый пункт или адрес"), max_length=300, required=False, help_text=PLACE_HELP
    )
    settlement_choice = forms.ChoiceField(
        label=_("Уточните населённый пункт"), required=False, widget=forms.RadioSelect
    )
    lat = forms.CharField(
        label=_("Широта (например, 54.73)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    lon = forms.CharField(
        label=_("Долгота (например, 55.96)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    scope_municipality: Municipality | None = None
    place_match: PlaceMatch | None = None
    location: Point | None = None
    location_precision: str = "exact"
    settlement: Settlement | None = None

    def _clean_location(self, cleaned: dict[str, Any]) -> None:
        lon, lat = (cleaned.get("lon") or "").strip(), (cleaned.get("lat") or "").strip()
        place = (cleaned.get("place") or "").strip()
        if lon or lat:
            try:
                self.location = point_parse(lon, lat)
            except DomainError as error:
                form_add_domain_errors(self, error)
            return
        if not place:
            self.add_error("place", _("Укажите населённый пункт или адрес, или координаты точки"))
            return
        chosen = cleaned.get("settlement_choice")
        if chosen:
            settlement = Settlement.objects.select_related("municipality").filter(oktmo=chosen).first()
            if settlement is not None:
                match = PlaceMatch("found", municipality=settlement.municipality, settlement=settlement)
                self._use_settlement(settlement)
                self.place_match = match
                return
        match = place_locate(place, municipality=self.scope_municipality)
        self.place_match = match
        if match.status == "found" and match.point is not None:
            self.location = match.point
            self.location_precision = str(match.precision)
            self.settlement = match.settlement
        elif match.status == "ambiguous":
            self.fields["settlement_choice"].choices = [  # type: ignore[attr-defined]
                (candidate.oktmo, f"{candidate} — {candidate.rural_municipality or candidate.municipality}")
                for candidate in match.candidates
            ]
            self.add_error("settlement_choice", _("Таких мест несколько: выберите нужное"))
        else:
            hint = "; ".join(match.suggestions) if match.suggestions else ""
            message = _("Место «{}» не найдено в справочнике.").format(place[:80])
            self.add_error(
                "place", f"{message} {_('Возможно, вы имели в виду')}: {hint}" if hint else message
            )

    def _use_settlement(self, settlement: Settlement) -> None:
        match = place_locate(
            f"{settlement.type} {settlement.name}",
            municipality=settlement.rural_municipality or settlement.municipality,
        )
        self.settlement = settlement
        self.location = match.point if match.settlement == settlement else settlement.point
        self.location_precision = str(match.precision or "settlement")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        raw_place = self.data.get("place") if self.is_bound else None
        if raw_place and self.data.get("settlement_choice"):
            # Re-offer the candidates so the chosen value validates.
            candidates = place_locate(raw_place, municipality=self.scope_municipality).candidates
            self.fields["settlement_choice"].choices = [  # type: ignore[attr-defined]
                (candidate.oktmo, f"{candidate} — {candidate.rural_municipality or candidate.municipality}")
                for candidate in candidates
            ]
