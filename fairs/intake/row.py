"""The row that passes from stage to stage of an import: the sheet's values, the sign-up being
built, and what each stage found (errors, warnings, candidates, reasons)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from fairs.models import Signup
from fairs.selectors.candidates import RegistryCandidate
from geo.errors import DomainError, ErrorItem


@dataclass(slots=True)
class PipelineRow:
    number: int
    values: dict[str, str]
    raw: dict[str, str]
    signup: Signup
    errors: list[ErrorItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    candidates: list[RegistryCandidate] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)  # why a person must decide on a valid row
    reasons: list[str] = field(default_factory=list)  # how the row was decided, for the report
    match_name: str = ""  # the name compared with others: its village («Совет старейшин Улу-Теляка») aside
    review_codes: list[str] = field(default_factory=list)  # why it waits for a person, for programs


def field_error(errors: list[ErrorItem], number: int, label: str | Promise, error: DomainError) -> None:
    """A field's errors, each message naming the row and the column."""
    for item in error.items:
        errors.append(
            ErrorItem(
                item.field, _("Строка {}, столбец «{}»: {}").format(number, label, item.message), item.code
            )
        )
