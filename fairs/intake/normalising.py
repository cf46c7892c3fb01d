"""The normalise stage: a row's cells read into the sign-up's fields (name, phone, e-mail, counts,
leader, consent, sphere, municipality), each bad cell an error naming its row and column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairs.intake.consent import consent_read
from fairs.intake.row import PipelineRow, field_error
from fairs.normalise import MunicipalityReader, members_read, year_read
from geo.errors import DomainError
from geo.models import Municipality
from registry.matching import name_fold
from registry.spheres import SphereReader
from registry.validators import email_clean, name_clean, phone_clean

# Column, its label in messages (translated only when a message is written), reader, sign-up attribute.
FIELD_READERS: tuple[tuple[str, Promise, Callable[[str], Any], str], ...] = (
    ("phone", gettext_lazy("Телефон"), phone_clean, "phone"),
    ("email", gettext_lazy("Эл. почта"), email_clean, "email"),
    ("members", gettext_lazy("Численность"), members_read, "members_count"),
    ("founded", gettext_lazy("Год создания"), year_read, "founded_year"),
)


class RowNormaliser:
    """Reads the cells of one file's rows; the fair's municipality is a row's unless it names another."""

    def __init__(self, *, municipality: Municipality) -> None:
        self.municipality = municipality
        self.spheres = SphereReader()
        self.municipalities = MunicipalityReader(region_iso=municipality.region.iso_code)

    def read(self, row: PipelineRow) -> None:
        values, signup, number = row.values, row.signup, row.number
        try:
            signup.name = name_clean(values.get("name", ""), max_length=300)
        except DomainError as error:
            field_error(row.errors, number, _("Название"), error)
        signup.name_core = name_fold(signup.name)[0] if signup.name else ""
        for key, label, reader, attribute in FIELD_READERS:
            try:
                setattr(signup, attribute, reader(values.get(key, "")))
            except DomainError as error:
                field_error(row.errors, number, label, error)
        signup.leader_name = " ".join(values.get("leader", "").split())[:300]
        activity = values.get("activity", "")
        signup.comment = "\n".join(part for part in (values.get("comment", ""), activity) if part)
        consent = consent_read(values.get("consent", ""))
        signup.has_contact_consent = bool(consent)
        if consent is None:
            row.asks.append(
                _(
                    "Строка {}, столбец «Согласие»: «{}» — не понятно, дано ли согласие; решит проверяющий"
                ).format(number, values.get("consent", "")[:40])
            )
        signup.sphere_text = values.get("sphere", "")[:200]
        signup.sphere = self.spheres.read(signup.sphere_text)
        if signup.sphere is None and activity:  # «Чем занимается сообщество?» may name the sphere
            signup.sphere = self.spheres.read(activity)
            if signup.sphere is not None and not signup.sphere_text:
                signup.sphere_text = activity[:200]
        if signup.sphere is None:
            row.warnings.append(
                _("Сфера «{}» не распознана: её выберет проверяющий при подтверждении сообщества").format(
                    signup.sphere_text[:60]
                )
                if signup.sphere_text
                else _("Сфера не указана: её выберет проверяющий при подтверждении сообщества")
            )
        municipality = self.municipality
        if values.get("municipality"):
            try:
                municipality = self.municipalities.read(values["municipality"]) or municipality
            except DomainError as error:
                field_error(row.errors, number, _("Муниципалитет"), error)
        signup.municipality = municipality

    @staticmethod
    def consent_note(row: PipelineRow) -> None:
        """After the row is located: contacts without consent stay in the sign-up alone."""
        signup = row.signup
        if (signup.phone or signup.email) and not signup.has_contact_consent:
            row.warnings.append(_("Нет согласия на хранение контактов: телефон и почта не попадут в реестр"))
