"""Forms of the coordinator's and teams' programme pages: indicator values, cases."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from geo.models import Municipality
from registry.models import DESCRIPTION_MAX_LENGTH, Indicator, IndicatorValue, Programme
from registry.selectors.pickers import municipality_choices
from registry.services.programme_edit import TARGET_KEYS


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


PROGRAMME_FIELDS = (
    "name",
    "starts_on",
    "ends_on",
    "target_communities",
    "target_leaders_per_municipality",
    "target_fairs",
    "target_fair_participants",
)


class ProgrammeForm(forms.Form):
    """The programme's own fields, its municipalities (checkboxes grouped by region, the region beside
    a repeated name) and a row of targets per participating municipality (blank: the even share)."""

    name = forms.CharField(label=_("Название"), max_length=200)
    # <input type="date"> takes ISO dates only, whatever the language's date format
    starts_on = forms.DateField(
        label=_("Начало"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Окончание"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    target_communities = forms.IntegerField(label=_("Цель: сообществ в реестре"), min_value=0)
    target_leaders_per_municipality = forms.IntegerField(
        label=_("Цель: лидеров на муниципалитет"), min_value=0
    )
    target_fairs = forms.IntegerField(label=_("Цель: ярмарок"), min_value=0)
    target_fair_participants = forms.IntegerField(label=_("Цель: участников ярмарок"), min_value=0)
    municipalities = forms.TypedMultipleChoiceField(
        label=_("Муниципалитеты программы"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,  # programme_update says «at least one», with the other errors
    )

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        participating: list[Municipality],
        own_targets: dict[int, dict[str, int | None]],
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {field: getattr(programme, field) for field in PROGRAMME_FIELDS}
        initial["municipalities"] = [item.pk for item in participating]
        for item in participating:
            for key, value in own_targets.get(item.pk, {}).items():
                initial[f"target_{item.pk}_{key}"] = value
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        # grouped by region, the programme's own region first (no «programme» group: the ticks show it)
        self.fields["municipalities"].choices = municipality_choices(  # type: ignore[attr-defined]
            municipalities=Municipality.objects.filter(level=Municipality.Level.TOP),
            programme=None,
            home=programme.region,
        )
        self.participating = participating
        for item in participating:
            for key in TARGET_KEYS:
                self.fields[f"target_{item.pk}_{key}"] = forms.IntegerField(
                    label=f"{item.name}: {TARGET_LABELS[key]}", min_value=0, required=False
                )

    def programme_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PROGRAMME_FIELDS]

    def target_rows(self) -> list[tuple[Municipality, list[forms.BoundField]]]:
        return [
            (item, [self[f"target_{item.pk}_{key}"] for key in TARGET_KEYS]) for item in self.participating
        ]

    def municipal_targets(self) -> dict[int, dict[str, int | None]]:
        return {
            item.pk: {key: self.cleaned_data.get(f"target_{item.pk}_{key}") for key in TARGET_KEYS}
            for item in self.participating
        }


TARGET_LABELS = {
    "communities": _("сообществ"),
    "leaders": _("лидеров"),
    "fairs": _("ярмарок"),
    "fair_participants": _("участников ярмарок"),
}
