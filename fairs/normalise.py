"""Reading the cells of one sign-up row: numbers, years, spheres, municipalities, consent.

Each reader returns the value or raises DomainError naming the field and what was expected."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem
from geo.models import Municipality
from geo.text import DISTRICT_MARKERS, fold, strip_markers
from registry.models import Sphere

_COUNT = re.compile(r"^(?:около|примерно|более|больше|~|≈)?\s*(\d{1,7})\s*(?:чел\w*|участник\w*)?\.?$")
_YEAR = re.compile(r"^(\d{4})\s*(?:г|год)?\.?$")
_YES = frozenset({"да", "yes", "есть", "+", "1", "true", "согласен", "согласна", "v", "✓", "x", "х"})


def members_read(text: str) -> int | None:
    value = text.strip().lower()
    if not value:
        return None
    match = _COUNT.match(value)
    if match is None:
        raise DomainError(
            ErrorItem(
                "members",
                _("ожидается целое число не меньше 0, получено «{}»").format(text[:40]),
                "members_invalid",
            )
        )
    return int(match.group(1))


def year_read(text: str) -> int | None:
    value = text.strip().lower()
    if not value:
        return None
    match = _YEAR.match(
        value.replace(".0", "") if value.endswith(".0") else value
    )  # 2019.0 from a spreadsheet
    year = int(match.group(1)) if match is not None else 0
    # A year before UTC's current one is before the local one in any time zone: only the recent
    # years need the local calendar (reading it cost a fifth of reading a row).
    if 1800 <= year < timezone.now().year or 1800 <= year <= timezone.localdate().year:
        return year
    raise DomainError(
        ErrorItem(
            "founded",
            _("ожидается год от 1800 до {}, получено «{}»").format(timezone.localdate().year, text[:40]),
            "year_out_of_range",
        )
    )


def consent_read(text: str) -> bool:
    return fold(text) in _YES or fold(text).startswith("да")


class SphereReader:
    """Free-text spheres («благоустр.», «этнокультура», «семья и детство») → the managed list."""

    def __init__(self) -> None:
        self.exact: dict[str, Sphere] = {}
        for sphere in Sphere.objects.filter(is_active=True):
            for spelling in (sphere.name, sphere.name_en, sphere.code, *sphere.synonyms):
                if spelling:
                    self.exact.setdefault(fold(spelling), sphere)

    def read(self, text: str) -> Sphere | None:
        key = fold(text)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        # Abbreviations: «благоустр» is the start of «благоустройство»; the longest shared start wins.
        starts = [
            (len(spelling), sphere)
            for spelling, sphere in self.exact.items()
            if len(key) >= 4 and spelling.startswith(key)
        ]
        if starts:
            return max(starts, key=lambda item: item[0])[1]
        words = [
            (spelling, sphere)
            for spelling, sphere in self.exact.items()
            if f" {spelling} " in f" {key} " and len(spelling) >= 4
        ]
        return max(words, key=lambda item: len(item[0]))[1] if words else None


class MunicipalityReader:
    """«Иглинский», «иглинский», «Иглинский р-н», «Иглинский муниципальный район» → the district."""

    def __init__(self, *, region_iso: str) -> None:
        self.by_core: dict[str, list[Municipality]] = {}
        for municipality in Municipality.objects.filter(
            level=Municipality.Level.TOP, region__iso_code=region_iso
        ):
            for spelling in {municipality.name, municipality.official_name}:
                core = strip_markers(fold(spelling), DISTRICT_MARKERS)
                self.by_core.setdefault(core, [])
                if municipality not in self.by_core[core]:
                    self.by_core[core].append(municipality)

    def read(self, text: str) -> Municipality | None:
        core = strip_markers(fold(text.replace("р-н", " район ")), DISTRICT_MARKERS)
        if not core:
            return None
        found = self.by_core.get(core, [])
        if len(found) != 1:
            raise DomainError(
                ErrorItem(
                    "municipality",
                    _(
                        "ожидается район или городской округ, например «Иглинский район», получено «{}»"
                    ).format(text[:60]),
                    "municipality_unknown",
                )
            )
        return found[0]
