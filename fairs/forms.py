"""Fair forms: the public on-site sign-up reached from the poster's QR code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from geo.errors import DomainError
from registry.forms import contact_field_clean
from registry.forms_leaders import CONSENT_PURPOSES
from registry.models import Sphere

# The pipeline names errors by sheet column; on the form the place is one field.
_ERROR_FIELDS = {"settlement": "place", "municipality": "place"}
# «…(152-ФЗ): хранение телефона…»: the shared purposes start with a capital letter.
_lower_first = lazy(lambda text: str(text)[:1].lower() + str(text)[1:], str)


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Название сообщества"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sphere = forms.ModelChoiceField(
        label=_("Сфера"),
        queryset=Sphere.objects.filter(is_active=True).order_by("position", "name"),
        required=False,
        empty_label=_("— выберите —"),
    )
    sphere_text = forms.CharField(label=_("Другая сфера (если нет в списке)"), max_length=200, required=False)
    place = forms.CharField(
        label=_("Населённый пункт или адрес"),
        max_length=500,
        required=False,
        help_text=_("Например: с. Иглино или г. Уфа, ул. Ленина, 5"),
    )
    leader = forms.CharField(
        label=_("ФИО лидера"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Телефон"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Эл. почта"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "inputmode": "email", "autocomplete": "email"}),
    )
    members = forms.CharField(
        label=_("Сколько человек в сообществе"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    contact_consent = forms.BooleanField(
        label=format_lazy(
            "{} {}. {}",
            _("Согласен(на) на обработку моих персональных данных (152-ФЗ):"),
            _lower_first(CONSENT_PURPOSES["store_contacts"]),
            _("Телефон и почта не публикуются. Обязательно, если указан телефон или эл. почта."),
        ),
        required=False,
    )
    publish_consent = forms.BooleanField(
        label=format_lazy(
            "{} {}. {}",
            _("Согласен(на) на обработку моих персональных данных (152-ФЗ):"),
            _lower_first(CONSENT_PURPOSES["publish_name"]),
            _("Необязательно."),
        ),
        required=False,
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = forms.CharField(required=False, label=_("Не заполняйте это поле"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("phone", "").strip() or cleaned.get("email", "").strip()) and not cleaned.get(
            "contact_consent"
        ):
            self.add_error(
                "contact_consent",
                _("Без согласия мы не можем сохранить телефон и почту: отметьте согласие или сотрите их"),
            )
        return cleaned

    def values(self) -> dict[str, str]:
        """The row as the sign-up pipeline reads it: free text, as a sheet would have it."""
        cleaned = self.cleaned_data
        sphere: Sphere | None = cleaned.get("sphere")
        return {
            "name": cleaned["name"],
            "sphere": sphere.code if sphere is not None else cleaned.get("sphere_text", ""),
            "place": cleaned.get("place", ""),
            "leader": cleaned.get("leader", ""),
            "phone": cleaned.get("phone", ""),
            "email": cleaned.get("email", ""),
            "members": cleaned.get("members", ""),
        }

    def add_domain_errors(self, error: DomainError) -> None:
        """Each pipeline error on its field, without the sheet's «Строка 0, столбец …:» prefix."""
        row_prefix = gettext("Строка {}, столбец «{}»: {}").split("{}")[0] + "0"
        for item in error.items:
            field = _ERROR_FIELDS.get(item.field or "", item.field or "")
            message = item.message
            if message.startswith(row_prefix) and ": " in message:
                message = message.split(": ", 1)[1]
                message = message[:1].upper() + message[1:]
            self.add_error(field if field in self.fields else None, message)


class ProposerLookupForm(forms.Form):
    """A resident who proposed a community, found by the e-mail or phone they left (they are no
    leader), typed however it was written."""

    contact = forms.CharField(label=_("Эл. почта или телефон предложившего"), max_length=254)
    confirm = forms.BooleanField(
        label=_("Я понимаю: этот контакт будет удалён из сообществ и их истории безвозвратно"),
        required=False,
    )

    def clean_contact(self) -> str:
        return contact_field_clean(self.cleaned_data["contact"])
