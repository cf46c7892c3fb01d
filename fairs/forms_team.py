"""Forms of the fair pages for municipal teams."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from geo.models import Municipality
from registry.selectors.pickers import municipality_choices
from registry.selectors.programme import programme_current


class FairForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Муниципалитет"), queryset=Municipality.objects.none())
    date = forms.DateField(label=_("Дата"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Название (необязательно)"), max_length=200, required=False)

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        # Shown grouped: the programme's municipalities first, then by region, the region beside a
        # repeated name; the queryset still decides what is valid.
        groups = municipality_choices(municipalities=municipalities, programme=programme_current())
        self.fields["municipality"].choices = [("", "---------"), *groups]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Файл с заявками (.csv или .xlsx, до 10 МБ)"))
    dry_run = forms.BooleanField(label=_("Только проверить, ничего не записывать"), required=False)
