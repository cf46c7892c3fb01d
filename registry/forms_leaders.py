"""Forms of a community's leaders: the leader with the consents they gave, and the erasure of their data."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import DESCRIPTION_MAX_LENGTH, Consent, Leader, Leadership
from registry.services.leaders import ConsentInput

CONSENT_PURPOSES = {
    "store_contacts": _(
        "Хранение телефона и эл. почты лидера, чтобы муниципальная команда и фонд могли связаться с ним по программе"
    ),
    "publish_name": _("Публикация имени лидера на странице сообщества и на карте сообществ"),
    "publish_contacts": _("Публикация телефона и эл. почты лидера на странице сообщества"),
}


class LeaderForm(forms.Form):
    full_name = forms.CharField(label=_("ФИО"), max_length=200)
    display_name = forms.CharField(label=_("Публичное имя (если отличается)"), max_length=200, required=False)
    bio = forms.CharField(
        label=_("О себе"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    roles = forms.MultipleChoiceField(
        label=_("Роли в модели эффективного самоуправления"),
        choices=Leader.CitizenRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leadership_role = forms.ChoiceField(
        label=_("Роль в сообществе"), choices=Leadership.Role.choices, initial=Leadership.Role.COORDINATOR
    )
    phone = forms.CharField(label=_("Телефон"), max_length=40, required=False)
    email = forms.CharField(label=_("Эл. почта"), max_length=254, required=False)
    method = forms.ChoiceField(
        label=_("Как получено согласие"), choices=Consent.Method.choices, initial=Consent.Method.TEAM_MEMBER
    )
    consent_store_contacts = forms.BooleanField(label=CONSENT_PURPOSES["store_contacts"], required=False)
    consent_publish_name = forms.BooleanField(label=CONSENT_PURPOSES["publish_name"], required=False)
    consent_publish_contacts = forms.BooleanField(label=CONSENT_PURPOSES["publish_contacts"], required=False)

    def consents(self) -> list[ConsentInput]:
        return [
            ConsentInput(scope=scope, purpose=str(purpose), method=self.cleaned_data["method"])
            for scope, purpose in CONSENT_PURPOSES.items()
            if self.cleaned_data.get(f"consent_{scope}")
        ]


class EraseForm(forms.Form):
    confirm = forms.BooleanField(label=_("Я понимаю: персональные данные лидера будут удалены безвозвратно"))
