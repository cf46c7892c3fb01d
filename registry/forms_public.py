"""Forms residents fill in on the public site: proposing a community, a request about one's
personal data (152-FZ art. 14), reporting an error on a community's page. Each has a honeypot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms import LocationFormMixin, contact_field_clean
from registry.models import DESCRIPTION_MAX_LENGTH, PrivacyRequest, Sphere


class ProposeForm(LocationFormMixin):
    name = forms.CharField(label=_("Название сообщества"), max_length=200)
    sphere = forms.ModelChoiceField(label=_("Сфера"), queryset=Sphere.objects.filter(is_active=True))
    description = forms.CharField(
        label=_("Чем занимается сообщество"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    contact = forms.CharField(
        label=_("Как с вами связаться (телефон или e-mail)"), max_length=200, required=False
    )

    def clean_contact(self) -> str:
        return contact_field_clean(self.cleaned_data.get("contact", ""))

    contact_consent = forms.BooleanField(
        label=_(
            "Я согласен(на) на обработку указанных контактов фондом — оператором программы — "
            "для связи по поводу этого предложения (152-ФЗ). Контакты не публикуются."
        ),
        required=False,
    )
    not_a_duplicate = forms.BooleanField(
        label=_("Я посмотрел(а): этого сообщества на карте нет"), required=False
    )
    field_order = [
        "name",
        "sphere",
        "description",
        "place",
        "settlement_choice",
        "lat",
        "lon",
        "contact",
        "contact_consent",
    ]
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = forms.CharField(required=False, label=_("Не заполняйте это поле"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("contact") and not cleaned.get("contact_consent"):
            self.add_error(
                "contact_consent",
                _(
                    "Без согласия на обработку мы не можем сохранить контакт: отметьте согласие или удалите контакт"
                ),
            )
        self._clean_location(cleaned)
        return cleaned


class PrivacyRequestForm(forms.Form):
    """A request about one's personal data (152-FZ art. 14), from the privacy notice page."""

    kind = forms.ChoiceField(label=_("Что вы просите"), choices=PrivacyRequest.Kind.choices)
    name = forms.CharField(label=_("Как к вам обращаться"), max_length=200)
    contact = forms.CharField(
        label=_("Куда ответить (телефон или эл. почта)"),
        max_length=200,
        help_text=_("Ответ придёт сюда; по нему же мы убедимся, что просите вы."),
    )
    text = forms.CharField(
        label=_("Подробности (о каком сообществе или ярмарке речь)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    website = forms.CharField(required=False, label=_("Не заполняйте это поле"))

    def clean_contact(self) -> str:
        return contact_field_clean(self.cleaned_data["contact"])


class ErrorReportForm(forms.Form):
    """«Сообщить об ошибке» on a community's page: what is wrong; a contact only with consent."""

    text = forms.CharField(
        label=_("Что не так на этой странице"),
        help_text=_("Например: сообщество больше не собирается, сменился телефон, неверное место на карте."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        max_length=1000,
    )
    contact = forms.CharField(
        label=_("Куда ответить (телефон или эл. почта), если хотите ответа"),
        max_length=200,
        required=False,
    )
    has_consent = forms.BooleanField(
        label=_("Согласен(на) на обработку этого контакта командой муниципалитета, чтобы мне ответили"),
        required=False,
    )
    website = forms.CharField(required=False, label=_("Не заполняйте это поле"))

    def clean_contact(self) -> str:
        value = self.cleaned_data["contact"].strip()
        return contact_field_clean(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact") and not data.get("has_consent"):
            self.add_error(
                "has_consent", _("Чтобы мы могли ответить, отметьте согласие, или оставьте контакт пустым.")
            )
        return data
