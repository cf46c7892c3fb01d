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
    venue_name = forms.CharField(label=_("Место проведения"), max_length=200, required=False)
    expected_participants = forms.IntegerField(
        label=_("Сколько участников ожидаете"), min_value=0, max_value=100_000, required=False
    )

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
    mapping = forms.CharField(
        label=_("Сопоставление столбцов (необязательно)"),
        help_text=_(
            "По строке на столбец: «Заголовок = поле». Поля: name, sphere, activity, municipality, place, "
            "leader, position, phone, email, members, founded, consent, comment; skip — не импортировать."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def clean_mapping(self) -> dict[str, str] | None:
        mapping: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["mapping"].splitlines(), start=1):
            if not line.strip():
                continue
            header, separator, field = line.rpartition("=")
            if not separator or not header.strip() or not field.strip():
                raise forms.ValidationError(
                    _("Строка {} сопоставления: ожидается «Заголовок = поле»").format(number)
                )
            mapping[header.strip()] = field.strip()
        return mapping or None


class FairPlanForm(forms.Form):
    date = forms.DateField(label=_("Дата"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    venue_name = forms.CharField(label=_("Место проведения"), max_length=200, required=False)
    expected_participants = forms.IntegerField(
        label=_("Сколько участников ожидаете"), min_value=0, max_value=100_000, required=False
    )


class FairHeldForm(forms.Form):
    participants = forms.IntegerField(
        label=_("Сколько человек пришло на ярмарку"),
        min_value=0,
        max_value=100_000,
        help_text=_("Все участники, а не только записавшиеся: это число идёт в отчёт программы."),
    )
