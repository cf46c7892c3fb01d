"""The coordinator edits the programme from the site: its name, period, programme-wide targets,
participating municipalities and each municipality's own targets (none in the Django admin)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality
from registry.models import MunicipalTarget, Programme
from registry.roles import Right, user_has_right
from registry.selectors.teams import AnyUser

TARGET_KEYS = ("communities", "leaders", "fairs", "fair_participants")


@dataclass(frozen=True)
class ProgrammeInput:
    name: str
    starts_on: date
    ends_on: date
    target_communities: int
    target_leaders_per_municipality: int
    target_fairs: int
    target_fair_participants: int


@transaction.atomic
def programme_update(
    *,
    user: AnyUser,
    programme: Programme,
    data: ProgrammeInput,
    municipalities: Iterable[Municipality],
    municipal_targets: Mapping[int, Mapping[str, int | None]],
) -> Programme:
    """Save the programme; municipal_targets: municipality id → {key in TARGET_KEYS: value or None
    for the even share}. Targets of a municipality that leaves the programme are dropped with it."""
    if not user_has_right(user=user, right=Right.MANAGE_PROGRAMME):
        raise PermissionDenied
    chosen = list(municipalities)
    errors: list[ErrorItem] = []
    name = data.name.strip()
    if not name:
        errors.append(ErrorItem("name", _("Укажите название программы"), "required"))
    elif Programme.objects.exclude(pk=programme.pk).filter(name=name).exists():
        errors.append(ErrorItem("name", _("Программа «{}» уже есть").format(name), "name_taken"))
    if data.ends_on < data.starts_on:
        errors.append(ErrorItem("ends_on", _("Окончание программы раньше её начала"), "period_reversed"))
    if not chosen:
        errors.append(
            ErrorItem("municipalities", _("Выберите хотя бы один муниципалитет"), "municipalities_empty")
        )
    errors.extend(
        ErrorItem(
            "municipalities",
            _("«{}» — поселение в составе района: в программу входят районы и округа").format(item.name),
            "municipality_not_top",
        )
        for item in chosen
        if item.level != Municipality.Level.TOP
    )
    for field in (
        "target_communities",
        "target_leaders_per_municipality",
        "target_fairs",
        "target_fair_participants",
    ):
        if getattr(data, field) < 0:
            errors.append(ErrorItem(field, _("Цель не может быть отрицательной"), "target_negative"))
    ids = {item.pk for item in chosen}
    for municipality_id, values in municipal_targets.items():
        for key, value in values.items():
            if key not in TARGET_KEYS:
                raise ValueError(f"unknown target {key!r}")
            if value is not None and value < 0:
                errors.append(
                    ErrorItem(
                        f"target_{municipality_id}_{key}",
                        _("Цель не может быть отрицательной"),
                        "target_negative",
                    )
                )
    if errors:
        raise DomainError(*errors)
    programme.name = name
    for field in ProgrammeInput.__dataclass_fields__:
        if field != "name":
            setattr(programme, field, getattr(data, field))
    programme.full_clean(exclude=["municipalities"])
    programme.save()
    programme.municipalities.set(chosen)
    MunicipalTarget.objects.filter(programme=programme).exclude(municipality_id__in=ids).delete()
    for municipality_id, values in municipal_targets.items():
        if municipality_id not in ids:
            continue
        own = {key: values.get(key) for key in TARGET_KEYS}
        if all(value is None for value in own.values()):
            MunicipalTarget.objects.filter(programme=programme, municipality_id=municipality_id).delete()
        else:
            MunicipalTarget.objects.update_or_create(
                programme=programme, municipality_id=municipality_id, defaults=own
            )
    return programme
