"""Fair writes: an invalid sign-up row fixed in place by a team member, then sent through the same
reading and matching as any imported row (so a fixed row is matched, created or sent to review
exactly as if the sheet had been right)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairs.intake.consent import consent_read
from fairs.models import Signup
from fairs.services.imports import PipelineRow, SignupPipeline
from geo.errors import DomainError, ErrorItem
from registry.selectors.teams import team_has_member

# The fields a reviewer can correct, and which of them an error item names (by its field code).
FIXABLE_FIELDS = ("name", "place", "leader", "phone", "email", "members", "founded", "consent")
ERROR_FIELDS = {
    "name": "name",
    "settlement": "place",
    "place": "place",
    "municipality": "place",
    "leader": "leader",
    "phone": "phone",
    "email": "email",
    "members": "members",
    "founded": "founded",
    "consent": "consent",
}


def signup_bad_fields(*, signup: Signup) -> set[str]:
    """The fixable fields the row's errors name."""
    return {ERROR_FIELDS[item["field"]] for item in signup.errors if item.get("field") in ERROR_FIELDS}


def _raw_cell(signup: Signup, field: str) -> str | None:
    """The cell as written in the column mapped to this field (a combined cell whole), if any."""
    report = signup.source_import.report if signup.source_import is not None else {}
    for position, column in enumerate(report.get("columns", [])):
        if field in column.get("fields", []):
            key = column.get("header") or f"column_{position + 1}"
            if key in signup.raw:
                return str(signup.raw[key])
    return None


def signup_values(*, signup: Signup) -> dict[str, str]:
    """The row's values by field as the pipeline reads them: what was read, and for the fields the
    row's errors name (never read into the sign-up) the sheet's own cell; from the on-site form, raw
    is already by field."""
    bad = signup_bad_fields(signup=signup)
    numbers = {"members": signup.members_count, "founded": signup.founded_year}
    values = {
        "name": signup.name,
        "place": signup.place_text,
        "leader": signup.leader_name,
        "phone": signup.phone,
        "email": signup.email,
        "members": str(numbers["members"]) if numbers["members"] is not None else "",
        "founded": str(numbers["founded"]) if numbers["founded"] is not None else "",
        "sphere": signup.sphere_text,
        "comment": signup.comment,
        "consent": "да" if signup.has_contact_consent else "",
    }
    consent_cell = _raw_cell(signup, "consent")
    if consent_cell is not None and consent_read(consent_cell) is None:
        bad.add("consent")  # neither yes nor no: shown as written for the reviewer to decide
    for field in bad | {"phone", "email"}:
        cell = signup.raw.get(field) if signup.source_import is None else _raw_cell(signup, field)
        if cell is not None and (field in bad or not values[field]):
            values[field] = str(cell)
    if signup.municipality is not None and signup.municipality_id != signup.fair.municipality_id:
        values["municipality"] = signup.municipality.name
    return values


@transaction.atomic
def signup_fix(*, user: User, signup: Signup, values: dict[str, str]) -> Signup:
    """Correct an invalid row and read it again: matched, created as new, or sent to review.

    A value still wrong refuses the fix (DomainError naming the field); the row stays as it was."""
    if not team_has_member(municipality=signup.fair.municipality, user=user):
        raise PermissionDenied
    if signup.status != Signup.Status.INVALID:
        raise DomainError(
            ErrorItem(
                "status",
                _("Заявка уже решена: «{}»").format(signup.get_status_display()),
                "signup_already_resolved",
            )
        )
    merged = {**signup_values(signup=signup), **{key: values[key] for key in FIXABLE_FIELDS if key in values}}
    for attribute in ("settlement", "location", "community", "leader", "sphere", "duplicate_of"):
        setattr(signup, attribute, None)
    signup.location_precision = ""
    signup.errors = []
    signup.status = Signup.Status.INVALID
    row = PipelineRow(signup.row_number or 0, merged, signup.raw, signup)
    importer = SignupPipeline(user=user, fair=signup.fair)
    importer.read(row)
    if row.errors:
        raise DomainError(*row.errors)
    importer.match(row)
    signup.warnings = row.warnings
    signup.candidates = [{"community": item.community.pk, "score": item.score} for item in row.candidates]
    if signup.status == Signup.Status.NEW:
        importer.create_community(row)
    if signup.status in {Signup.Status.NEW, Signup.Status.MATCHED}:
        importer.attach_leader(row)
        signup.resolved_by = user
        signup.resolved_at = timezone.now()
    signup.save()
    return signup
