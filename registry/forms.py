"""Forms parse input; services decide. A DomainError from a service lands on the named field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from geo.errors import DomainError
from geo.models import Municipality, Settlement
from geo.selectors import PlaceMatch, place_locate
from geo.validation import point_parse
from registry.models import (
    DESCRIPTION_MAX_LENGTH,
    Community,
    Consent,
    Evidence,
    Leader,
    Leadership,
    PrivacyRequest,
    Sphere,
)
from registry.services.leaders import ConsentInput
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
