"""Fair writes: the organiser's own sheet given back, annotated — each row as it was written, with
what became of it («Результат»), a link to its community («Сообщество в реестре») and what to fix
(«Что исправить»). The uploaded file is not kept: the sheet is rebuilt from the stored rows (their
raw cells, in the report's column order) as they stand now, reviews included. It is personal data:
only the fair's team may have it, and each download is written to the personal-data audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from fairs.models import Signup, SignupImport
from registry.exports import Table, table_csv, table_xlsx
from registry.models import PrivacyEvent
from registry.selectors.teams import team_has_member
from registry.services.privacy import privacy_event_record

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class AnnotatedSheet:
    content: bytes
    content_type: str
    file_name: str


def _headers(source: SignupImport, signups: list[Signup]) -> list[str]:
    """The sheet's columns in their order (the report keeps it; raw JSON does not), then any cell a
    row had beyond the header."""
    keys = [
        column.get("header") or f"column_{position + 1}"
        for position, column in enumerate(source.report.get("columns", []))
    ]
    for signup in signups:
        keys += [key for key in signup.raw if key not in keys]
    return keys


def _result(signup: Signup, *, imported_before: bool) -> str:
    words = str(signup.get_status_display())
    if signup.status == Signup.Status.DUPLICATE_IN_FILE and signup.duplicate_of is not None:
        words += _(" (строка {})").format(signup.duplicate_of.row_number or "—")
    if imported_before:
        words += _(" — строка уже импортирована ранее")
    return words


def _to_fix(signup: Signup) -> str:
    notes = [str(item.get("message", "")) for item in signup.errors] + [str(note) for note in signup.warnings]
    if signup.status == Signup.Status.NEEDS_REVIEW and not notes:
        notes.append(_("Решит проверяющий в очереди проверки"))
    return "; ".join(note for note in notes if note)


def _rows(source: SignupImport) -> list[tuple[int, Signup, bool]]:
    """(row number, sign-up, imported before) in the sheet's order: the import's own rows and the
    rows it found already imported by an earlier file of the fair."""
    signups = {
        signup.pk: signup
        for signup in Signup.objects.filter(fair=source.fair_id)
        .filter(
            pk__in=[
                result.get("signup") for result in source.report.get("results", []) if result.get("signup")
            ]
        )
        .select_related("duplicate_of")
    }
    rows: list[tuple[int, Signup, bool]] = []
    for result in source.report.get("results", []):
        signup = signups.get(result.get("signup"))
        if signup is not None:
            rows.append((int(result["row"]), signup, bool(result.get("imported_before"))))
    if not rows:  # a report written before the results named their sign-ups
        rows = [
            (signup.row_number or 0, signup, False)
            for signup in source.signups.select_related("duplicate_of").order_by("row_number", "id")
        ]
    return rows


@transaction.atomic
def signup_sheet_annotated(*, user: User, source: SignupImport, link: Callable[[int], str]) -> AnnotatedSheet:
    """The annotated sheet of one import, XLSX for an XLSX upload, CSV otherwise; audited."""
    if not team_has_member(municipality=source.fair.municipality, user=user):
        raise PermissionDenied
    rows = _rows(source)
    headers = _headers(source, [signup for _number, signup, _before in rows])
    table = Table(
        sheet_title=_("Заявки с результатом")[:31],
        headers=[
            *(header if not header.startswith("column_") else "" for header in headers),
            _("Результат"),
            _("Сообщество в реестре"),
            _("Что исправить"),
        ],  # fmt: skip
        widths=[18] * len(headers) + [28, 40, 60],
        rows=[
            [
                *(str(signup.raw.get(key, "")) for key in headers),
                _result(signup, imported_before=before),
                link(signup.community_id) if signup.community_id else "",
                _to_fix(signup),
            ]
            for _number, signup, before in rows
        ],
    )
    is_xlsx = source.file_name.lower().endswith(".xlsx")
    stem = source.file_name.rsplit(".", 1)[0] or "signups"
    privacy_event_record(
        action=PrivacyEvent.Action.SIGNUP_SHEET,
        actor=user,
        details={"fair": source.fair_id, "import": source.pk, "rows": len(rows)},
    )
    return AnnotatedSheet(
        content=table_xlsx(table) if is_xlsx else table_csv(table),
        content_type=XLSX_TYPE if is_xlsx else CSV_TYPE,
        file_name=f"{stem}-result.{'xlsx' if is_xlsx else 'csv'}",
    )
