"""Forms of the team's community pages: a community's card, its verification with evidence, a
rejection."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms import LocationFormMixin
from registry.models import DESCRIPTION_MAX_LENGTH, Community, Evidence, Sphere


class CommunityForm(LocationFormMixin):
    name = forms.CharField(label=_("Название"), max_length=200)
    sphere = forms.ModelChoiceField(label=_("Сфера"), queryset=Sphere.objects.filter(is_active=True))
    form = forms.ChoiceField(
        label=_("Форма"), choices=Community.Form.choices, initial=Community.Form.INFORMAL
    )
    inn = forms.CharField(label=_("ИНН"), max_length=20, required=False)
    ogrn = forms.CharField(label=_("ОГРН"), max_length=20, required=False)
    hide_exact_location = forms.BooleanField(
        label=_("Не показывать точное место (например, частный дом): на карте — точка населённого пункта"),
        required=False,
    )
    address = forms.CharField(label=_("Адрес (для команды)"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Описание"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    activities = forms.CharField(
        label=_("Чем занимается"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    members_count = forms.IntegerField(
        label=_("Участников"), required=False, min_value=0, max_value=10_000_000
    )
    founded_year = forms.IntegerField(label=_("Год создания"), required=False)
    links = forms.CharField(
        label=_("Ссылки (по одной в строке)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    contact = forms.CharField(label=_("Контакт сообщества"), max_length=200, required=False)
    is_contact_public = forms.BooleanField(label=_("Есть согласие на публикацию контакта"), required=False)
    internal_notes = forms.CharField(
        label=_("Заметки команды (не публикуются)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    not_a_duplicate = forms.BooleanField(label=_("Я проверил(а): это другое сообщество"), required=False)

    field_order = [
        "name",
        "sphere",
        "form",
        "inn",
        "ogrn",
        "place",
        "settlement_choice",
        "lat",
        "lon",
        "hide_exact_location",
    ]

    def __init__(self, *args: Any, require_location: bool = True, **kwargs: Any) -> None:
        self.require_location = require_location
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.require_location or cleaned.get("place") or cleaned.get("lon") or cleaned.get("lat"):
            self._clean_location(cleaned)
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {
            key: data.get(key)
            for key in (
                "name", "sphere", "form", "inn", "ogrn", "hide_exact_location", "address", "description",
                "activities", "members_count", "founded_year", "contact", "is_contact_public", "internal_notes",
            )
        }  # fmt: skip
        fields["inn"] = fields["inn"] or ""
        fields["ogrn"] = fields["ogrn"] or ""
        fields["links"] = [line.strip() for line in (data.get("links") or "").splitlines() if line.strip()]
        if self.location is not None:
            fields["location"] = self.location
            fields["location_precision"] = self.location_precision
            fields["settlement"] = self.settlement
        return fields


class VerifyForm(forms.Form):
    sphere = forms.ModelChoiceField(
        label=_("Сфера"),
        queryset=Sphere.objects.filter(is_active=True),
        required=False,
        empty_label=_("— выберите сферу —"),
    )
    meetings = forms.CharField(
        label=Evidence.Kind.MEETINGS.label,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    members = forms.CharField(
        label=Evidence.Kind.MEMBERS.label,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    results = forms.CharField(
        label=Evidence.Kind.RESULTS.label,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    documents = forms.CharField(
        label=Evidence.Kind.DOCUMENTS.label,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    link = forms.CharField(label=_("Ссылка на подтверждение (необязательно)"), max_length=500, required=False)
    file = forms.FileField(
        label=_("Файл: протокол, фото встречи (PDF, JPEG или PNG, до 10 МБ; необязательно)"), required=False
    )
    comment = forms.CharField(
        label=_("Комментарий"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отклонения"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION_MAX_LENGTH,
    )
