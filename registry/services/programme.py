"""Programme writes: seeding a programme, its targets, indicators and participating municipalities
from a description (fixtures/programme.json), idempotently.

The description is authoritative for the programme's own fields (region, period, targets, is_current).
The municipalities are the coordinators' to change in the admin afterwards: they are set from the
description when the programme is created, and later only on an explicit reset. Indicators are added
when missing and their unit and order follow the description; measured values (before/after) are
never overwritten, since coordinators enter them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality, Region
from registry.models import Indicator, Programme

TARGET_FIELDS = {
    "communities": "target_communities",
    "leaders_per_municipality": "target_leaders_per_municipality",
    "fairs": "target_fairs",
    "fair_participants": "target_fair_participants",
}


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    unit: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class ProgrammeSpec:
    name: str
    region_iso: str
    starts_on: date
    ends_on: date
    targets: Mapping[str, int]  # model field name → value
    indicators: tuple[IndicatorSpec, ...]
    oktmo_codes: tuple[str, ...]


@dataclass(frozen=True)
class ProgrammeSeedReport:
    programme: Programme
    created: bool
    municipalities_set: bool  # False: the programme existed and its municipalities were kept
    municipalities_count: int
    indicators_created: int
    demoted: tuple[str, ...]  # names of programmes that stopped being current


def programme_spec_parse(data: object) -> ProgrammeSpec:
    """Check a programme description and report every problem at once, naming the field."""
    errors: list[ErrorItem] = []

    def fail(field: str, message: str, code: str) -> None:
        errors.append(ErrorItem(field, message, code))

    if not isinstance(data, Mapping):
        raise DomainError(
            ErrorItem(None, _("Ожидается объект JSON с описанием программы"), "spec_not_object")
        )
    name = data["name"].strip() if isinstance(data.get("name"), str) else ""
    if not name:
        fail("name", _("Ожидается непустое название программы"), "name_missing")
    region_iso = data["region"].strip() if isinstance(data.get("region"), str) else ""
    if not region_iso:
        fail("region", _("Ожидается код региона ISO 3166-2, например «RU-BA»"), "region_missing")
    dates: dict[str, date] = {}
    for key in ("starts_on", "ends_on"):
        try:
            dates[key] = date.fromisoformat(str(data.get(key)))
        except ValueError:
            fail(key, _("Ожидается дата ГГГГ-ММ-ДД, получено «{}»").format(data.get(key)), "date_invalid")
    if len(dates) == 2 and dates["ends_on"] < dates["starts_on"]:
        fail("ends_on", _("Окончание раньше начала"), "period_reversed")
    targets: dict[str, int] = {}
    raw_targets = data.get("targets") or {}
    if not isinstance(raw_targets, Mapping):
        raw_targets = {}
        fail("targets", _("Ожидается объект с целями"), "targets_invalid")
    for key, model_field in TARGET_FIELDS.items():
        value = raw_targets.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            targets[model_field] = value
        else:
            fail(
                f"targets.{key}",
                _("Ожидается целое число не меньше 0, получено «{}»").format(value),
                "target_invalid",
            )
    indicators = []
    for index, item in enumerate(data.get("indicators") or []):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str) or not item["name"].strip():
            fail(f"indicators[{index}].name", _("Ожидается название показателя"), "indicator_invalid")
            continue
        values = [item.get("before"), item.get("after")]
        if not all(value is None or isinstance(value, int | float) for value in values):
            fail(f"indicators[{index}]", _("Значения «до» и «после» — числа или null"), "indicator_invalid")
            continue
        indicators.append(IndicatorSpec(item["name"].strip(), str(item.get("unit") or ""), *values))
    codes: list[str] = []
    for index, item in enumerate(data.get("municipalities") or []):
        oktmo = item.get("oktmo") if isinstance(item, Mapping) else item
        if not isinstance(oktmo, str) or not (len(oktmo) == 8 and oktmo.isdigit()):
            fail(
                f"municipalities[{index}].oktmo",
                _("Ожидается код ОКТМО из 8 цифр, получено «{}»").format(oktmo),
                "oktmo_invalid",
            )
        elif oktmo in codes:
            fail(
                f"municipalities[{index}].oktmo", _("ОКТМО {} указан дважды").format(oktmo), "oktmo_duplicate"
            )
        else:
            codes.append(oktmo)
    if not codes:
        fail("municipalities", _("Ожидается хотя бы один муниципалитет"), "municipalities_missing")
    if errors:
        raise DomainError(*errors)
    return ProgrammeSpec(
        name=name,
        region_iso=region_iso,
        starts_on=dates["starts_on"],
        ends_on=dates["ends_on"],
        targets=targets,
        indicators=tuple(indicators),
        oktmo_codes=tuple(codes),
    )


@transaction.atomic
def programme_seed(*, spec: ProgrammeSpec, reset: bool = False) -> ProgrammeSeedReport:
    """Create or update the programme named in the spec and make it the current one. Every OKTMO
    must name a top-level municipality already loaded; otherwise nothing is written."""
    errors = []
    region = Region.objects.filter(iso_code=spec.region_iso).first()
    if region is None:
        errors.append(
            ErrorItem("region", _("Регион «{}» не загружен").format(spec.region_iso), "region_unknown")
        )
    municipalities = {
        municipality.oktmo: municipality
        for municipality in Municipality.objects.filter(
            oktmo__in=spec.oktmo_codes, level=Municipality.Level.TOP
        )
    }
    for index, oktmo in enumerate(spec.oktmo_codes):
        if oktmo not in municipalities:
            errors.append(
                ErrorItem(
                    f"municipalities[{index}].oktmo",
                    _("Муниципалитет с ОКТМО {} (район или округ) не найден в базе").format(oktmo),
                    "oktmo_unknown",
                )
            )
    if errors:
        raise DomainError(*errors)

    # A coordinator's later edits (targets, period, which programme is current) survive a re-run
    # of `make run`; --reset brings the file's values back.
    fields = {
        "region": region,
        "starts_on": spec.starts_on,
        "ends_on": spec.ends_on,
        "is_current": True,
        **spec.targets,
    }
    programme = Programme.objects.filter(name=spec.name).first()
    created = programme is None
    demoted: tuple[str, ...] = ()
    if created or reset:
        others = Programme.objects.filter(is_current=True).exclude(name=spec.name)
        demoted = tuple(others.values_list("name", flat=True))
        others.update(is_current=False)  # before saving ours: one current programme (a unique constraint)
        programme, _created = Programme.objects.update_or_create(name=spec.name, defaults=fields)
    assert programme is not None  # noqa: S101 -- narrows the type: found or just created
    municipalities_set = created or reset
    if municipalities_set:
        programme.municipalities.set([municipalities[oktmo] for oktmo in spec.oktmo_codes])
    indicators_created = 0
    for position, item in enumerate(spec.indicators):
        _indicator, was_created = Indicator.objects.update_or_create(
            programme=programme,
            name=item.name,
            defaults={"unit": item.unit, "position": position},
            create_defaults={
                "unit": item.unit,
                "position": position,
                "before": item.before,
                "after": item.after,
            },
        )
        indicators_created += was_created
    return ProgrammeSeedReport(
        programme=programme,
        created=created,
        municipalities_set=municipalities_set,
        municipalities_count=programme.municipalities.count(),
        indicators_created=indicators_created,
        demoted=demoted,
    )
