"""Forms of the coordinator's and teams' programme pages: indicator values, cases."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from geo.models import Municipality
from registry.models import DESCRIPTION_MAX_LENGTH, Indicator, IndicatorValue, Programme
from registry.selectors.pickers import municipality_choices


class IndicatorValueForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Показатель"), queryset=Indicator.objects.none())
    municipality = forms.TypedChoiceField(label=_("Муниципалитет"), coerce=int)
    period = forms.ChoiceField(label=_("Период"), choices=IndicatorValue.Period.choices)
    value = forms.FloatField(label=_("Значение"))
    weight = forms.IntegerField(
        label=_("Опрошено, человек"),
        required=False,
        min_value=1,
        help_text=_("Нужно, если показатель считается как среднее, взвешенное по числу опрошенных."),
    )
    measured_on = forms.DateField(label=_("Дата измерения"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(
        label=_("Источник"), max_length=300, help_text=_("Например: опрос жителей, отчёт администрации.")
    )
    method = forms.CharField(
        label=_("Метод"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Как измеряли: выборка, вопрос, период."),
    )

    def __init__(self, *args: Any, programme: Programme, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = programme.indicators.all()  # type: ignore[attr-defined]
        scoped = municipalities.filter(pk__in=programme.municipalities.all())
        self.fields["municipality"].choices = municipality_choices(  # type: ignore[attr-defined]
            municipalities=scoped, programme=programme
        )
        self.municipalities = scoped

    def municipality_object(self) -> Municipality:
        return self.municipalities.get(pk=self.cleaned_data["municipality"])


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Комментарий команде"), required=False, max_length=2000)


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Заголовок"), max_length=200)
    story = forms.CharField(
        label=_("История"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=50_000,
        help_text=_("Абзацы разделяйте пустой строкой — они сохранятся."),
    )
