"""Forms of the team workspace: invitations, joining, the district list's filters, bulk actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from geo.models import Municipality, Settlement
from registry.models import (
    DESCRIPTION_MAX_LENGTH,
    Community,
    Evidence,
    Sphere,
    TeamInvitation,
    TeamMembership,
)


def municipality_choices(municipalities: QuerySet[Municipality]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Grouped by region, each with its kind: two «Октябрьский» read as a district and a town."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for municipality in municipalities.select_related("region").order_by("region__name", "name"):
        groups.setdefault(municipality.region.name, []).append(
            (
                municipality.pk,
                f"{municipality.name} — {municipality.get_kind_display()}, {municipality.region.name}",
            )
        )
    return list(groups.items())


class InvitationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Кого приглашаем"), choices=TeamInvitation.Kind.choices, initial=TeamInvitation.Kind.MEMBER
    )
    municipality = forms.TypedChoiceField(
        label=_("Муниципалитет"),
        coerce=int,
        required=False,
        help_text=_("Начните вводить название в поле поиска над списком."),
    )
    team_role = forms.ChoiceField(
        label=_("Роль в команде"), choices=[("", "—"), *TeamMembership.TeamRole.choices], required=False
    )
    is_lead = forms.BooleanField(label=_("Руководитель команды"), required=False)
    email = forms.EmailField(
        label=_("Эл. почта"),
        required=False,
        help_text=_("Оставьте пустым, чтобы получить одноразовую ссылку и передать её самому."),
    )

    def __init__(
        self, *args: Any, municipalities: QuerySet[Municipality], may_invite_coordinators: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.municipalities = municipalities
        self.fields["municipality"].choices = [("", "—"), *municipality_choices(municipalities)]  # type: ignore[attr-defined]
        self.fields["municipality"].widget.attrs["data-filterable"] = "1"
        if not may_invite_coordinators:
            del self.fields["kind"]
            del self.fields["is_lead"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind") or TeamInvitation.Kind.MEMBER
        cleaned["kind"] = kind
        if kind == TeamInvitation.Kind.MEMBER:
            municipality = self.municipalities.filter(pk=cleaned.get("municipality") or 0).first()
            if municipality is None:
                self.add_error("municipality", _("Выберите муниципалитет из списка"))
            cleaned["municipality"] = municipality
        else:
            cleaned["municipality"] = None
        return cleaned


class JoinForm(forms.Form):
    email = forms.EmailField(label=_("Эл. почта (это ваш логин)"))
    full_name = forms.CharField(label=_("Имя и фамилия"), max_length=200)
    password = forms.CharField(
        label=_("Пароль"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Не короче 10 символов, не только из цифр и не похожий на имя или адрес."),
    )
    password_again = forms.CharField(
        label=_("Пароль ещё раз"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("Пароли не совпадают"))
        return cleaned


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Да, я подтверждаю"))


class CommunityFilterForm(forms.Form):
    DUE_CHOICES = [
        ("", _("любой")),
        ("lapsed", _("истекло")),
        ("soon", _("истекает в ближайшие 60 дней")),
    ]
    SORT_CHOICES = [
        ("name", _("по названию")),
        ("-updated_at", _("сначала недавно изменённые")),
        ("verified_until", _("по сроку подтверждения")),
        ("-created_at", _("сначала новые")),
    ]
    q = forms.CharField(label=_("Поиск по названию"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Статус"), choices=[("", _("любой")), *Community.Status.choices], required=False
    )
    sphere = forms.ModelChoiceField(
        label=_("Сфера"), queryset=Sphere.objects.all(), required=False, empty_label=_("любая")
    )
    settlement = forms.ModelChoiceField(
        label=_("Населённый пункт"),
        queryset=Settlement.objects.none(),
        required=False,
        empty_label=_("любой"),
    )
    source = forms.ChoiceField(
        label=_("Источник"), choices=[("", _("любой")), *Community.Source.choices], required=False
    )
    due = forms.ChoiceField(label=_("Срок подтверждения"), choices=DUE_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Порядок"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, settlements: QuerySet[Settlement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = settlements  # type: ignore[attr-defined]


class BulkReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина"), widget=forms.Textarea(attrs={"rows": 3}), max_length=DESCRIPTION_MAX_LENGTH
    )


class BulkEvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид свидетельства"), choices=Evidence.Kind.choices)
    text = forms.CharField(
        label=_("Свидетельство для каждого отмеченного сообщества"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Например: «Все представили свою работу на ярмарке 15 июня: участники, фото встреч»."),
    )
    link = forms.CharField(label=_("Ссылка на подтверждение (необязательно)"), max_length=500, required=False)
    file = forms.FileField(
        label=_("Файл: протокол, фото (PDF, JPEG или PNG, до 10 МБ; необязательно)"), required=False
    )


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина переноса в архив"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Например: «сообщество не собирается с весны», «объединилось с ТОС «Рассвет»»."),
    )
